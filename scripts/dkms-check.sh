#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf as DKMS reads it: add the module to a private DKMS tree and
# build and install it for one kernel build (or headers) directory, as a
# distribution's DKMS would on a kernel upgrade:
#
#   scripts/dkms-check.sh [--excluded] [--keep FILE] KERNEL_BUILD [-- MAKEVAR=value ...]
#
# --excluded: the kernel is outside BUILD_EXCLUSIVE_KERNEL (4.2 and later):
# DKMS must say so and build nothing. Otherwise the module must build, for
# that kernel release. MAKEVARs are the toolchain an old tree needs here: a
# CC= or LD= with flags becomes a wrapper first in PATH (a real user builds
# with the distribution's own compiler), HOSTCC= is not needed, the rest
# go to make through MAKEFLAGS. Nothing outside a temporary folder is
# touched but FILE: --keep copies the installed module there, to load it
# in a guest. TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
excluded=0
keep=""
while [ $# -gt 0 ]; do
	case "$1" in
	--excluded) excluded=1; shift ;;
	--keep) keep=${2:?}; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--excluded] [--keep FILE] KERNEL_BUILD [-- MAKEVAR=value ...]" >&2; exit 2; }
kb=$(cd "$1" && pwd) || exit 2
shift
[ "${1:-}" = -- ] && shift

echo "TAP version 13"
command -v dkms >/dev/null || { echo "not ok 1 - dkms not installed (apt-get install dkms)"; exit 1; }
kver=$(cat "$kb/include/config/kernel.release") || exit 2
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$top/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/$name-$ver" "$tmp/tree" "$tmp/bin"
# What a source package of the module ships
cp -r "$top/Kbuild" "$top/Makefile" "$top/dkms.conf" "$top/module" "$tmp/src/$name-$ver/"

flags=""
for v in "$@"; do
	case "$v" in
	CC=*\ * | LD=*\ *)
		words=${v#*=}
		tool=${words%% *}
		[ "${v%%=*}" = CC ] && wrap=gcc || wrap=ld
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$(command -v "$tool")" "${words#* }" >"$tmp/bin/$wrap"
		chmod +x "$tmp/bin/$wrap"
		;;
	HOSTCC=*) ;;
	*\ *) echo "# $v: not passed (spaces)" ;;
	*) flags="$flags $v" ;;
	esac
done

d=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src" -m "$name" -v "$ver")
out=$("${d[@]}" add 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ "$rc" = 0 ]
echo "$([ "$rc" = 0 ] || echo "not ")ok 1 - dkms add reads dkms.conf ($name $ver)"
out=$(PATH="$tmp/bin:$PATH" MAKEFLAGS="${flags# }" "${d[@]}" build -k "$kver" \
	--kernelsourcedir "$kb" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
ko=$(find "$tmp/tree/$name/$ver/$kver" -name "$name.ko" 2>/dev/null | head -n 1)
if [ "$excluded" = 1 ]; then
	[ "$rc" != 0 ] && [ -z "$ko" ] && printf '%s\n' "$out" | grep -q BUILD_EXCLUSIVE
	r=$?
	echo "$([ "$r" = 0 ] || echo "not ")ok 2 - dkms build for $kver: excluded by BUILD_EXCLUSIVE_KERNEL, says so, builds nothing (exit $rc)"
else
	vm="" what=none
	if [ -n "$ko" ]; then
		vm=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
		# an affected kernel gets the fix, not the refusal stub
		what=$(modinfo -F description "$ko" | sed -n 's/.*(not for this kernel: \(.*\))$/the refusal stub: \1/p')
		what=${what:-the fix}
	fi
	[ "$rc" = 0 ] && [ "$vm" = "$kver" ] && [ "$what" = "the fix" ]
	r=$?
	echo "$([ "$r" = 0 ] || echo "not ")ok 2 - dkms build for $kver: $name.ko built, $what (exit $rc, vermagic ${vm:-none})"
	# dkms install into a private /lib/modules, then depmod there as the
	# kernel package's triggers would: modprobe must find the module.
	root=$tmp/root
	mkdir -p "$root/lib/modules/$kver"
	out=$("${d[@]}" install -k "$kver" --kernelsourcedir "$kb" \
		--installtree "$root/lib/modules" --no-depmod 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	dep=""
	if [ "$rc" = 0 ] && depmod -b "$root" "$kver" 2>&1 | sed 's/^/# depmod: /'; then
		dep=$(grep -o "^[^:]*$name\.ko[^:]*" "$root/lib/modules/$kver/modules.dep" || true)
	fi
	[ "$rc" = 0 ] && [ -n "$dep" ]
	i=$?
	echo "$([ "$i" = 0 ] || echo "not ")ok 3 - dkms install for $kver: in modules.dep as ${dep:-nothing} (exit $rc)"
	[ "$i" = 0 ] || r=1
	if [ -n "$keep" ] && [ "$i" = 0 ]; then
		cp "$root/lib/modules/$kver/$dep" "$keep"
		echo "# installed module copied to $keep"
	fi
	echo "1..3"
	exit "$r"
fi
echo "1..2"
exit "$r"
