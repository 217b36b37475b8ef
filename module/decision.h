/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a path MTU decrease does to a route: the one decision of the fix.
 *
 * Shared, unchanged, by the module (module/pmtu.c), the KUnit "decision"
 * suite (kunit/) and the equivalence check against the patch series
 * (scripts/check-decision.sh): it needs nothing but u32/u8/bool and the
 * RTF_* flags of the uapi headers <linux/route.h> and <linux/ipv6_route.h>.
 *
 * The bug (kernels 3.10 to 4.1): ip6_rt_update_pmtu() writes the MTU and
 * an expiry into any route with a /128 destination, including the route an
 * administrator configured with a gateway, which lookups hand out without
 * cloning; when the expiry passes, the fib garbage collector deletes the
 * configured route. The fix moves the learned MTU to an RTF_CACHE clone of
 * that route, as Linux 4.2 does for every route.
 */
#ifndef _HRP_DECISION_H
#define _HRP_DECISION_H

#include <linux/in6.h>
#include <linux/ipv6_route.h>
#include <linux/route.h>

#define HRP_IPV6_MIN_MTU 1280

enum hrp_pmtu_action {
	/* Not a route the bug touches, or the fix is off: the kernel's own
	 * ip6_rt_update_pmtu() runs, unchanged.
	 */
	HRP_PMTU_STOCK,
	/* A configured gateway host route, but the MTU would not go down
	 * (RFC 8201: never raise it): nothing changes anywhere.
	 */
	HRP_PMTU_IGNORE,
	/* A configured gateway host route and a real decrease: the learned
	 * MTU and its expiry go to an RTF_CACHE clone of the route.
	 */
	HRP_PMTU_CLONE,
};

struct hrp_pmtu_event {
	u32 rt_flags;	/* rt6i_flags of the route the packet was routed by */
	u8 dst_plen;	/* its rt6i_dst.plen */
	bool in_fib;	/* linked in a fib6 table (rt6i_node != NULL) */
	bool enabled;	/* net.ipv6.route.host_route_pmtu_exception */
	u32 cur_mtu;	/* dst_mtu() of that route now */
	u32 new_mtu;	/* the MTU reported by Packet Too Big or a tunnel */
};

/*
 * hrp_pmtu_decide() - what to do with a reported path MTU
 * @ev:  the route and the report
 * @mtu: set to the MTU to record when HRP_PMTU_CLONE is returned: the
 *       reported one, raised to the IPv6 minimum link MTU
 */
static inline enum hrp_pmtu_action
hrp_pmtu_decide(const struct hrp_pmtu_event *ev, u32 *mtu)
{
	u32 new_mtu = ev->new_mtu;

	if (!ev->enabled)
		return HRP_PMTU_STOCK;
	/* Clones are the kernel's own business, and so is everything that
	 * is not a configured host route with a gateway: routes without a
	 * gateway and shorter prefixes are cloned by the lookup already.
	 */
	if ((ev->rt_flags & RTF_CACHE) || !ev->in_fib ||
	    ev->dst_plen != 128 || !(ev->rt_flags & RTF_GATEWAY))
		return HRP_PMTU_STOCK;

	if (new_mtu < HRP_IPV6_MIN_MTU)
		new_mtu = HRP_IPV6_MIN_MTU;
	if (new_mtu >= ev->cur_mtu)
		return HRP_PMTU_IGNORE;

	*mtu = new_mtu;
	return HRP_PMTU_CLONE;
}

#endif /* _HRP_DECISION_H */
