#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a minimal x86_64 test kernel out of tree:
#
#   scripts/build-kernel.sh [--debug] [--fragment FILE]... [--jobs N] SRC BUILD
#                           [-- MAKEVAR=value ...]
#
# SRC is a kernel source tree (read-only use), BUILD the output folder
# (make O=BUILD), reused when present: the configuration is only redone when
# the fragments changed. The configuration is allnoconfig with
# scripts/kconfig/test.config (and debug.config with --debug, then any
# --fragment, e.g. scripts/kconfig/noftrace.config) merged by the kernel's
# own scripts/kconfig/merge_config.sh. Anything after "--" is passed
# to every make invocation (a toolchain override such as CC=..., HOSTCC=...).
#
# Prints a TAP summary; exit 0 when BUILD holds a bootable bzImage and a tree
# that external modules can be built against.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
debug=0
fragments=()
jobs=$(nproc 2>/dev/null || echo 2)

usage() {
	echo "usage: $0 [--debug] [--fragment FILE]... [--jobs N] SRC BUILD [-- MAKEVAR=value ...]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--debug) debug=1; shift ;;
	--fragment) fragments+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h|--help) usage ;;
	--) break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
src=$(cd "$1" && pwd)
mkdir -p "$2"
build=$(cd "$2" && pwd)
shift 2
extra=()
if [ $# -gt 0 ]; then
	[ "$1" = "--" ] || usage
	shift
	extra=("$@")
fi

if [ ! -f "$src/Makefile" ] || [ ! -d "$src/net/ipv6" ]; then
	echo "not ok 1 - $src is not a kernel source tree"
	exit 2
fi

frags=("$here/kconfig/test.config")
[ "$debug" = 1 ] && frags+=("$here/kconfig/debug.config")
frags+=("${fragments[@]}")

kmake() {
	make -C "$src" O="$build" ARCH=x86_64 "${extra[@]}" "$@"
}

echo "TAP version 13"
echo "1..3"

# The stamp records what the configuration was made from.
stamp=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ -f "$build/.config" ] && [ "$(cat "$build/.hrp-config" 2>/dev/null)" = "$stamp" ]; then
	echo "ok 1 - configuration up to date # SKIP reused $build/.config"
else
	log=$build/.hrp-config.log
	{
		kmake allnoconfig
		(cd "$build" && "$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
			"$build/.config" "${frags[@]}")
		kmake olddefconfig
	} >"$log" 2>&1 || {
		tail -n 20 "$log" | sed 's/^/# /'
		echo "not ok 1 - configure (log: $log)"
		exit 1
	}
	echo "$stamp" >"$build/.hrp-config"
	echo "ok 1 - configured allnoconfig + ${frags[*]##*/}"
fi

# Symbols the test bed cannot do without, whatever the kernel version.
missing=""
for sym in IPV6_SUBTREES IPV6_MULTIPLE_TABLES VETH NET_NS \
	MODULES MODULE_UNLOAD KALLSYMS BLK_DEV_INITRD DEVTMPFS \
	SERIAL_8250_CONSOLE; do
	grep -q "^CONFIG_$sym=y" "$build/.config" || missing="$missing $sym"
done
# IPv6 itself may be a module (kconfig/ipv6-module.config): the guest loads
# it at boot (qemu-run.sh).
for sym in IPV6 IPV6_SIT; do
	grep -Eq "^CONFIG_$sym=[ym]" "$build/.config" || missing="$missing $sym"
done
# kprobes through tracefs, unless a fragment took kprobes out
if grep -q '^CONFIG_KPROBES=y' "$build/.config"; then
	grep -Eq '^CONFIG_KPROBE_EVENTS?=y' "$build/.config" || missing="$missing KPROBE_EVENT(S)"
	grep -q '^CONFIG_DEBUG_FS=y' "$build/.config" || missing="$missing DEBUG_FS"
fi
# The debug variant: lockdep and kmemleak always, KASAN where the kernel
# has it for x86_64 (lib/Kconfig.kasan, 4.0 on).
if [ "$debug" = 1 ]; then
	dsyms="PROVE_LOCKING DEBUG_KMEMLEAK"
	[ -f "$src/lib/Kconfig.kasan" ] && dsyms="$dsyms KASAN"
	for sym in $dsyms; do
		grep -q "^CONFIG_$sym=y" "$build/.config" || missing="$missing $sym"
	done
fi
if [ -n "$missing" ]; then
	echo "not ok 2 - required options missing from .config:$missing"
	exit 1
fi
echo "ok 2 - required options present"

log=$build/.hrp-build.log
start=$(date +%s)
if kmake -j"$jobs" all >"$log" 2>&1; then
	echo "ok 3 - built $(kmake -s kernelrelease 2>/dev/null | tail -n 1) in $(($(date +%s) - start))s: $build/arch/x86/boot/bzImage"
else
	grep -E 'error|Error' "$log" | head -n 20 | sed 's/^/# /'
	echo "not ok 3 - build failed (log: $log)"
	exit 1
fi
