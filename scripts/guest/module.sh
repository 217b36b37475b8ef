#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's life cycle on an affected kernel, in the QEMU guest:
#
#   qemu-run.sh --kernel K --ko ip6_hostroute_pmtu.ko -- module.sh [CASES]
#
#  1. without the module the kernel shows the bug (scenario --expect legacy)
#  2. insmod works, repairs a route the bug had marked, and says so in one
#     dmesg line
#  3. the sysctl exists in every namespace, defaults to 1, rejects bad values
#  4. with the module every case passes --expect fixed
#  5. with the sysctl at 0 the bug is back (--expect legacy)
#  6. rmmod works while a cached route of the module exists, deletes it,
#     and says so
#  7. after rmmod the bug is back (--expect legacy)
#
# CASES (default: all) restricts the scenario cases, e.g. "main sit".
# TAP; each scenario run is a subtest.
set -u

KO=/hrp/ko/ip6_hostroute_pmtu.ko
KNOB=/proc/sys/net/ipv6/route/host_route_pmtu_exception
IP=${HRP_IP:-/usr/sbin/ip}

case_args=""
for c in "$@"; do
	case_args="$case_args --case $c"
done

# shellcheck source=scripts/guest/tap.sh
. /hrp/scripts/guest/tap.sh

# scenario DESCRIPTION ARGS...: one subtest
scenario() {
	desc=$1
	shift
	case " $* " in
	*" --case "*) args="" ;;
	*) args=$case_args ;;
	esac
	# shellcheck disable=SC2086 # word splitting of $args is wanted
	HRP_KO=${HRP_KO:-} scenario.sh "$@" $args >/tmp/scenario.out 2>&1
	rc=$?
	sed 's/^/    /' /tmp/scenario.out
	ok "$rc" "$desc"
}

dmesg_has() {
	dmesg | grep -q "ip6_hostroute_pmtu: $1"
}

echo "TAP version 13"
echo "# kernel $(uname -r)"

scenario "without the module the kernel is affected" --expect legacy

# With kernel.ftrace_enabled=0 ftrace would register the hooks and never
# call them: insmod must refuse, saying so.
FE=/proc/sys/kernel/ftrace_enabled
if [ -w $FE ]; then
	echo 0 >$FE
	out=$(insmod $KO 2>&1)
	rc=$?
	echo 1 >$FE
	msg=$(dmesg | grep 'ip6_hostroute_pmtu: ftrace does not call' | tail -n 1)
	! grep -q '^ip6_hostroute_pmtu ' /proc/modules && [ "$rc" != 0 ] &&
		[ -n "$msg" ]
	ok $? "with kernel.ftrace_enabled=0 insmod refuses, in one line (exit $rc $out: $msg)"
	dmesg -c >/dev/null
fi

HRP_KO=$KO scenario "insmod repairs a route the bug had already marked" \
	--expect fixed --case repair
if ! grep -q '^ip6_hostroute_pmtu ' /proc/modules; then
	dmesg | tail -n 5 | sed 's/^/# /'
	echo "1..$n"
	exit 1
fi
# The kernel's own "loading out-of-tree module taints kernel" is not ours.
lines=$(dmesg | grep 'ip6_hostroute_pmtu' | grep -vc 'taints kernel')
[ "$lines" = 1 ] && dmesg_has "loaded"
ok $? "one dmesg line at load (seen: $lines)"

v=$(cat $KNOB 2>/dev/null)
[ "$v" = 1 ]
ok $? "sysctl present in the initial namespace, default 1 (seen: ${v:-none})"
"$IP" netns add hrpsys
v=$("$IP" netns exec hrpsys cat $KNOB 2>/dev/null)
[ "$v" = 1 ]
ok $? "sysctl present in a namespace created after load, default 1 (seen: ${v:-none})"
for bad in 2 -1 abc 2147483648; do
	"$IP" netns exec hrpsys sh -c "echo $bad > $KNOB" 2>/dev/null
	rc=$?
	v=$("$IP" netns exec hrpsys cat $KNOB)
	[ "$rc" != 0 ] && [ "$v" = 1 ]
	ok $? "writing '$bad' is rejected, value unchanged (write exit $rc, value $v)"
done
"$IP" netns exec hrpsys sh -c "echo 0 > $KNOB"
v=$("$IP" netns exec hrpsys cat $KNOB)
v0=$(cat $KNOB)
[ "$v" = 0 ] && [ "$v0" = 1 ]
ok $? "writing 0 in one namespace changes that namespace only (there $v, initial $v0)"
"$IP" netns del hrpsys

scenario "with the module: fixed behaviour" --expect fixed

# kernel.ftrace_enabled set to 0 while loaded: the module says so.
ACTIVE=/sys/module/ip6_hostroute_pmtu/parameters/hooks_active
if [ -w $FE ]; then
	a1=$(cat $ACTIVE)
	echo 0 >$FE
	a0=$(cat $ACTIVE)
	echo 1 >$FE
	a2=$(cat $ACTIVE)
	msg=$(dmesg | grep 'ip6_hostroute_pmtu: ftrace is not calling' | tail -n 1)
	[ "$a1" = 1 ] && [ "$a0" = 0 ] && [ "$a2" = 1 ] && [ -n "$msg" ]
	ok $? "hooks_active $a1, $a0 while kernel.ftrace_enabled=0 (dmesg: $msg), $a2 after"
fi
scenario "with the module and the sysctl at 0: the kernel's behaviour" \
	--expect legacy --sysctl 0

scenario "rmmod with a cached route of the module in place" \
	--expect fixed --case unload
dmesg_has "unloaded"
ok $? "one dmesg line at unload: $(dmesg | grep 'ip6_hostroute_pmtu: unloaded' | sed 's/.*unloaded: //')"
[ ! -e $KNOB ]
ok $? "the sysctl is gone"

scenario "after rmmod the kernel is affected again" --expect legacy

# On a kernel with kmemleak: nothing the module or the routes it made
# allocated is left unreferenced.
# shellcheck source=scripts/guest/kmemleak.sh
. /hrp/scripts/guest/kmemleak.sh
if [ -w $KL ]; then
	kmemleak_check
	[ "$kl_ours" = 0 ]
	ok $? "kmemleak: nothing of the module or of the routing code unreferenced (unreferenced objects in all: $kl_total, the kernel's own fib6 table leak: $kl_known)"
	kmemleak_show
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
