// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel keeps a learned path MTU in rt6i_pmtu of its own RTF_CACHE
 * clones: Linux 4.2's fix, backported by RHEL from 7.3 (3.10.0-514).
 */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>

unsigned long hrp_probe = sizeof(((struct rt6_info *)0)->rt6i_pmtu);
