#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Hygiene of every series under patches/: a series file that lists
# patches that exist, a filled-in cover letter, the tags netdev and the
# stable trees expect, stable-only notes on backports, and checkpatch.pl
# --strict clean, and the stable rules: a backport begins with "commit
# <sha1> upstream." and keeps the upstream author, a stable-only patch
# says why below the ---, and neither is over 100 lines of diff. TAP
# output.
#
#   scripts/check-patches.sh CHECKPATCH.PL
#
# CHECKPATCH.PL is a kernel's scripts/checkpatch.pl (make check uses the one
# of Debian's linux-source-6.1). Two checkpatch types are ignored, as the
# cover letters say: UNKNOWN_COMMIT_ID (the Fixes: commit is upstream, the
# trees the series were made in carry no history) and FILE_PATH_CHANGES
# (net/ipv6/ is already in MAINTAINERS' NETWORKING [IPv4/IPv6]); and
# GIT_COMMIT_ID on a backport's "commit <sha1> upstream." line, the form
# the stable rules ask for, which checkpatch wants as "commit <sha1>
# ("<title>")".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/patches" || exit 2
checkpatch=${1:-}
if [ -z "$checkpatch" ] || [ ! -f "$checkpatch" ]; then
	echo "usage: $0 <kernel>/scripts/checkpatch.pl" >&2
	exit 2
fi

# ok STATUS DESCRIPTION, counting in $n and $failed: the guest tests' helper.
# shellcheck source=scripts/guest/tap.sh
. "$top/scripts/guest/tap.sh"

echo "TAP version 13"
for d in */; do
	d=${d%/}
	[ -f "$d/series" ]
	ok $? "$d: series file present"
	[ -f "$d/series" ] || continue
	mapfile -t pats <"$d/series"
	# The project's identity: the last sign-off of the first patch.
	project=$(sed -n 's/^Signed-off-by: //p' "$d/${pats[0]}" 2>/dev/null | tail -n 1)
	missing=0
	for p in "${pats[@]}"; do
		[ -f "$d/$p" ] || missing=1
	done
	ok $missing "$d: series lists ${#pats[@]} patch(es), all present"

	if [ ${#pats[@]} -gt 1 ]; then
		cover=$d/0000-cover-letter.patch
		[ -f "$cover" ] && ! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$cover"
		ok $? "$d: cover letter present and filled in"
		out=$(perl "$checkpatch" --strict --no-tree --no-summary --terse \
			--ignore UNKNOWN_COMMIT_ID "$cover" 2>&1)
		rc=$?
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		ok $rc "$d: cover letter checkpatch.pl --strict clean"
	fi

	for p in "${pats[@]}"; do
		f=$d/$p
		[ -f "$f" ] || continue
		subj=$(sed -n 's/^Subject: //p' "$f" | head -n 1)
		grep -q '^Signed-off-by: .* <.*@.*>$' "$f"
		ok $? "$d/$p: Signed-off-by"
		if grep -q '^Fixes:' "$f"; then
			grep -Eq '^Fixes: [0-9a-f]{12} \(".+"\)$' "$f"
			ok $? "$d/$p: Fixes: tag in the 12-hex (\"subject\") form"
		fi
		stable=0
		case "$subj" in
		*"[PATCH 3."* | *"[PATCH 4."*) stable=1 ;;
		esac
		# A backport starts its message with the stable header and keeps
		# the upstream author; a stable-only patch says so below the ---.
		hdr=$(sed -n '/^$/,$p' "$f" | sed -n '2p')
		hdrline=0
		if [[ $hdr =~ ^commit\ [0-9a-f]{40}\ upstream\.$ ]]; then
			hdrline=$(grep -n -m 1 -x "$hdr" "$f" | cut -d: -f1)
			! grep -q "^From: ${project%% <*}" "$f"
			ok $? "$d/$p: backport of ${hdr:7:12}: upstream author kept"
		elif [ $stable = 1 ]; then
			sed -n '/^---$/,/^diff --git/p' "$f" | grep -q 'Not upstream'
			ok $? "$d/$p: stable-only note below the ---"
		fi
		# The stable rules: at most 100 lines with context. The optional
		# distribution patch (the sysctl) is not for stable.
		if [ $stable = 1 ] && ! grep -q '^This is a distribution patch' "$f"; then
			size=$(sed -n '/^diff --git/,$p' "$f" | grep -vc '^-- $\|^[0-9][0-9.]*$')
			[ "$size" -le 100 ]
			ok $? "$d/$p: $size lines of diff, at most 100"
		fi
		out=$(perl "$checkpatch" --strict --no-tree --no-summary --terse \
			--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$f" 2>&1 |
			grep -v "^$f:$hdrline: ERROR: Please use git commit description style")
		[ -z "$out" ]
		rc=$?
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		ok $rc "$d/$p: checkpatch.pl --strict clean"
	done
done
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
