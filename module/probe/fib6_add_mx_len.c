// SPDX-License-Identifier: GPL-2.0
/* fib6_add() takes the metrics as netlink attributes (3.15 to 3.19). */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>

_Static_assert(__builtin_types_compatible_p(typeof(fib6_add),
	int (struct fib6_node *, struct rt6_info *, struct nl_info *,
	     struct nlattr *, int)), "fib6_add() with mx, mx_len");
