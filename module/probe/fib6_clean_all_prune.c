// SPDX-License-Identifier: GPL-2.0
/* fib6_clean_all() takes a "prune" argument (before 3.14). */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>

_Static_assert(__builtin_types_compatible_p(typeof(fib6_clean_all),
	void (struct net *, int (*)(struct rt6_info *, void *), int, void *)),
	"fib6_clean_all() with prune");
