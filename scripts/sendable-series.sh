#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn a series of patches/ into one a person can send, under their own name:
#
#   scripts/sendable-series.sh SERIES_DIR BASE_TREE OUT_DIR
#
# The series in the repository are the project's work, signed off by its
# automated address, which cannot certify the Developer's Certificate of
# Origin: only the person who sends a patch can. This applies SERIES_DIR
# (e.g. patches/v4.1) with `git am` onto the files BASE_TREE (the kernel
# tree the series is for, with or without git history) has, makes each
# commit the project wrote yours (author and committer from your git
# config: user.name and user.email; a backport keeps its upstream author,
# with you as committer), puts your Signed-off-by where the project's
# was, and writes the series again with `git format-patch`, with the notes
# below the ---, the same subject prefix, and the stored cover letter's
# text, into OUT_DIR. Review it, add To/Cc from the tree's
# scripts/get_maintainer.pl, and send it with git send-email
# (patches/README.md, "Sending").
set -euo pipefail

usage() {
	sed -n '4,20p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
[ $# -eq 3 ] || usage
series=$(cd "$1" && pwd)
base=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
[ -f "$series/series" ] || { echo "$0: no series file in $series" >&2; exit 2; }

name=$(git config user.name || true)
email=$(git config user.email || true)
if [ -z "$name" ] || [ -z "$email" ]; then
	echo "$0: set your identity first: git config --global user.name/user.email" >&2
	exit 2
fi
# The project's identity: the last sign-off of the first patch (a backport
# carries the upstream sign-offs before it).
project=$(sed -n 's/^Signed-off-by: //p' "$series/$(head -n 1 "$series/series")" | tail -n 1)
if [ "$project" = "$name <$email>" ]; then
	echo "$0: your git identity is the project's ($project): use your own" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t pats <"$series/series"
# The base: every file the series touches, as BASE_TREE has it.
while read -r f; do
	[ -n "$f" ] || continue
	mkdir -p "$work/git/$(dirname "$f")"
	cp "$base/$f" "$work/git/$f"
done < <(for p in "${pats[@]}"; do sed -n 's|^--- a/||p' "$series/$p"; done | sort -u)

cd "$work/git"
export GIT_CEILING_DIRECTORIES=$work
git init -q
git add -A
git commit -q -m "base: $(basename "$base")"
git tag base
git am -q "${pats[@]/#/$series/}"
# Each commit the project wrote becomes yours; a backport keeps its upstream
# author. Your sign-off takes the place of the project's, the last one, at
# the end of the trailers (a backport's include its [ deviation note ]).
cat >../resign <<EOF
#!/bin/sh
set -e
git log -1 --format=%B | grep -vF 'Signed-off-by: $project' |
	awk '{ l[NR] = \$0 } NF { last = NR }
	     END { for (i = 1; i <= last; i++) print l[i]
		   if (l[last] !~ /^[A-Za-z-]+: |]\$/) print "" }' >../msg
echo 'Signed-off-by: $name <$email>' >>../msg
if [ "\$(git log -1 --format='%an <%ae>')" = '$project' ]; then
	git commit -q --amend --reset-author -F ../msg
else
	git commit -q --amend -F ../msg
fi
EOF
chmod +x ../resign
git -c core.editor=true rebase -q base --exec ../resign >../rebase.log 2>&1 ||
	{ cat ../rebase.log >&2; exit 1; }

# git am drops the notes below the --- (why a patch is stable-only): carry
# them over as git notes, which format-patch --notes writes back.
i=${#pats[@]}
for p in "${pats[@]}"; do
	i=$((i - 1))
	sed -n '/^---$/,/^diff --git/p' "$series/$p" |
		sed -n '/^Notes:$/,/^$/p' | sed '1d; $d; s/^    //' >../note
	if [ -s ../note ]; then
		git notes add -F ../note "HEAD~$i"
	fi
done

# Blob ids as long as the stored series has them.
abbrev=$(sed -n 's/^index \([0-9a-f]*\)\.\..*/\1/p' "$series/${pats[0]}" | head -n 1)
abbrev=${#abbrev}
[ "$abbrev" -ge 7 ] || abbrev=12
prefix=$(sed -n 's/^Subject: \[\(.*\) [0-9]*\/[0-9]*\].*/\1/p; s/^Subject: \[\([^]]*[^0-9/]\)\].*/\1/p' \
	"$series/${pats[0]}" | head -n 1)
cover=()
if [ -f "$series/0000-cover-letter.patch" ]; then
	# The stored cover letter's subject and text, as the branch description.
	{
		sed -n 's/^Subject: \[[^]]*\] //p' "$series/0000-cover-letter.patch" | head -n 1
		echo
		sed -n '/^$/,$p' "$series/0000-cover-letter.patch" | sed '1d' |
			sed '/^[^ ].* ([0-9]*):$/,$d'
	} >../desc
	git config branch."$(git branch --show-current)".description "$(cat ../desc)"
	cover=(--cover-letter --cover-from-description=subject)
fi
rm -f "$out"/*.patch
git -c core.abbrev="$abbrev" format-patch -q --notes --no-signature --subject-prefix="$prefix" \
	"${cover[@]}" -o "$out" base..HEAD
ls "$out"
