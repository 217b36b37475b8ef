#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run this project's KUnit suites on a test kernel in QEMU and judge them
# with the kernel's own tools/testing/kunit/kunit.py:
#
#   scripts/kunit-run.sh --kernel BUILD [--module KO] [--kunitpy PATH]
#                        [--expect pass|fail] [-- MAKEVAR=value ...]
#
# Builds kunit/ as a test module for BUILD, loads it in a network namespace
# of the guest (after KO, the module under test, if given), extracts the
# KTAP, and runs "kunit.py parse" on it. --expect pass (default): exit 0
# when kunit.py passes and as many cases ran as kunit/ defines; --expect
# fail: exit 0 when the suites ran completely and kunit.py reports failures
# (an unfixed kernel must fail them).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
kernel=""
ko=""
kunitpy=""
expect=pass

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--module) ko=$2; shift 2 ;;
	--kunitpy) kunitpy=$2; shift 2 ;;
	--expect) expect=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: $0 --kernel BUILD [--module KO] [--kunitpy PATH] [--expect pass|fail] [-- MAKEVAR=...]" >&2
	   exit 2 ;;
	esac
done
[ -n "$kernel" ] || { echo "$0: --kernel is required" >&2; exit 2; }
name=$(basename "$kernel")
out=$top/.build/kunit-$name

if [ -z "$kunitpy" ]; then
	for p in "${HRP_KSRC:-/nonexistent}" "$top/.build/linux-source-6.1"; do
		if [ -f "$p/tools/testing/kunit/kunit.py" ]; then
			kunitpy=$p/tools/testing/kunit/kunit.py
			break
		fi
	done
fi
[ -f "$kunitpy" ] || { echo "not ok 1 - kunit.py not found (--kunitpy, or HRP_KSRC=<kernel source>)"; exit 2; }

echo "TAP version 13"
if ! tko=$("$here/build-module.sh" --kunit "$kernel" "$out" -- "$@" | tail -n 1) ||
	[ ! -f "$tko" ]; then
	echo "not ok 1 - the KUnit test module builds for $name"
	exit 2
fi
echo "ok 1 - the KUnit test module builds for $name"

args=(--ko "$tko")
guestargs=()
if [ -n "$ko" ]; then
	args+=(--ko "$ko")
	guestargs=(--with-module)
fi
"$here/qemu-run.sh" --kernel "$kernel" --log "$out/console.log" "${args[@]}" \
	-- kunit.sh "${guestargs[@]}" >"$out/guest.out" 2>&1
qrc=$?
sed -n '/HRP-KTAP-BEGIN/,/HRP-KTAP-END/p' "$out/guest.out" | sed '1d;$d' >"$out/ktap.txt"
python3 "$kunitpy" parse "$out/ktap.txt" >"$out/kunit.out" 2>&1
krc=$?
sed 's/^/# /' "$out/kunit.out"

want=$(cat "$top"/kunit/*_test.c | grep -c 'KUNIT_CASE(')
ran=$(sed -n 's/.*Testing complete. Ran \([0-9]*\) tests.*/\1/p' "$out/kunit.out")
summary=$(grep 'Testing complete' "$out/kunit.out" | sed 's/^\[[^]]*\] //')
if [ "$qrc" = 2 ] || [ "${ran:-0}" != "$want" ]; then
	echo "not ok 2 - all $want cases ran on $name (ran: ${ran:-none}; guest exit $qrc; console $out/console.log)"
	exit 1
fi
echo "ok 2 - all $want cases ran on $name"
if [ "$expect" = pass ]; then
	[ "$krc" = 0 ] && echo "ok 3 - kunit.py: $summary" || echo "not ok 3 - kunit.py: $summary"
	exit "$krc"
fi
if [ "$krc" != 0 ]; then
	echo "ok 3 - kunit.py reports failures, as expected on this kernel: $summary"
	exit 0
fi
echo "not ok 3 - kunit.py passes, but this kernel was expected to fail: $summary"
exit 1
