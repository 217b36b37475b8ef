#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the QEMU guest: run the KUnit suites of ip6_hostroute_pmtu_kunit.ko in
# a network namespace of their own and print their KTAP, as kunit.py parses
# it, between "HRP-KTAP-BEGIN" and "HRP-KTAP-END".
#
#   qemu-run.sh --kernel K --ko ip6_hostroute_pmtu_kunit.ko \
#       [--ko ip6_hostroute_pmtu.ko] -- kunit.sh [--with-module]
#
# --with-module loads ip6_hostroute_pmtu.ko first (an affected kernel with
# the fix). The suites print to the kernel log; the KTAP is taken from there.
set -u

IP=${HRP_IP:-/usr/sbin/ip}
if [ "${1:-}" = --with-module ]; then
	insmod /hrp/ko/ip6_hostroute_pmtu.ko || exit 2
fi
"$IP" netns add hrpkunit || exit 2
"$IP" -n hrpkunit link add hrpk0 type dummy || exit 2
dmesg -c >/dev/null
"$IP" netns exec hrpkunit insmod /hrp/ko/ip6_hostroute_pmtu_kunit.ko
rc=$?
dmesg | sed 's/^\[[^]]*\] //' >/tmp/klog
echo "HRP-KTAP-BEGIN"
# A module's suites on KUnit itself start indented, without the top-level
# header the built-in executor prints: add it, as kunit.py expects one.
first=$(grep -m 1 'KTAP version 1' /tmp/klog)
if [ "$first" != "KTAP version 1" ]; then
	echo "KTAP version 1"
	echo "1..$(grep -c '^    # Subtest:' /tmp/klog)"
fi
sed -n '/KTAP version 1/,$p' /tmp/klog
echo "HRP-KTAP-END"
rmmod ip6_hostroute_pmtu_kunit 2>/dev/null
"$IP" netns del hrpkunit
[ "$rc" = 0 ]
