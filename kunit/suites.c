// SPDX-License-Identifier: GPL-2.0
/*
 * ip6_hostroute_pmtu_kunit: the KUnit suites of ip6_hostroute_pmtu, as one
 * test module. "hrp_decision" needs nothing; "hrp_fib" works on the network
 * namespace the module is loaded in (ip netns exec NS insmod ...).
 */
#include <linux/module.h>

#include "kunit_compat.h"

extern struct kunit_suite hrp_decision_suite;
extern struct kunit_suite hrp_fib_suite;

kunit_test_suites(&hrp_decision_suite, &hrp_fib_suite);

MODULE_DESCRIPTION("KUnit suites for ip6_hostroute_pmtu: the PMTU decision and the fib6 behaviour of configured IPv6 /128 gateway routes");
MODULE_LICENSE("GPL");
