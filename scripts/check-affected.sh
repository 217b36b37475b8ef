#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything the project checks on one affected (3.10-4.1) test kernel:
#
#   scripts/check-affected.sh [--quick] KERNEL_BUILD_DIR [-- MAKEVAR=value ...]
#
#   1. the module builds against it with W=1 and no warning in our sources
#   2. in QEMU, the module's life cycle (scripts/guest/module.sh): legacy
#      without it, repair at load, fixed, sysctl 0, rmmod, legacy again
#   3. the KUnit suites fail without the module ...
#   4. ... and pass with it (kunit.py parse)
#   5. faults, load and bad input (scripts/guest/stress.sh), and the cost
#      ratios in a deterministic guest (qemu -icount, 1 vCPU), unless --quick
#
# Anything after "--" goes to make when building against the kernel (a CC=
# that suits an old tree, say). Prints TAP and "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [--quick] KERNEL_BUILD_DIR [-- MAKEVAR=value ...]" >&2
	exit 2
fi
kb=$(cd "$1" && pwd)
shift
[ "${1:-}" = -- ] && shift
name=$(basename "$kb")
B=$top/.build
mkdir -p "$B/logs"
ko=$B/mod-$name/src/ip6_hostroute_pmtu.ko

n=0
passed=0
failed=0
step() {
	local desc=$1 log rc
	shift
	n=$((n + 1))
	log=$B/logs/$name-step$n.log
	"$@" >"$log" 2>&1
	rc=$?
	grep -aE '^(not ok|ok|#|1\.\.|    (not )?ok)' "$log" | grep -v '^    ok' | sed 's/^/    /'
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc (log: $log)"
	fi
	return "$rc"
}

echo "TAP version 13"
echo "# $name, $(date -u +%FT%TZ), commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null)"
if step "$name: module builds with W=1, no warning in our sources" \
	"$here/build-module.sh" --w1 "$kb" "$B/mod-$name" -- "$@"; then
	step "$name: module life cycle in QEMU" \
		"$here/qemu-run.sh" --kernel "$kb" --timeout 2400 \
		--log "$B/qemu-$name-module.log" --ko "$ko" -- module.sh
	step "$name: KUnit suites fail without the module" \
		"$here/kunit-run.sh" --kernel "$kb" --expect fail -- "$@"
	step "$name: KUnit suites pass with the module" \
		"$here/kunit-run.sh" --kernel "$kb" --module "$ko" -- "$@"
	if [ "$quick" = 0 ]; then
		step "$name: faults, load and bad input" \
			"$here/qemu-run.sh" --kernel "$kb" --timeout 5400 \
			--log "$B/qemu-$name-stress.log" --ko "$ko" -- \
			stress.sh badinput cycles netns churn scale
		step "$name: cost, as ratios (qemu -icount)" \
			"$here/qemu-run.sh" --kernel "$kb" --icount --smp 1 \
			--timeout 3600 --log "$B/qemu-$name-cost.log" --ko "$ko" -- \
			stress.sh cost
	fi
fi
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
