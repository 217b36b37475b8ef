#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test this machine can run, as TAP, ending with the line
# "N passed, N failed, N skipped".
#
# Environment:
#   HRP_KSRC      a modern kernel source tree (default: Debian's
#                 /usr/src/linux-source-6.1.tar.xz, extracted under .build/)
#   HRP_AFFECTED  space-separated build dirs of affected (3.10-4.1) test
#                 kernels: each gets scripts/check-affected.sh (module life
#                 cycle, KUnit with and without it, stress and cost)
#   HRP_MAKEFLAGS extra make variables for building against those kernels
#                 (e.g. a CC= that suits them), as shell words
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

if [ "${HRP_QUICK:-0}" = 1 ]; then
	result 0 "modern test kernel, QEMU steps" "HRP_QUICK=1"
else
	ksrc=${HRP_KSRC:-}
	if [ -z "$ksrc" ] && [ -f /usr/src/linux-source-6.1.tar.xz ]; then
		ksrc=$B/linux-source-6.1
		if [ ! -f "$ksrc/Makefile" ]; then
			mkdir -p "$ksrc"
			tar -xf /usr/src/linux-source-6.1.tar.xz -C "$ksrc" \
				--strip-components=1
		fi
	fi
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
		step "patches/net-next on $(basename "$ksrc"): kunit.py run --arch=x86_64" \
			scripts/kunit-net-next.sh "$ksrc" "$B"
	fi
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
