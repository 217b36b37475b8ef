#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test kernels that a kernels folder provides:
#
#   scripts/shared-kernels.sh [--list] DIR
#
# DIR holds, for each kernel V, a source tarball linux-V.tar.xz and a folder
# V/ with what this machine's toolchain needs to build it:
#   V/toolchain.patch   applied with patch -p1 after unpacking (optional)
#   V/make.vars         make variables, one per line; @OVERLAY@ stands for
#                       the absolute path of V/overlay/ (optional)
# Each kernel is unpacked under .build/shared/src-V, built with
# scripts/build-kernel.sh into .build/shared/kernel-V (a finished build is
# reused) and its make variables written, one per line, to
# .build/shared/kernel-V.vars. Prints TAP; with --list, prints only the
# versions DIR provides. Nothing here names a particular kernel.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
[ $# = 1 ] || { echo "usage: $0 [--list] DIR" >&2; exit 2; }
dir=$(cd "$1" && pwd)

versions=()
for t in "$dir"/linux-*.tar.xz; do
	[ -f "$t" ] || continue
	v=${t##*/linux-}
	v=${v%.tar.xz}
	[ -d "$dir/$v" ] && versions+=("$v")
done
if [ "$list" = 1 ]; then
	[ ${#versions[@]} = 0 ] || printf '%s\n' "${versions[@]}"
	exit 0
fi

S=$top/.build/shared
mkdir -p "$S"
echo "TAP version 13"
echo "1..${#versions[@]}"
n=0
rc=0
for v in "${versions[@]}"; do
	n=$((n + 1))
	src=$S/src-$v
	kb=$S/kernel-$v
	vars=$S/kernel-$v.vars
	if [ ! -f "$src/.hrp-unpacked" ]; then
		rm -rf "$src"
		mkdir -p "$src"
		tar -xf "$dir/linux-$v.tar.xz" -C "$src" --strip-components=1
		if [ -f "$dir/$v/toolchain.patch" ]; then
			patch -s -p1 -d "$src" <"$dir/$v/toolchain.patch"
		fi
		touch "$src/.hrp-unpacked"
	fi
	: >"$vars"
	if [ -f "$dir/$v/make.vars" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -n "$line" ] || continue
			printf '%s\n' "${line//@OVERLAY@/$dir/$v/overlay}" >>"$vars"
		done <"$dir/$v/make.vars"
	fi
	mapfile -t mv <"$vars"
	if "$here/build-kernel.sh" "$src" "$kb" -- "${mv[@]}" | sed 's/^/    /'; then
		echo "ok $n - $v built: $kb (make variables: $vars)"
	else
		echo "not ok $n - $v did not build"
		rc=1
	fi
done
exit "$rc"
