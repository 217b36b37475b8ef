#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module against the in-kernel fix of the same base, in the same
# deterministic guest (qemu -icount, 1 vCPU):
#
#   scripts/cost-compare.sh BASE_BUILD PATCHED_BUILD [-- MAKEVAR=value ...]
#
# BASE_BUILD is an affected kernel, PATCHED_BUILD the same tree and config
# with patches/<base> applied. Runs `stress.sh cost` on both (the module
# built for BASE_BUILD; none on the patched kernel, which has the fix and
# the sysctl itself) and judges:
#
#   - each guest's own goals (lookups with/without the module >= 0.99,
#     PTB storm fixed/legacy >= 0.9 on production kernels);
#   - the module's PTB storm rate at 0.95 of the patched kernel's at least
#     (the in-kernel fix is the best the module can do);
#   - the patched kernel's lookups at 0.99 of the unpatched kernel's at
#     least (the series adds a walk of the node's entries to each lookup).
#
# Guest time follows the instructions executed, so the figures of two
# guests compare even on a loaded host. Prints TAP and "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
if [ $# -lt 2 ]; then
	echo "usage: $0 BASE_BUILD PATCHED_BUILD [-- MAKEVAR=value ...]" >&2
	exit 2
fi
base=$(cd "$1" && pwd)
patched=$(cd "$2" && pwd)
shift 2
[ "${1:-}" = -- ] && shift
B=$top/.build
mkdir -p "$B/logs"

# shellcheck source=scripts/guest/tap.sh
. "$here/guest/tap.sh"

# figure LOG WHAT FIELD: the number after FIELD in LOG's "# figure: WHAT:" line.
figure() {
	sed -n "s/.*# figure: $2: .*$3 \([0-9][0-9]*\).*/\1/p" "$1" | head -1
}

# guest_cost BUILD LOG [KO]: stress.sh cost in an -icount guest; its TAP
# lines are indented into ours.
guest_cost() {
	local kb=$1 log=$2 rc
	shift 2
	"$here/qemu-run.sh" --kernel "$kb" --icount --smp 1 --timeout 3600 \
		--log "$log.console" "$@" -- stress.sh cost >"$log" 2>&1
	rc=$?
	grep -aE '^(ok|not ok|# figure|# cost)' "$log" | sed 's/^/    /'
	return "$rc"
}

echo "TAP version 13"
echo "# $(basename "$base") with the module against $(basename "$patched"), $(date -u +%FT%TZ), commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null)"

ko=$("$here/build-module.sh" "$base" "$B/mod-$(basename "$base")" -- "$@" | grep "\.ko$" | tail -1)
if [ ! -f "$ko" ]; then
	ok 1 "module builds for $(basename "$base")"
	echo "1..$n"
	exit 1
fi

mlog=$B/logs/cost-$(basename "$base")-module.log
klog=$B/logs/cost-$(basename "$patched")-kernel.log
guest_cost "$base" "$mlog" --ko "$ko"
ok $? "$(basename "$base") with the module: the cost case's own goals (log: $mlog)"
guest_cost "$patched" "$klog"
ok $? "$(basename "$patched"): the cost case in kernel mode (log: $klog)"

m_ptb=$(figure "$mlog" ptb fixed)
k_ptb=$(figure "$klog" ptb fixed)
m_lookup=$(figure "$mlog" lookup "without the module")
k_lookup=$(figure "$klog" lookup "kernel's fix")
# compare WHAT B A GOAL TEXT: ok when B/A >= GOAL; TEXT is followed by
# the ratio. Fails when a figure is missing from the logs.
compare() {
	local r
	if [ -z "$2" ] || [ -z "$3" ]; then
		ok 1 "$1 figures found ('$2', '$3')"
		return
	fi
	r=$(awk -v a="$3" -v b="$2" 'BEGIN { printf "%.3f", b / a }')
	awk -v r="$r" -v g="$4" 'BEGIN { exit !(r >= g) }'
	ok $? "$5, ratio $r (goal >= $4)"
}
compare "PTB storm" "$m_ptb" "$k_ptb" 0.95 \
	"PTB storm: the module $m_ptb/s, the patched kernel $k_ptb/s"
compare lookup "$k_lookup" "$m_lookup" 0.99 \
	"lookups: the patched kernel $k_lookup pps, the unpatched kernel without the module $m_lookup pps"
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
