#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The net-next patch (patches/net-next: a new case in the kernel's own
# tools/testing/selftests/net/pmtu.sh), applied the maintainers' way and run
# in QEMU:
#
#   scripts/pmtu-selftest.sh [--ko KO] [--expect-fail TEST]... [--log FILE]
#                            KSRC KERNEL [TEST...]
#
# KSRC is the kernel source the series is for (Debian's linux-source-6.12):
# the files the series touches are taken from it into a scratch git
# repository, where `git am` must apply every patch cleanly. The patched
# pmtu.sh, with the lib.sh and net_helper.sh it sources, then runs in a
# guest booted from KERNEL (a build dir or bzImage: the same 6.12, or an
# affected 3.x/4.1 test kernel), with bash and iputils ping from this host.
# --ko loads the module first; --expect-fail TEST: TEST must fail there (a
# kernel with the bug). TESTs default to pmtu.sh's IPv6 exception cases
# (on 3.x/4.1 leave out list_flush_ipv6_exception: there every lookup
# through a gateway route makes a cached entry, and it fails with or
# without the module). Prints TAP; exit 0 when every line is ok.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
series=$top/patches/net-next
ko=""
log=""
guest=()
default_tests=(pmtu_ipv6_exception list_flush_ipv6_exception
	pmtu_ipv6_route_change pmtu_ipv6_host_route_exception)

usage() {
	sed -n '4,21p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--ko) ko=$2; shift 2 ;;
	--expect-fail) guest+=(--expect-fail "$2"); shift 2 ;;
	--log) log=$2; shift 2 ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
ksrc=$(cd "$1" && pwd) || exit 2
kernel=$2
shift 2
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("${default_tests[@]}")
for t in "${tests[@]}"; do
	case "$t" in
	*[!a-z0-9_]*) echo "not ok 1 - $t is not a pmtu.sh test name"; exit 2 ;;
	esac
done

B=$top/.build
work=$B/pmtu-selftest
st=$work/selftests
mkdir -p "$B/logs"
[ -n "$log" ] || log=$B/logs/pmtu-selftest-$(basename "$kernel").log

echo "TAP version 13"

# A scratch repository holding what the series touches, as KSRC has it.
rm -rf "$work"
mkdir -p "$work/git" "$st"
mapfile -t touched < <(while read -r p; do
	sed -n 's|^--- a/||p' "$series/$p"
done <"$series/series" | sort -u)
for f in "${touched[@]}"; do
	mkdir -p "$work/git/$(dirname "$f")"
	cp "$ksrc/$f" "$work/git/$f" || exit 2
done
am_out=$(cd "$work/git" && export GIT_CEILING_DIRECTORIES="$work" &&
	git init -q && git add -A &&
	git -c user.name=base -c user.email=base@invalid commit -qm base &&
	while read -r p; do
		git -c user.name=test -c user.email=test@invalid am -q "$series/$p" || exit 1
	done <"$series/series" 2>&1)
rc=$?
[ -z "$am_out" ] || printf "%s\n" "$am_out" | sed "s/^/# /"
if [ "$rc" != 0 ]; then
	echo "not ok 1 - patches/net-next: git am onto $(basename "$ksrc")"
	exit 1
fi
echo "ok 1 - patches/net-next: git am onto $(basename "$ksrc") is clean"

cp "$work/git/tools/testing/selftests/net/pmtu.sh" "$st/"
cp "$ksrc/tools/testing/selftests/net/lib.sh" \
	"$ksrc/tools/testing/selftests/net/net_helper.sh" "$st/" || exit 2

pack=(--bin bash --bin ping --dir "$st:/hrp/selftests")
if [ -n "$ko" ]; then
	pack+=(--ko "$ko")
	guest=(--module "${guest[@]}")
fi
"$here/qemu-run.sh" --kernel "$kernel" --timeout 1200 --log "$log" "${pack[@]}" \
	-- pmtu-selftest.sh "${guest[@]}" "${tests[@]}" >"$work/guest.tap" 2>&1
rc=$?
# The guest's TAP, renumbered after this script's own line.
total=1
while IFS= read -r line; do
	case "$line" in
	"TAP version"* | 1..*) ;;
	"ok "[0-9]* | "not ok "[0-9]*)
		total=$((total + 1))
		pre=${line%%ok *}
		rest=${line#*ok }
		echo "${pre}ok $total ${rest#* }"
		;;
	*) echo "$line" ;;
	esac
done <"$work/guest.tap"
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$work/guest.tap"; then
	total=$((total + 1))
	echo "not ok $total - the guest did not finish (exit $rc; console: $log)"
fi
echo "1..$total"
exit "$rc"
