#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make, from a kernel build folder (make O=...), the headers tree a
# distribution ships for building out-of-tree modules, so that the module
# and its DKMS package can be built the way an admin builds them: against
# /lib/modules/$(uname -r)/build, not a whole kernel source.
#
#   scripts/headers-tree.sh --layout rhel|debian KERNEL_BUILD OUT
#
# rhel:   one folder, as kernel-devel installs /usr/src/kernels/RELEASE
#         (kernel.spec's devel section): every Makefile* and Kconfig*, the
#         scripts with their host programs, include/ and arch/x86/include/
#         with the generated headers, .config, Module.symvers, System.map;
#         no C source, no object.
# debian: two folders, as linux-headers-RELEASE-common and
#         linux-headers-RELEASE-ARCH: the source half (Makefiles, Kconfig,
#         scripts, headers) and the build half (.config, Module.symvers,
#         generated headers, host programs, and the kernel's own O= Makefile
#         made again by scripts/mkmakefile to point at the source half).
#
# Prints the folder to build against (/lib/modules/RELEASE/build) on its
# last line. The source folder is the build folder's "source" link.
set -euo pipefail

usage() {
	echo "usage: $0 --layout rhel|debian KERNEL_BUILD OUT" >&2
	exit 2
}
[ "${1:-}" = --layout ] || usage
layout=${2:-}
case "$layout" in rhel | debian) ;; *) usage ;; esac
[ $# -eq 4 ] || usage
kb=$(cd "$3" && pwd)
out=$4
src=$(cd "$kb/source" 2>/dev/null && pwd) || {
	echo "$kb has no 'source' link: not a make O= build folder" >&2
	exit 2
}
if [ ! -f "$kb/Module.symvers" ] || [ ! -f "$kb/include/config/kernel.release" ]; then
	echo "$kb: no Module.symvers or include/config/kernel.release: build the kernel first" >&2
	exit 2
fi
kver=$(cat "$kb/include/config/kernel.release")
arch=x86

# The source half: what kernel.spec and Debian's linux-headers-*-common keep.
copy_source() { # DEST
	(cd "$src" && find . -path ./Documentation -prune -o -path ./tools -prune -o \
		-type f \( -name 'Makefile*' -o -name 'Kbuild*' -o -name 'Kconfig*' \) -print0 |
		cpio -0 -pdm --quiet "$1")
	(cd "$src" && find scripts include "arch/$arch/include" -type f ! -name '*.o' -print0 |
		cpio -0 -pdmu --quiet "$1")
}

# The build half: configuration, symbol versions, generated headers and the
# host programs modpost, fixdep, genksyms, recordmcount (objects left out).
copy_build() { # DEST
	(cd "$kb" && for f in .config Module.symvers System.map; do printf '%s\0' "$f"; done |
		cpio -0 -pdmu --quiet "$1")
	(cd "$kb" && find include/generated include/config "arch/$arch/include/generated" scripts \
		-type f ! -name '*.o' ! -name '.*.cmd' -print0 2>/dev/null |
		cpio -0 -pdmu --quiet "$1")
}

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$layout" = rhel ]; then
	dest=$out/kernels/$kver
	mkdir -p "$dest"
	copy_source "$dest"
	copy_build "$dest"
	# kernel.spec: "Make sure the Makefile and version.h have a matching
	# timestamp so that external modules can be built"
	touch -r "$dest/Makefile" "$dest/include/generated/uapi/linux/version.h" 2>/dev/null ||
		touch -r "$dest/Makefile" "$dest/include/linux/version.h" 2>/dev/null || true
	touch -r "$dest/.config" "$dest/include/generated/autoconf.h"
else
	common=$out/linux-headers-$kver-common
	dest=$out/linux-headers-$kver
	mkdir -p "$common" "$dest"
	copy_source "$common"
	copy_build "$dest"
	version=$(sed -n 's/^VERSION = //p' "$src/Makefile")
	patchlevel=$(sed -n 's/^PATCHLEVEL = //p' "$src/Makefile")
	quiet=silent_ sh "$src/scripts/mkmakefile" "$common" "$dest" "$version" "$patchlevel"
fi
if find "$out" -name '*.c' ! -path '*/scripts/*' | grep -q .; then
	echo "$out: C sources outside scripts/ were copied" >&2
	exit 1
fi
echo "$dest"
