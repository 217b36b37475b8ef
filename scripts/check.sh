#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test this machine can run, as TAP, ending with the line
# "N passed, N failed, N skipped".
#
# Environment:
#   HRP_KSRC      a modern kernel source tree (default: Debian's
#                 /usr/src/linux-source-6.1.tar.xz, extracted under .build/)
#   HRP_NET_NEXT_KSRC  the kernel source patches/net-next is for (default:
#                 Debian's /usr/src/linux-source-6.12.tar.xz, extracted)
#   HRP_AFFECTED  space-separated build dirs of affected (3.10-4.1) test
#                 kernels: each gets scripts/check-affected.sh (module life
#                 cycle, KUnit with and without it, stress and cost)
#   HRP_MAKEFLAGS extra make variables for building against those kernels
#                 (e.g. a CC= that suits them), as shell words
#   HRP_SHARED_KERNELS  a folder of affected kernels to build and test, as
#                 scripts/shared-kernels.sh reads it (default: ../shared/kernels
#                 beside this repository, when it exists)
#   HRP_QUICK=1   skip the slow steps (kernel builds, QEMU)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
B=$top/.build
mkdir -p "$B/logs"

n=0
passed=0
failed=0
skipped=0

result() {
	# result RC DESCRIPTION [SKIP-REASON]
	n=$((n + 1))
	if [ -n "${3:-}" ]; then
		skipped=$((skipped + 1))
		echo "ok $n - $2 # SKIP $3"
	elif [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

# step DESCRIPTION COMMAND...: run, show its TAP indented, record the result
step() {
	local desc=$1 log rc
	shift
	log=$B/logs/step$((n + 1)).log
	"$@" >"$log" 2>&1
	rc=$?
	grep -aE '^(not ok|ok|#|1\.\.|    )' "$log" | sed 's/^/    /'
	if [ "$rc" != 0 ]; then
		echo "    # exit $rc; last lines of $log:"
		tail -n 15 "$log" | sed 's/^/    #   /'
	fi
	result "$rc" "$desc"
	return "$rc"
}

echo "TAP version 13"
echo "# ip6_hostroute_pmtu make check, host kernel $(uname -r), $(date -u +%FT%TZ)"

# sendable SERIES BASE: scripts/sendable-series.sh under a made-up sender
# gives the same patches but for who wrote and signed them (a backport
# keeps its upstream author and its sign-offs; the project's one goes).
sendable() {
	local home out p rc=0
	home=$(mktemp -d)
	out=$home/out
	HOME=$home git config --global user.name "Test Sender"
	HOME=$home git config --global user.email test.sender@example.org
	HOME=$home scripts/sendable-series.sh "$1" "$2" "$out" || { rm -rf "$home"; return 1; }
	project=$(sed -n 's/^Signed-off-by: //p' "$1/$(head -n 1 "$1/series")" | tail -n 1)
	while read -r p; do
		# The project's patches become the sender's; a backport keeps
		# its upstream author.
		author="Test Sender"
		if ! grep -q "^From: ${project%% <*}" "$1/$p"; then
			author=$(sed -n 's/^From: //p' "$1/$p" | head -n 1)
		fi
		if ! grep -q '^Signed-off-by: Test Sender <test.sender@example.org>$' "$out/$p" ||
			grep -qF "Signed-off-by: $project" "$out/$p" ||
			! grep -qF "From: $author" "$out/$p"; then
			echo "# $p: not signed off by the sender alone, or not by its author ($author)"
			rc=1
		fi
		if ! diff <(sed '/^From [0-9a-f]\{40\} /d; /^From: /,/^Date: /d; /^Signed-off-by: /d; /^-- $/,$d' "$1/$p") \
			<(sed '/^From [0-9a-f]\{40\} /d; /^From: /,/^Date: /d; /^Signed-off-by: /d; /^-- $/,$d' "$out/$p"); then
			echo "# $p: differs in more than its author and sign-off"
			rc=1
		fi
	done <"$1/series"
	rm -rf "$home"
	return "$rc"
}

# ---- static checks --------------------------------------------------------

mapfile -t shells < <(ls scripts/*.sh scripts/guest/*.sh .ci/run 2>/dev/null)
step "shellcheck: ${#shells[@]} scripts" shellcheck -x "${shells[@]}"
step "hrp-net helper builds (static)" make -s tools
step "the patch series decide as module/decision.h does, over every input" \
	scripts/check-decision.sh

# ---- the scenario on this machine's kernel --------------------------------

if [ "$(id -u)" = 0 ] && ip netns add hrp-probe$$ 2>/dev/null; then
	ip netns del hrp-probe$$
	step "scenario --expect fixed on the host kernel $(uname -r)" \
		scripts/scenario.sh --expect fixed
else
	result 0 "scenario on the host kernel" "needs root and network namespaces"
fi

# ---- a modern kernel in QEMU ----------------------------------------------

# debian_source X.Y: Debian's linux-source-X.Y, extracted under .build/ once;
# prints its path, or nothing when the package is not installed.
debian_source() {
	local tarball=/usr/src/linux-source-$1.tar.xz dir=$B/linux-source-$1
	[ -f "$tarball" ] || return 0
	if [ ! -f "$dir/Makefile" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -xf "$tarball" -C "$dir" --strip-components=1 || return 0
	fi
	echo "$dir"
}

if [ "${HRP_QUICK:-0}" = 1 ]; then
	result 0 "modern test kernel, QEMU steps" "HRP_QUICK=1"
else
	ksrc=${HRP_KSRC:-}
	[ -n "$ksrc" ] || ksrc=$(debian_source 6.1)
	kb=$B/kernel-$(basename "${ksrc:-none}")
	if [ -z "$ksrc" ]; then
		result 0 "modern test kernel" "no kernel source (apt-get install linux-source-6.1, or HRP_KSRC=)"
	elif step "test kernel built from $ksrc" \
		scripts/build-kernel.sh "$ksrc" "$kb"; then
		step "QEMU $(basename "$ksrc"): scenario --expect fixed" \
			scripts/qemu-run.sh --kernel "$kb" --log "$B/qemu-modern-scenario.log" \
			-- scenario.sh --expect fixed
		if step "module builds against $(basename "$ksrc") without warnings" \
			scripts/build-module.sh --w1 "$kb" "$B/mod-modern"; then
			step "QEMU $(basename "$ksrc"): the module refuses to load, in one line" \
				scripts/qemu-run.sh --kernel "$kb" --log "$B/qemu-modern-refuse.log" \
				--ko "$B/mod-modern/src/ip6_hostroute_pmtu.ko" -- refuse.sh
		else
			result 0 "QEMU: the module refuses to load" "module did not build"
		fi
		step "QEMU $(basename "$ksrc"): KUnit suites, judged by kunit.py" \
			scripts/kunit-run.sh --kernel "$kb" \
			--kunitpy "$ksrc/tools/testing/kunit/kunit.py"
	fi
	if [ -n "$ksrc" ]; then
		step "patches: hygiene and checkpatch.pl --strict of $(basename "$ksrc")" \
			scripts/check-patches.sh "$ksrc/scripts/checkpatch.pl"
	fi
	# The net-next patch is for the newest kernel Debian ships.
	nsrc=${HRP_NET_NEXT_KSRC:-$(debian_source 6.12)}
	nkb=$B/kernel-$(basename "${nsrc:-none}")
	if [ -z "$nsrc" ]; then
		result 0 "patches/net-next: pmtu.sh on 6.12" \
			"no kernel source (apt-get install linux-source-6.12, or HRP_NET_NEXT_KSRC=)"
	elif step "test kernel built from $nsrc" \
		scripts/build-kernel.sh "$nsrc" "$nkb"; then
		step "QEMU $(basename "$nsrc"): pmtu.sh with patches/net-next, IPv6 cases" \
			scripts/pmtu-selftest.sh "$nsrc" "$nkb"
		step "dkms: dkms.conf read, $(basename "$nsrc") left out by BUILD_EXCLUSIVE_KERNEL" \
			scripts/dkms-check.sh --excluded "$nkb"
	fi
	if [ -n "$nsrc" ]; then
		step "sendable-series.sh: patches/net-next under the sender's name" \
			sendable patches/net-next "$nsrc"
	fi
fi

# ---- affected kernels that a kernels folder provides ------------------------

# The series made for kernel V: patches/vV, else the one for its x.y line.
series_for() {
	local v=$1 d
	for d in "patches/v$v" patches/v"${v%.*}"*; do
		[ -f "$d/series" ] && { echo "$d"; return 0; }
	done
	return 1
}

as_comments() {
	local l
	while IFS= read -r l; do
		echo "# $l"
	done
}

# patched_tree SRC SERIES OUT: a copy of SRC with SERIES applied. Files the
# tree does not have (a source tarball without Documentation/) are left out
# of the patch, and listed.
patched_tree() {
	local src=$1 series=$2 out=$3 p missing
	if [ -f "$out/.hrp-series" ] && [ "$(cat "$out/.hrp-series")" = \
		"$(cat "$series"/*.patch | sha256sum)" ]; then
		echo "# reusing $out"
		return 0
	fi
	rm -rf "$out"
	cp -a "$src" "$out"
	while read -r p; do
		missing=$(sed -n 's|^+++ b/||p' "$series/$p" | while read -r f; do
			[ -e "$src/$f" ] || echo "$f"
		done)
		excl=()
		for f in $missing; do
			echo "# $p: $f is not in this tree, left out"
			excl+=(--exclude="$f")
		done
		# Not inside this repository's work tree: there git apply would
		# skip, silently, every path outside the current directory.
		out_p=$(cd "$out" && GIT_CEILING_DIRECTORIES=$(dirname "$out") \
			git apply --verbose "${excl[@]}" "$series/$p" 2>&1) ||
			{ as_comments <<<"$out_p"; return 1; }
		if [ "$(grep -c '^Applied patch' <<<"$out_p")" != \
			"$(($(grep -c '^+++ b/' "$series/$p") - ${#excl[@]}))" ]; then
			as_comments <<<"$out_p"
			return 1
		fi
		echo "ok - applied $p"
	done <"$series/series"
	cat "$series"/*.patch | sha256sum >"$out/.hrp-series"
}

shared=${HRP_SHARED_KERNELS:-$top/../shared/kernels}
if [ "${HRP_QUICK:-0}" = 1 ]; then
	result 0 "affected kernels of $shared" "HRP_QUICK=1"
elif [ ! -d "$shared" ] || [ -z "$(scripts/shared-kernels.sh --list "$shared")" ]; then
	result 0 "affected kernels of a kernels folder" \
		"no kernels folder at $shared (HRP_SHARED_KERNELS=)"
elif step "affected kernels of $shared built" scripts/shared-kernels.sh "$shared"; then
	for v in $(scripts/shared-kernels.sh --list "$shared"); do
		kb=$B/shared/kernel-$v
		mapfile -t kv <"$B/shared/kernel-$v.vars"
		ko=$B/mod-kernel-$v/src/ip6_hostroute_pmtu.ko
		if step "$v: module builds with W=1, no warning in our sources" \
			scripts/build-module.sh --w1 "$kb" "$B/mod-kernel-$v" -- "${kv[@]}"; then
			step "$v QEMU: module life cycle (legacy, repair, fixed, sysctl 0, rmmod, legacy)" \
				scripts/qemu-run.sh --kernel "$kb" --timeout 2400 \
				--log "$B/qemu-$v-module.log" --ko "$ko" -- module.sh
			step "$v: dkms builds the module (dkms.conf, compiler wrapper)" \
				scripts/dkms-check.sh "$kb" -- "${kv[@]}"
			for layout in rhel debian; do
				if hd=$(scripts/headers-tree.sh --layout "$layout" "$kb" \
					"$B/headers-$layout-$v" | tail -n 1); then
					step "$v: dkms builds and installs the module against a $layout-style headers tree" \
						scripts/dkms-check.sh "$hd" -- "${kv[@]}"
				else
					result 1 "$v: $layout-style headers tree made from the build folder"
				fi
			done
			step "$v QEMU: KUnit suites fail without the module, as on any unfixed kernel" \
				scripts/kunit-run.sh --kernel "$kb" --expect fail -- "${kv[@]}"
			step "$v QEMU: KUnit suites pass with the module" \
				scripts/kunit-run.sh --kernel "$kb" --module "$ko" -- "${kv[@]}"
			if [ -n "${nsrc:-}" ]; then
				step "$v QEMU: patches/net-next's pmtu.sh case fails without the module" \
					scripts/pmtu-selftest.sh --expect-fail pmtu_ipv6_host_route_exception \
					--log "$B/qemu-$v-pmtu-without.log" "$nsrc" "$kb" \
					pmtu_ipv6_host_route_exception
				# Not list_flush_ipv6_exception: before 4.2 every
				# lookup through a gateway route makes a cached entry,
				# so it fails there with or without the module.
				step "$v QEMU: pmtu.sh IPv6 cases pass with the module" \
					scripts/pmtu-selftest.sh --ko "$ko" \
					--log "$B/qemu-$v-pmtu-with.log" "$nsrc" "$kb" \
					pmtu_ipv6_exception pmtu_ipv6_route_change \
					pmtu_ipv6_host_route_exception
			fi
		fi
		if ! series=$(series_for "$v"); then
			result 0 "$v: patched kernel" "no series in patches/ for $v"
			continue
		fi
		series=$top/$series
		if step "$v patched with ${series#"$top"/}: tree" \
			patched_tree "$B/shared/src-$v" "$series" "$B/shared/src-$v-patched" &&
			step "$v patched with ${series#"$top"/}: kernel built" \
			scripts/build-kernel.sh "$B/shared/src-$v-patched" \
			"$B/shared/kernel-$v-patched" -- "${kv[@]}"; then
			step "$v patched QEMU: scenario --expect fixed" \
				scripts/qemu-run.sh --kernel "$B/shared/kernel-$v-patched" \
				--timeout 2400 --log "$B/qemu-$v-patched-fixed.log" -- \
				scenario.sh --expect fixed
			step "$v patched QEMU: scenario --expect legacy --sysctl 0" \
				scripts/qemu-run.sh --kernel "$B/shared/kernel-$v-patched" \
				--timeout 1200 --log "$B/qemu-$v-patched-legacy.log" -- \
				scenario.sh --expect legacy --sysctl 0
			# The module on a kernel that has the series: no -ENOMEM
			# on the sysctl, one line saying it is not needed.
			if step "$v patched: module builds (the refusal)" \
				scripts/build-module.sh --w1 "$B/shared/kernel-$v-patched" \
				"$B/mod-kernel-$v-patched" -- "${kv[@]}"; then
				step "$v patched QEMU: the module refuses to load, in one line" \
					scripts/qemu-run.sh --kernel "$B/shared/kernel-$v-patched" \
					--log "$B/qemu-$v-patched-refuse.log" \
					--ko "$B/mod-kernel-$v-patched/src/ip6_hostroute_pmtu.ko" -- \
					refuse.sh "kernel already carries the host route PMTU fix"
			fi
		fi
	done
fi

# ---- affected kernels, when the developer has them ------------------------

if [ -z "${HRP_AFFECTED:-}" ]; then
	result 0 "module life cycle on affected kernels" \
		"no affected kernel build given (HRP_AFFECTED=\"dir ...\"); see docs/matrix.md"
else
	# Shell words, quotes allowed: HRP_MAKEFLAGS='CC="gcc -fno-PIE"'
	extra=()
	eval "extra=(${HRP_MAKEFLAGS:-})"
	for kb in $HRP_AFFECTED; do
		step "affected kernel $(basename "$kb"): scripts/check-affected.sh" \
			scripts/check-affected.sh "$kb" -- "${extra[@]}"
	done
fi

echo "1..$n"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
