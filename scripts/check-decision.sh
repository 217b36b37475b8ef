#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module and the patch series must take the same decision on a path
# MTU report (module/decision.h). The patch cannot include that header:
# kernel style wants its logic inline in net/ipv6/route.c. This check takes
# the patch's own code out of each series (rt6_pmtu_wants_clone() and the
# block of ip6_rt_update_pmtu() that calls it, as the last patch of the
# series leaves them), compiles it in userspace next to decision.h, and
# compares the two over every combination of inputs. TAP output.
#
#   scripts/check-decision.sh [patches/DIR ...]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dirs=("$@")
if [ ${#dirs[@]} = 0 ]; then
	for d in patches/*/; do
		[ -f "$d/series" ] && grep -q rt6_pmtu_wants_clone "$d"/*.patch && dirs+=("${d%/}")
	done
fi

# The new side of every hunk of the series, in order.
new_side() {
	local d=$1 p
	while read -r p; do
		awk '/^@@/ { inhunk = 1; next }
		     /^(diff|--- |\+\+\+ )/ { inhunk = 0 }
		     inhunk && /^[ +]/ { print substr($0, 2) }' "$d/$p"
	done <"$d/series"
}

echo "TAP version 13"
n=0
failed=0
for d in "${dirs[@]}"; do
	n=$((n + 1))
	name=$(basename "$d")
	new_side "$d" >"$work/new.c"
	# The last complete definition of the helper, and the last block.
	fn=$(awk '/^static bool rt6_pmtu_wants_clone\(/ { buf = ""; on = 1 }
		  on { buf = buf $0 "\n" }
		  on && /^}/ { last = buf; on = 0 }
		  END { printf "%s", last }' "$work/new.c")
	block=$(awk '/^\tif \(rt6_pmtu_wants_clone\(rt6\)\) \{/ { buf = ""; on = 1 }
		     on { buf = buf $0 "\n" }
		     on && /^\t}$/ { last = buf; on = 0 }
		     END { printf "%s", last }' "$work/new.c")
	if [ -z "$fn" ] || [ -z "$block" ]; then
		echo "not ok $n - $name: rt6_pmtu_wants_clone() or its call in ip6_rt_update_pmtu() not found in the series"
		failed=$((failed + 1))
		continue
	fi
	cat >"$work/model.c" <<EOF
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
typedef uint32_t u32;
typedef uint8_t u8;
#include "decision.h"

/* Just enough of the kernel for the patch's code. */
struct net { int ipv6_host_route_pmtu; };
struct net_device { struct net *net; };
struct dst_entry { struct net_device *dev; u32 mtu; };
struct rt6key { u8 plen; };
struct rt6_info {
	struct dst_entry dst;
	u32 rt6i_flags;
	void *rt6i_node;
	struct rt6key rt6i_dst;
};
static struct net *dev_net(const struct net_device *dev) { return dev->net; }
static u32 dst_mtu(const struct dst_entry *dst) { return dst->mtu; }
#define IPV6_MIN_MTU 1280

static enum hrp_pmtu_action result;
static u32 result_mtu;
#define rt6_pmtu_clone(rt, m) do { result = HRP_PMTU_CLONE; result_mtu = (m); } while (0)

/* From the series, verbatim: */
$fn
static void patch_model(struct rt6_info *rt6, struct dst_entry *dst, u32 mtu)
{
	result = HRP_PMTU_IGNORE;
$block
	result = HRP_PMTU_STOCK;	/* falls through to the kernel's own code */
}

int main(void)
{
	static const u32 flags[] = { 0, RTF_UP, RTF_GATEWAY, RTF_UP | RTF_GATEWAY,
		RTF_CACHE, RTF_CACHE | RTF_GATEWAY, RTF_UP | RTF_GATEWAY | RTF_EXPIRES,
		RTF_UP | RTF_GATEWAY | RTF_MODIFIED, RTF_UP | RTF_NONEXTHOP,
		RTF_UP | RTF_GATEWAY | RTF_CACHE | RTF_EXPIRES,
		RTF_UP | RTF_NONEXTHOP | RTF_LOCAL, RTF_UP | RTF_NONEXTHOP | RTF_ANYCAST,
		RTF_UP | RTF_NONEXTHOP | RTF_REJECT, RTF_UP | RTF_GATEWAY | RTF_REJECT,
		RTF_UP | RTF_NONEXTHOP | RTF_CACHE, RTF_UP | RTF_GATEWAY | RTF_ROUTEINFO };
	static const u8 plens[] = { 0, 64, 127, 128 };
	static const u32 mtus[] = { 0, 1, 1279, 1280, 1281, 1399, 1400, 1401,
		1500, 9000, 65535, 0xffffffff };
	unsigned long checked = 0, bad = 0;
	unsigned int f, p, fib, en, c, m;

	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
	for (p = 0; p < sizeof(plens); p++)
	for (fib = 0; fib < 2; fib++)
	for (en = 0; en < 2; en++)
	for (c = 0; c < sizeof(mtus) / sizeof(mtus[0]); c++)
	for (m = 0; m < sizeof(mtus) / sizeof(mtus[0]); m++) {
		struct net net = { .ipv6_host_route_pmtu = en };
		struct net_device dev = { .net = &net };
		struct rt6_info rt = {
			.dst = { .dev = &dev, .mtu = mtus[c] },
			.rt6i_flags = flags[f],
			.rt6i_node = fib ? &net : NULL,
			.rt6i_dst = { .plen = plens[p] },
		};
		struct hrp_pmtu_event ev = {
			.rt_flags = flags[f], .dst_plen = plens[p], .in_fib = fib,
			.enabled = en, .cur_mtu = mtus[c], .new_mtu = mtus[m],
		};
		u32 want_mtu = 0;
		enum hrp_pmtu_action want = hrp_pmtu_decide(&ev, &want_mtu);

		result_mtu = 0;
		patch_model(&rt, &rt.dst, mtus[m]);
		checked++;
		if (result != want || result_mtu != want_mtu) {
			if (bad++ < 5)
				printf("# differ: flags %#x plen %u fib %u sysctl %u cur %u new %u:"
				       " module %d/%u, patch %d/%u\n", flags[f], plens[p], fib,
				       en, mtus[c], mtus[m], want, want_mtu, result, result_mtu);
		}
	}
	printf("# %lu combinations, %lu differ\n", checked, bad);
	return bad != 0;
}
EOF
	if ! cc -std=gnu99 -Wall -Werror -I "$top/module" -o "$work/model" "$work/model.c" \
		>"$work/cc.log" 2>&1; then
		sed 's/^/# /' "$work/cc.log" | head -n 20
		echo "not ok $n - $name: the patch's decision code does not compile stand-alone"
		failed=$((failed + 1))
		continue
	fi
	if out=$("$work/model"); then
		echo "$out"
		echo "ok $n - $name: the patch decides as module/decision.h does"
	else
		echo "$out"
		echo "not ok $n - $name: the patch and module/decision.h disagree"
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
