// SPDX-License-Identifier: GPL-2.0
/* Cached routes carry the namespace's generation id (3.10 to 3.13). */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>
#include <net/net_namespace.h>

void hrp_probe(struct rt6_info *rt, struct net *net)
{
	rt->rt6i_genid = rt_genid(net);
}
