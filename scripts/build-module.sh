#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build ip6_hostroute_pmtu.ko (or, with --kunit, the KUnit suites) for one
# kernel in a folder of its own, so that builds for several kernels do not
# overwrite each other:
#
#   scripts/build-module.sh [--kunit] [--w1] KDIR OUTDIR [-- MAKEVAR=value ...]
#
# KDIR is the kernel build (or headers) directory. Prints the path of the
# .ko on success, and "# warnings in our sources: N" (warnings located in
# this repository's files; the old kernels' own headers warn with a modern
# compiler and are not counted). Exit 1 when the build fails or one of our
# files warns.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
what=module
w1=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kunit) what=kunit; shift ;;
	--w1) w1=(W=1); shift ;;
	*) break ;;
	esac
done
if [ $# -lt 2 ]; then
	echo "usage: $0 [--kunit] [--w1] KDIR OUTDIR [-- MAKEVAR=value ...]" >&2
	exit 2
fi
kdir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
shift 2
[ "${1:-}" = "--" ] && shift

rm -rf "$out/src"
mkdir -p "$out/src"
if [ "$what" = module ]; then
	cp -r "$top/Kbuild" "$top/module" "$out/src/"
	ko=$out/src/ip6_hostroute_pmtu.ko
else
	cp -r "$top/kunit" "$top/module" "$out/src/"
	cp "$top/kunit/Kbuild" "$out/src/Kbuild"
	ko=$out/src/ip6_hostroute_pmtu_kunit.ko
fi

log=$out/build.log
if ! make -C "$kdir" M="$out/src" "${w1[@]}" "$@" modules >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 20 | sed 's/^/# /'
	echo "# build failed, log: $log"
	exit 1
fi
ours=$(grep -E "^$out/src/[^:]+:[0-9]+:[0-9]+: warning" "$log" || true)
count=$(printf '%s' "$ours" | grep -c . || true)
echo "# warnings in our sources: $count"
if [ "$count" != 0 ]; then
	printf '%s\n' "$ours" | sed 's/^/# /'
	exit 1
fi
echo "$ko"
