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
# Before 2, with the kernel's kprobes (ftrace's other users that rewrite
# the call): armed before insmod, armed after, rmmod while armed.
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

# ---- kprobes -------------------------------------------------------------
# A kprobe on a function ftrace calls the module for is another callback
# that sets regs->ip. Before 3.19 (no IPMODIFY) the last callback wins:
# the kprobe subsystem's, when it was registered before the module's. From
# 3.19 ftrace refuses a second IPMODIFY user at registration (insmod after a
# kprobe on the function), and the kprobe handler puts back the regs->ip it
# found, so a kprobe armed after insmod leaves the redirect alone.
TR=/sys/kernel/debug/tracing
[ -w $TR/kprobe_events ] || TR=/sys/kernel/tracing
major=$(uname -r | cut -d. -f1)
minor=$(uname -r | cut -d. -f2)
ipmodify=0
{ [ "$major" -gt 3 ] || [ "$minor" -ge 19 ]; } && ipmodify=1

kp_arm() {
	echo "p:hrp_$1 $2" >>$TR/kprobe_events 2>/dev/null &&
		echo 1 >"$TR/events/kprobes/hrp_$1/enable" 2>/dev/null
}

kp_clear() {
	for e in "$TR"/events/kprobes/hrp_*/enable; do
		[ -e "$e" ] && echo 0 >"$e"
	done
	echo >$TR/kprobe_events
}

loaded() {
	grep -q '^ip6_hostroute_pmtu ' /proc/modules
}

# rmmod_bounded DESCRIPTION: rmmod returns within 10 s
rmmod_bounded() {
	rmmod ip6_hostroute_pmtu 2>/dev/null &
	pid=$!
	t=0
	while kill -0 $pid 2>/dev/null && [ $t -lt 100 ]; do
		sleep 0.1
		t=$((t + 1))
	done
	! kill -0 $pid 2>/dev/null && ! loaded
	ok $? "$1: rmmod returns, module gone (after $((t / 10)).$((t % 10)) s)"
}

# try_insmod: insmod, its exit status in $rc, the module's dmesg lines in
# $msg and how many there are in $nmsg (busybox's insmod tries
# init_module() after finit_module(): the same line once per attempt)
try_insmod() {
	dmesg -c >/dev/null
	out=$(insmod $KO 2>&1)
	rc=$?
	msg=$(dmesg | grep 'ip6_hostroute_pmtu: ' | grep -v 'taints kernel' |
		sed 's/^\[[^]]*\] //' | sort -u)
	nmsg=$(printf '%s\n' "$msg" | grep -c .)
}

# one_ptb DESCRIPTION: a Packet Too Big with the module loaded is fixed
one_ptb() {
	HRP_KO="" scenario "$1" --expect fixed --case main
}

if [ -w $TR/kprobe_events ]; then
	# Armed before insmod (on an unrelated function: the kprobe
	# subsystem's ftrace_ops is registered all the same).
	kp_arm k0 ip6_route_output
	try_insmod
	if [ "$ipmodify" = 0 ]; then
		[ "$rc" != 0 ] && ! loaded && [ "$nmsg" = 1 ] &&
			printf '%s\n' "$msg" | grep -q 'a kprobe is armed'
		ok $? "kprobe armed before insmod, no IPMODIFY: insmod refuses, in one line (exit $rc: $msg)"
		# An admin who must keep it: the module reports an undone redirect.
		dmesg -c >/dev/null
		insmod $KO armed_kprobes=1
		ok $? "... loads with armed_kprobes=1"
		kp_arm k1 ip6_rt_update_pmtu
		ok $? "a kprobe on ip6_rt_update_pmtu() armed after it"
		HRP_KO="" scenario.sh --expect fixed --case main >/tmp/kp.out 2>&1
		held=$?
		grep -E '^(not ok|ok)' /tmp/kp.out | sed 's/^/# /'
		a=$(cat /sys/module/ip6_hostroute_pmtu/parameters/hooks_active)
		undid=$(dmesg | grep 'ip6_hostroute_pmtu: a kprobe or another ftrace user on ip6_rt_update_pmtu')
		# Where the module also replaces ip6_update_pmtu() (gcc inlined
		# part of ip6_rt_update_pmtu() into it: 3.12, 3.13, 3.15,
		# 3.16.0), a Packet Too Big for ping never reaches the kprobed
		# function, and the fix holds instead.
		{ [ "$a" = 0 ] && [ -n "$undid" ]; } ||
			{ [ "$held" = 0 ] && [ "$a" = 1 ] && [ -z "$undid" ]; }
		ok $? "the kprobe overriding the redirect is reported, or never meets the Packet Too Big (scenario exit $held, hooks_active $a, dmesg: $undid)"
		rmmod_bounded "kprobe undoing the redirect"
	else
		[ "$rc" = 0 ] && loaded
		ok $? "kprobe armed before insmod, IPMODIFY: insmod loads (exit $rc $out)"
		kp_arm k1 ip6_rt_update_pmtu
		armed=$?
		one_ptb "a kprobe on ip6_rt_update_pmtu() set after insmod (arming it: exit $armed): the fix holds"
		rmmod_bounded "kprobes armed"
	fi
	kp_clear
	# A kprobe on ip6_rt_update_pmtu() itself before insmod.
	kp_arm k1 ip6_rt_update_pmtu
	try_insmod
	[ "$rc" != 0 ] && ! loaded && [ "$nmsg" = 1 ]
	ok $? "kprobe on ip6_rt_update_pmtu() before insmod: insmod refuses, in one line (exit $rc: $msg)"
	kp_clear
	# Armed after insmod: the kprobe's callback runs first, the module's
	# redirect stands.
	dmesg -c >/dev/null
	insmod $KO
	ok $? "insmod with no kprobe armed"
	kp_arm k0 ip6_route_output
	kp_arm k1 ip6_rt_update_pmtu
	armed=$?
	one_ptb "kprobes on ip6_route_output() and ip6_rt_update_pmtu() set after insmod (arming the second: exit $armed): the fix holds"
	a=$(cat /sys/module/ip6_hostroute_pmtu/parameters/hooks_active)
	undid=$(dmesg | grep 'overrides the module.s redirect')
	[ -z "$undid" ] && [ "$a" = 1 ]
	ok $? "... and no redirect was undone (hooks_active $a)"
	rmmod_bounded "kprobes armed after insmod"
	kp_clear
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

# IPv6 as a module (CONFIG_IPV6=m, loaded at boot by the test bed): the
# module links against ipv6.ko's exports, so the kernel lists it as a user
# of ipv6, and ipv6 stays while it is loaded (3.x-4.1's ipv6 has no exit
# at all: it shows [permanent]).
if grep -q '^ipv6 ' /proc/modules; then
	users=$(awk '$1 == "ipv6" { print $4 }' /proc/modules)
	err=$(rmmod ipv6 2>&1)
	rc=$?
	case ",$users," in
	*,ip6_hostroute_pmtu,*) user=0 ;;
	*) user=1 ;;
	esac
	[ "$user" = 0 ] && [ "$rc" != 0 ] && grep -q '^ipv6 ' /proc/modules
	ok $? "IPv6 is a module: ipv6 is used by the module (users: $users) and stays (rmmod ipv6: exit $rc, $err; $(awk '$1 == "ipv6"' /proc/modules))"
fi

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
