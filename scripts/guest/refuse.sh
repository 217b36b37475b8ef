#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel the module must not touch (4.2 and later, or one lacking what
# it needs), in the QEMU guest: insmod fails, dmesg says why in one line,
# and nothing is left behind.
#
#   qemu-run.sh --kernel K --ko ip6_hostroute_pmtu.ko -- refuse.sh ['REASON']
#
# REASON (default: the message for kernels that are not affected) must be
# part of the one dmesg line.
set -u

KO=/hrp/ko/ip6_hostroute_pmtu.ko
reason=${1:-kernel already creates PMTU exceptions for host routes; this module is not needed}

# shellcheck source=scripts/guest/tap.sh
. /hrp/scripts/guest/tap.sh

SYSCTL=/proc/sys/net/ipv6/route/host_route_pmtu_exception
echo "TAP version 13"
echo "# kernel $(uname -r)"
# A kernel with the patch series has the sysctl of its own.
had=0
[ -e $SYSCTL ] && had=1
out=$(insmod "$KO" 2>&1)
rc=$?
[ "$rc" != 0 ]
ok $? "insmod refuses (exit $rc: $out)"
# busybox's insmod tries init_module() after a failed finit_module(): one
# line per attempt, the same line each time. The taint notice is the
# kernel's own.
lines=$(dmesg | grep 'ip6_hostroute_pmtu' | grep -v 'taints kernel' |
	sed 's/^\[[^]]*\] //' | sort -u)
count=$(printf '%s\n' "$lines" | grep -c 'ip6_hostroute_pmtu')
[ "$count" = 1 ]
ok $? "one dmesg line, the same at each attempt (seen $count: $lines)"
printf '%s\n' "$lines" | grep -qF "$reason"
ok $? "it says: $reason"
! grep -q '^ip6_hostroute_pmtu ' /proc/modules
ok $? "the module is not loaded"
has=0
[ -e $SYSCTL ] && has=1
[ "$has" = "$had" ]
ok $? "the module registered no sysctl (the kernel's own: before $had, after $has)"
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
