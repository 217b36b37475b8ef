#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Apply patches/net-next to a copy of a current kernel source tree and run
# its KUnit test the kernel's way:
#
#   scripts/kunit-net-next.sh KSRC WORKDIR
#
# The copy (WORKDIR/linux-net-next) shares unchanged files with KSRC by hard
# links; the files the series touches are real copies, patched there.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 2 ]; then
	echo "usage: $0 KSRC WORKDIR" >&2
	exit 2
fi
ksrc=$(cd "$1" && pwd)
work=$(mkdir -p "$2" && cd "$2" && pwd)
tree=$work/linux-net-next
series=$top/patches/net-next

echo "TAP version 13"
rm -rf "$tree"
cp -al "$ksrc" "$tree" || exit 2
# Unlink what the series changes, so that patching leaves KSRC alone.
while read -r p; do
	sed -n 's|^--- a/||p' "$series/$p"
done <"$series/series" | sort -u | while read -r f; do
	rm -f "$tree/$f"
	cp "$ksrc/$f" "$tree/$f"
done
ok=0
while read -r p; do
	(cd "$tree" && patch -p1 -s --no-backup-if-mismatch <"$series/$p") || ok=1
done <"$series/series"
if [ "$ok" != 0 ]; then
	echo "not ok 1 - patches/net-next applies to $(basename "$ksrc")"
	exit 1
fi
echo "ok 1 - patches/net-next applies to $(basename "$ksrc")"

cd "$tree" || exit 2
python3 tools/testing/kunit/kunit.py run --arch=x86_64 --kunitconfig=net/ipv6 \
	--build_dir="$work/kunit-net-next" --jobs "$(nproc)" >"$work/kunit-net-next.log" 2>&1
rc=$?
grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]|Testing complete' "$work/kunit-net-next.log" |
	sed 's/^\[[^]]*\] /# /'
summary=$(grep 'Testing complete' "$work/kunit-net-next.log" | sed 's/^\[[^]]*\] //')
if [ "$rc" = 0 ] && [ -n "$summary" ]; then
	echo "ok 2 - kunit.py run: $summary"
else
	tail -n 20 "$work/kunit-net-next.log" | sed 's/^/# /'
	echo "not ok 2 - kunit.py run (exit $rc): ${summary:-no summary; log $work/kunit-net-next.log}"
fi
echo "1..2"
exit "$rc"
