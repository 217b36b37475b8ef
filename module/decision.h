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
 * an expiry into any route with a /128 destination, including the routes
 * an administrator configured with a gateway (or as a point-to-point peer),
 * which lookups hand out without cloning; when the expiry passes, the fib
 * garbage collector deletes the configured route. The fix moves the learned MTU to an RTF_CACHE clone of
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
	/* A configured host route the lookup hands out uncloned, but the
	 * MTU would not go down (RFC 8201: never raise it): nothing changes
	 * anywhere.
	 */
	HRP_PMTU_IGNORE,
	/* Such a route and a real decrease: the learned MTU and its expiry
	 * go to an RTF_CACHE clone of the route.
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
 * hrp_rt_uncloned_host() - is this a configured /128 that lookups hand out
 * as it is, without a per-destination clone?
 *
 * On 3.10-4.1, ip6_pol_route() clones a route only when it has neither
 * RTF_GATEWAY nor RTF_NONEXTHOP (rt6_alloc_cow()), or when it is not
 * DST_HOST (rt6_alloc_clone()); every /128 is DST_HOST. So a /128 with a
 * gateway, and one with RTF_NONEXTHOP (the peer route of a point-to-point
 * link: "ip addr add A peer B dev sit1"), is used as it is, and a path MTU
 * update lands on the configured route itself. Local, anycast and reject
 * routes are the kernel's business, as in Linux 4.2 and later. Clones
 * (RTF_CACHE) are updated by the kernel's own code.
 */
static inline bool hrp_rt_uncloned_host(u32 rt_flags, u8 dst_plen)
{
	return dst_plen == 128 &&
	       !(rt_flags & (RTF_CACHE | RTF_LOCAL | RTF_ANYCAST | RTF_REJECT)) &&
	       (rt_flags & (RTF_GATEWAY | RTF_NONEXTHOP));
}

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

	if (!ev->enabled || !hrp_rt_uncloned_host(ev->rt_flags, ev->dst_plen) ||
	    !ev->in_fib)
		return HRP_PMTU_STOCK;

	if (new_mtu < HRP_IPV6_MIN_MTU)
		new_mtu = HRP_IPV6_MIN_MTU;
	if (new_mtu >= ev->cur_mtu)
		return HRP_PMTU_IGNORE;

	*mtu = new_mtu;
	return HRP_PMTU_CLONE;
}

#endif /* _HRP_DECISION_H */
