#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own selftest, tools/testing/selftests/net/pmtu.sh, with
# patches/net-next applied, in the QEMU guest:
#
#   qemu-run.sh --kernel K --bin bash --bin ping --dir SELFTESTS:/hrp/selftests \
#       [--ko ip6_hostroute_pmtu.ko] -- pmtu-selftest.sh [--module] \
#       [--expect-fail TEST]... TEST...
#
# Runs pmtu.sh once per TEST (pmtu.sh reruns a case with nexthop objects
# where the kernel has them) and prints one TAP line per "TEST:" line it
# prints: [ OK ] passes, [FAIL] fails, [SKIP] is a skip. A TEST given with
# --expect-fail must fail instead (on a kernel with the bug): its [FAIL]
# passes, with pmtu.sh's reasons as comments, and its [ OK ] fails.
# --module loads /hrp/ko/ip6_hostroute_pmtu.ko first.
set -u

# shellcheck source=scripts/guest/tap.sh
. /hrp/scripts/guest/tap.sh

module=0
xfail=" "
while [ $# -gt 0 ]; do
	case "$1" in
	--module) module=1; shift ;;
	--expect-fail) xfail="$xfail$2 "; shift 2 ;;
	*) break ;;
	esac
done

# iproute2's ip, iputils ping (pmtu.sh pings with -M want; it is ping6 too)
# and bash, before busybox's
mkdir -p /hrp/bin
ln -sf "${HRP_IP:-/usr/sbin/ip}" /hrp/bin/ip
[ -x /hrp/bin/ping ] && ln -sf ping /hrp/bin/ping6
export PATH="/hrp/bin:$PATH"
echo "TAP version 13"
echo "# kernel $(uname -r), pmtu.sh of /hrp/selftests"
if [ "$module" = 1 ]; then
	out=$(insmod /hrp/ko/ip6_hostroute_pmtu.ko 2>&1)
	ok $? "insmod ip6_hostroute_pmtu ($out)"
fi
cd /hrp/selftests || exit 2
for t in "$@"; do
	case "$xfail" in
	*" $t "*) want=FAIL ;;
	*) want=OK ;;
	esac
	out=$(bash ./pmtu.sh "$t" 2>&1)
	printf '%s\n' "$out" | grep -q '^TEST: ' ||
		{ ok 1 "$t: pmtu.sh ran it"; printf '%s\n' "$out" | sed 's/^/# /'; continue; }
	# One TEST: line per run, then pmtu.sh's reasons, indented.
	printf '%s\n' "$out" | sed -n '/^TEST: /,$p' | {
		while IFS= read -r line; do
			case "$line" in
			"TEST: "*) ;;
			*) echo "#   $line"; continue ;;
			esac
			desc=$(printf '%s\n' "$line" | sed 's/^TEST: *//; s/ *\[.*\]$//')
			case "$line" in
			*"[ OK ]") got=OK ;;
			*"[FAIL]") got=FAIL ;;
			*) got=SKIP ;;
			esac
			if [ "$got" = SKIP ]; then
				n=$((n + 1))
				echo "ok $n - $t ($desc) # SKIP pmtu.sh skipped it"
			elif [ "$want" = FAIL ]; then
				[ "$got" = FAIL ]
				ok $? "$t ($desc) fails, as on a kernel with the bug (pmtu.sh: $got)"
			else
				[ "$got" = OK ]
				ok $? "$t ($desc) (pmtu.sh: $got)"
			fi
		done
		echo "$n $failed" >/tmp/pmtu-counts
	}
	read -r n failed </tmp/pmtu-counts
done
if [ "$module" = 1 ]; then
	rmmod ip6_hostroute_pmtu
	ok $? "rmmod ip6_hostroute_pmtu"
fi
echo "1..$n"
[ "$failed" = 0 ]
