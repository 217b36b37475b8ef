#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test bed's initramfs:
#
#   scripts/mkinitramfs.sh OUT.cpio.gz [--ko FILE]... [--kmod FILE]...
#                          [--file SRC:DEST]... [--dir SRC:DEST]...
#                          [--bin PROGRAM]... -- CMD [ARG]...
#
# Contents: the host's static busybox (every applet), Debian's iproute2 `ip`
# at /usr/sbin/ip with the shared libraries it needs, this repository's
# scripts/ at /hrp/scripts (with the hrp-net helper built static), the given
# kernel modules at /hrp/ko, the kernel's own modules of --kmod (loaded
# at boot, in the order given: ipv6.ko on a CONFIG_IPV6=m kernel), other files and folders where --file and --dir
# say, the host's PROGRAMs of --bin (e.g. bash, iputils ping: busybox has
# neither) at /hrp/bin with the libraries they need, and an /init that mounts the usual file
# systems, runs CMD from /hrp/scripts, prints "HRP-RESULT: rc=N" on the
# console and powers the guest off.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
	echo "usage: $0 OUT.cpio.gz [--ko FILE]... [--kmod FILE]... [--file SRC:DEST]... [--dir SRC:DEST]... [--bin PROGRAM]... -- CMD [ARG]..." >&2
	exit 2
}

[ $# -ge 1 ] || usage
out=$1
shift
kos=()
kmods=()
files=()
dirs=()
bins=()
while [ $# -gt 0 ]; do
	case "$1" in
	--ko) kos+=("$2"); shift 2 ;;
	--kmod) kmods+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--dir) dirs+=("$2"); shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -ge 1 ] || usage

busybox=$(command -v busybox || true)
ipbin=$(command -v ip || true)
[ -n "$ipbin" ] || ipbin=/usr/sbin/ip
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "$0: a static busybox is needed (Debian: apt-get install busybox-static)" >&2
	exit 2
fi
"$ipbin" -V 2>/dev/null | grep -q iproute2 || {
	echo "$0: iproute2's ip is needed (Debian: apt-get install iproute2)" >&2
	exit 2
}

# The helper is part of the test bed: build it static when it is missing or stale.
tool=$here/tools/hrp-net
if [ ! -x "$tool" ] || [ "$here/tools/hrp-net.c" -nt "$tool" ]; then
	${CC:-cc} -static -O2 -Wall -o "$tool" "$here/tools/hrp-net.c"
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,hrp/ko,lib64}
cp "$busybox" "$root/bin/busybox"
cp "$ipbin" "$root/usr/sbin/ip"
# The dynamic loader and every library a program links against, at the same
# paths.
copy_libs() {
	# a static program has none ("not a dynamic executable", exit 1)
	{ ldd "$1" 2>/dev/null || true; } | awk '/=>/ { print $3 } /^\t\// { print $1 }' | while read -r lib; do
		[ -f "$lib" ] || continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_libs "$ipbin"
for b in "${bins[@]}"; do
	path=$(command -v "$b") || {
		echo "$0: $b is not installed here" >&2
		exit 2
	}
	mkdir -p "$root/hrp/bin"
	cp -L "$path" "$root/hrp/bin/$(basename "$path")"
	copy_libs "$path"
done
cp -r "$here" "$root/hrp/scripts"
for ko in "${kos[@]}"; do
	cp "$ko" "$root/hrp/ko/"
done
# The kernel's own modules, loaded at boot in the order given.
mkdir -p "$root/hrp/kmod"
: >"$root/hrp/kmod/order"
for ko in "${kmods[@]}"; do
	cp "$ko" "$root/hrp/kmod/"
	basename "$ko" >>"$root/hrp/kmod/order"
done
for f in "${files[@]}"; do
	mkdir -p "$root$(dirname "${f#*:}")"
	cp "${f%%:*}" "$root${f#*:}"
done
for d in "${dirs[@]}"; do
	mkdir -p "$root${d#*:}"
	cp -rL "${d%%:*}/." "$root${d#*:}/"
done
printf '%q ' "$@" >"$root/hrp/cmd"
echo >>"$root/hrp/cmd"

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/hrp/scripts:/hrp/scripts/guest:/hrp/scripts/tools
export HRP_IP=/usr/sbin/ip HRP_NET=/hrp/scripts/tools/hrp-net HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /var /run/netns
ln -s /run /var/run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
while read -r m; do
	insmod "/hrp/kmod/$m" || echo "hrp: cannot load the kernel's $m"
done </hrp/kmod/order
echo "HRP-BEGIN: $(uname -r) $(cat /hrp/cmd)"
cd /hrp/scripts || exit 1
sh -c ". /hrp/cmd" </dev/null
rc=$?
echo "HRP-RESULT: rc=$rc"
sync
reboot -f
EOF
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
