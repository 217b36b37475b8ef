// SPDX-License-Identifier: GPL-2.0
/*
 * The fib6 work: clone a configured host route, put the learned MTU and
 * its expiry on the clone, insert it next to the route, age it out, and
 * delete clones when they are in the way.
 *
 * A clone sits in the same fib6 node as the configured route it comes
 * from, with metric 0 so that lookups prefer it, exactly where the
 * kernel's own RTF_CACHE clones of host routes (redirects) go. Two things
 * set it apart from those:
 *
 * - It is not DST_HOST. DST_HOST routes keep writable metrics in an
 *   inet_peer keyed by destination and table, which the configured /128
 *   route shares: an MTU set there would show on the configured route.
 *   Without DST_HOST the clone's metrics are its own (kmalloc'ed by
 *   dst_cow_metrics_generic(), freed by ip6_dst_destroy()).
 * - That also makes it recognisable: every RTF_CACHE /128 route the kernel
 *   creates itself is DST_HOST (ip6_rt_copy()), so an RTF_CACHE /128 route
 *   without DST_HOST is ours. The module keeps no list of its clones.
 *
 * Lookups on these kernels do not fall back from an expired entry to a
 * route of a higher metric in the same node, so an expired clone would
 * blackhole its destination until the fib garbage collector runs (every
 * gc_interval, 30 s by default). netns.c therefore arms a timer at the
 * first expiry and hrp_clones_sweep() deletes clones as they expire.
 */
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "decision.h"
#include "hrp.h"

bool hrp_rt_is_clone(const struct rt6_info *rt)
{
	return (rt->rt6i_flags & RTF_CACHE) && rt->rt6i_dst.plen == 128 &&
	       !(rt->dst.flags & DST_HOST);
}

static struct rt6_info *hrp_rt_from(const struct rt6_info *rt)
{
	return (struct rt6_info *)rt->dst.from;
}

/*
 * A copy of @ort for the same destination, the way ip6_rt_copy() makes
 * one, but with metrics of its own, carrying @mtu (0: @ort's own) until
 * @expires.
 */
static struct rt6_info *hrp_clone_alloc(struct rt6_info *ort, u32 mtu,
					unsigned long expires)
{
	struct net_device *dev = ort->dst.dev;
	struct net *net = dev_net(dev);
	struct fib6_table *table = ort->rt6i_table;
	struct rt6_info *rt;

	rt = dst_alloc(&net->ipv6.ip6_dst_ops, dev, 0, DST_OBSOLETE_FORCE_CHK, 0);
	if (!rt)
		return NULL;

	memset(&rt->dst + 1, 0, sizeof(*rt) - sizeof(rt->dst));
	rt6_init_peer(rt, table ? &table->tb6_peers : net->ipv6.peers);
	hrp_rt6_init_genid(rt, net);
	INIT_LIST_HEAD(&rt->rt6i_siblings);

	rt->dst.input = ort->dst.input;
	rt->dst.output = ort->dst.output;
	rt->dst.error = ort->dst.error;
	rt->dst.lastuse = jiffies;
	rt->rt6i_idev = ort->rt6i_idev;
	if (rt->rt6i_idev)
		in6_dev_hold(rt->rt6i_idev);
	rt->rt6i_dst = ort->rt6i_dst;
#ifdef CONFIG_IPV6_SUBTREES
	rt->rt6i_src = ort->rt6i_src;
#endif
	rt->rt6i_prefsrc = ort->rt6i_prefsrc;
	rt->rt6i_gateway = ort->rt6i_gateway;
	rt->rt6i_table = table;
	rt->rt6i_metric = 0;
	/* Not RTF_ROUTEINFO: rt6_get_route_info() must find the RA-learned
	 * route itself when a Router Advertisement refreshes or withdraws it.
	 */
	rt->rt6i_flags = (ort->rt6i_flags & ~RTF_ROUTEINFO) | RTF_CACHE;
	rt6_set_from(rt, ort);

	/*
	 * Metrics of its own. ipv6_cow_metrics() gives non-DST_HOST routes
	 * these from 3.14 (and in 3.10.y), but returns none on 3.12, 3.13,
	 * 3.15 and 3.16.0, so allocate them here, as it does; the kernel's
	 * ip6_dst_destroy() frees them on every version.
	 */
	if (!dst_cow_metrics_generic(&rt->dst, rt->dst._metrics)) {
		dst_free(&rt->dst);
		return NULL;
	}
	dst_copy_metrics(&rt->dst, &ort->dst);
	if (mtu) {
		dst_metric_set(&rt->dst, RTAX_MTU, mtu);
		rt->rt6i_flags |= RTF_MODIFIED;
	}
	rt6_update_expires(rt, time_after(expires, jiffies) ?
			   expires - jiffies : 0);
	return rt;
}

/* The clone of @ort in @fn, if there is one. Under tb6_lock. */
static struct rt6_info *hrp_clone_find(struct fib6_node *fn,
				       const struct rt6_info *ort)
{
	struct rt6_info *rt;

	for (rt = fn->leaf; rt; rt = rt->dst.rt6_next)
		if (hrp_rt_is_clone(rt) && hrp_rt_from(rt) == ort)
			return rt;
	return NULL;
}

/*
 * Multipath. Lookups select a route of the node's first metric, then
 * spread flows over that route's siblings: a lone clone at metric 0 in
 * front of a group of siblings would take every flow to one next hop. So
 * each sibling gets a clone too (with its own MTU: nothing was learned for
 * it), and the clones form a sibling group of their own, with one expiry.
 * Flows keep their spread; the learned MTU stays on the next hop it was
 * reported for.
 */
struct hrp_member {
	struct rt6_info *ort;	/* a configured route, held */
	struct rt6_info *rt;	/* its new clone, not yet inserted */
};

/* @ort and its siblings, held, at most @max. Under no lock. */
static unsigned int hrp_members_get(struct rt6_info *ort,
				    struct hrp_member *m, unsigned int max)
{
	struct fib6_table *table = ort->rt6i_table;
	struct rt6_info *sib;
	unsigned int n = 0;

	read_lock_bh(&table->tb6_lock);
	m[n++].ort = ort;
	dst_hold(&ort->dst);
	if (ort->rt6i_node && ort->rt6i_nsiblings)
		list_for_each_entry(sib, &ort->rt6i_siblings, rt6i_siblings) {
			if (n == max)
				break;
			dst_hold(&sib->dst);
			m[n++].ort = sib;
		}
	read_unlock_bh(&table->tb6_lock);
	return n;
}

/*
 * Under tb6_lock: the clone of m->ort in @fn, inserted from m->rt if there
 * was none (m->rt is then consumed), with @expires; NULL when m->ort left
 * the node or the insertion failed.
 */
static struct rt6_info *hrp_member_clone(struct fib6_node *fn,
					 struct hrp_member *m,
					 unsigned long expires,
					 struct nl_info *info)
{
	struct rt6_info *rt;

	if (m->ort->rt6i_node != fn)
		return NULL;
	rt = hrp_clone_find(fn, m->ort);
	if (!rt && m->rt) {
		rt = m->rt;
		m->rt = NULL;
		/* fib6_add() frees the clone itself when it fails. */
		if (hrp_call_fib6_add(hrp_sym.fib6_add,
				      &m->ort->rt6i_table->tb6_root, rt, info))
			return NULL;
	}
	if (rt) {
		rt->dst.expires = expires;
		rt->rt6i_flags |= RTF_EXPIRES;
	}
	return rt;
}

/* Under tb6_lock: make @rt and @first one sibling group. */
static void hrp_siblings_join(struct rt6_info *first, struct rt6_info *rt)
{
	struct rt6_info *sib;
	unsigned int n = 0;

	if (rt == first || !list_empty(&rt->rt6i_siblings))
		return;
	list_add_tail(&rt->rt6i_siblings, &first->rt6i_siblings);
	list_for_each_entry(sib, &first->rt6i_siblings, rt6i_siblings)
		n++;
	first->rt6i_nsiblings = n;
	list_for_each_entry(sib, &first->rt6i_siblings, rt6i_siblings)
		sib->rt6i_nsiblings = n;
}

#define HRP_MAX_SIBLINGS 16

/*
 * Insert a clone of @ort carrying @mtu until @expires, or lower the MTU of
 * the clone already there; and clones of @ort's siblings. @ort itself is
 * never written. Allocations happen outside the table lock (dst_alloc()
 * may run the fib garbage collector, which takes it). Any context.
 */
static void hrp_clone_insert(struct rt6_info *ort, u32 mtu,
			     unsigned long expires)
{
	struct net *net = dev_net(ort->dst.dev);
	struct fib6_table *table = ort->rt6i_table;
	struct nl_info info = { .nl_net = net, };
	struct hrp_member m[HRP_MAX_SIBLINGS];
	struct rt6_info *first, *rt, *old;
	struct fib6_node *fn;
	unsigned int i, n;

	n = hrp_members_get(ort, m, ARRAY_SIZE(m));
	for (i = 0; i < n; i++)
		m[i].rt = hrp_clone_alloc(m[i].ort, i ? 0 : mtu, expires);
	if (!m[0].rt)
		goto out;	/* the next Packet Too Big tries again */

	write_lock_bh(&table->tb6_lock);
	/* Gone from the table meanwhile (hrp_route_del() deletes under this
	 * lock, so a clone never outlives its route).
	 */
	fn = ort->rt6i_node;
	if (!fn) {
		write_unlock_bh(&table->tb6_lock);
		goto out;
	}
	old = hrp_clone_find(fn, ort);
	if (old && mtu >= dst_mtu(&old->dst)) {
		/* Nothing new learned: the group and its expiry stay. */
		write_unlock_bh(&table->tb6_lock);
		goto out;
	}
	if (old) {
		dst_metric_set(&old->dst, RTAX_MTU, mtu);
		old->rt6i_flags |= RTF_MODIFIED;
	}
	expires = m[0].rt->dst.expires;
	first = hrp_member_clone(fn, &m[0], expires, &info);
	for (i = 1; first && i < n; i++) {
		rt = hrp_member_clone(fn, &m[i], expires, &info);
		if (rt)
			hrp_siblings_join(first, rt);
	}
	write_unlock_bh(&table->tb6_lock);
	if (first)
		hrp_sweep_at(hrp_net(net), expires);
out:
	for (i = 0; i < n; i++) {
		if (m[i].rt)
			dst_free(&m[i].rt->dst);
		dst_release(&m[i].ort->dst);
	}
}

/**
 * hrp_clone_learn() - record a path MTU decrease of a configured route
 * @ort: the configured /128 route with a gateway the packet was routed by
 * @mtu: the new path MTU, already checked to be lower, at least 1280
 *
 * The MTU goes to a clone of @ort for net.ipv6.route.mtu_expires; @ort is
 * never written. Any context.
 */
void hrp_clone_learn(struct rt6_info *ort, u32 mtu)
{
	struct net *net = dev_net(ort->dst.dev);

	hrp_clone_insert(ort, mtu, jiffies + net->ipv6.sysctl.ip6_rt_mtu_expires);
}

/**
 * hrp_route_del() - ip6_route_del() of a /128, as Linux 4.2 and later do it
 * @cfg:    what ip6_route_del() was asked to delete (fc_dst_len 128)
 * @cached: the request names a cached entry (RTM_F_CLONED, as
 *          "ip -6 route flush cache" sends it back)
 *
 * The kernel's ip6_route_del() deletes the first route of the node that
 * matches, and a clone sorts first with metric 0, which matches any
 * request without a metric. Here a request for a cached entry deletes only
 * a cached entry; any other request skips cached entries and deletes the
 * configured route, and fib6_del() prunes its clones with it. Matching is
 * otherwise the kernel's (device, gateway, metric when given). All under
 * the table lock: no clone can be inserted in between. Returns 0, or
 * -ESRCH when nothing matched (and nothing was deleted).
 */
int hrp_route_del(struct fib6_config *cfg, bool cached)
{
	struct net *net = cfg->fc_nlinfo.nl_net;
	struct fib6_table *table;
	struct fib6_node *fn;
	struct rt6_info *rt;
	int err = -ESRCH;

	table = hrp_sym.fib6_get_table(net, cfg->fc_table);
	if (!table)
		return err;

	write_lock_bh(&table->tb6_lock);
	fn = hrp_sym.fib6_locate(&table->tb6_root, &cfg->fc_dst, cfg->fc_dst_len,
				 &cfg->fc_src, cfg->fc_src_len);
	for (rt = fn ? fn->leaf : NULL; rt; rt = rt->dst.rt6_next) {
		if (!!(rt->rt6i_flags & RTF_CACHE) != cached)
			continue;
		if (cfg->fc_ifindex &&
		    (!rt->dst.dev || rt->dst.dev->ifindex != cfg->fc_ifindex))
			continue;
		if ((cfg->fc_flags & RTF_GATEWAY) &&
		    !ipv6_addr_equal(&cfg->fc_gateway, &rt->rt6i_gateway))
			continue;
		if (cfg->fc_metric && cfg->fc_metric != rt->rt6i_metric)
			continue;
		err = hrp_sym.fib6_del(rt, &cfg->fc_nlinfo);
		break;
	}
	write_unlock_bh(&table->tb6_lock);
	return err;
}

/**
 * hrp_clone_drop() - take one of the module's clones out of its table
 * @rt: a route the kernel is about to use as the base of a new one
 *
 * Returns the configured route @rt is a clone of, held, with @rt deleted
 * from the table; NULL, changing nothing, when @rt is not one of the
 * module's clones or its configured route has left the table.
 */
struct rt6_info *hrp_clone_drop(struct rt6_info *rt)
{
	struct fib6_table *table = rt->rt6i_table;
	struct rt6_info *ort = NULL;
	struct nl_info info = { .nl_net = dev_net(rt->dst.dev), };

	if (!hrp_rt_is_clone(rt) || !table)
		return NULL;
	write_lock_bh(&table->tb6_lock);
	if (hrp_rt_from(rt) && hrp_rt_from(rt)->rt6i_node) {
		ort = hrp_rt_from(rt);
		dst_hold(&ort->dst);
		if (rt->rt6i_node)
			hrp_sym.fib6_del(rt, &info);
	}
	write_unlock_bh(&table->tb6_lock);
	return ort;
}

struct hrp_sweep {
	bool all;
	unsigned long now;
	unsigned long next;	/* earliest expiry left, 0 if none */
	unsigned int deleted;
};

static int hrp_sweep_one(struct rt6_info *rt, void *arg)
{
	struct hrp_sweep *s = arg;
	struct rt6_info *from;

	if (!hrp_rt_is_clone(rt))
		return 0;
	from = hrp_rt_from(rt);
	if (s->all || (from && !from->rt6i_node)) {
		s->deleted++;
		return -1;
	}
	if (!(rt->rt6i_flags & RTF_EXPIRES))
		return 0;	/* the kernel's garbage collector ages it */
	if (time_after_eq(s->now + HRP_SWEEP_EARLY, rt->dst.expires)) {
		s->deleted++;
		return -1;
	}
	if (!s->next || time_before(rt->dst.expires, s->next))
		s->next = rt->dst.expires;
	return 0;
}

/**
 * hrp_clones_sweep() - delete expiring (or all) clones of a namespace
 * @net:  the namespace
 * @all:  delete every clone, not only those about to expire
 * @next: set to the earliest expiry among the clones left, 0 if none
 *
 * Clones whose configured route left the table go too. Returns how many
 * clones were deleted.
 */
unsigned int hrp_clones_sweep(struct net *net, bool all, unsigned long *next)
{
	struct hrp_sweep s = { .all = all, .now = jiffies, };

	hrp_call_fib6_clean_all(hrp_sym.fib6_clean_all, net, hrp_sweep_one, &s);
	if (next)
		*next = s.next;
	return s.deleted;
}

/*
 * Configured host routes that the kernel's own code already gave a path
 * MTU and an expiry (RTF_MODIFIED only comes from a PMTU update): the
 * routes the module exists to save. A route added with an expiry of its
 * own and never hit by a Packet Too Big has no RTF_MODIFIED. Routes learned
 * from Router Advertisements (RTF_ADDRCONF) live by the lifetime the
 * router gives them: left alone.
 */
static bool hrp_rt_pmtu_marked(const struct rt6_info *rt)
{
	return hrp_rt_uncloned_host(rt->rt6i_flags, rt->rt6i_dst.plen) &&
	       !(rt->rt6i_flags & RTF_ADDRCONF) &&
	       (rt->rt6i_flags & (RTF_EXPIRES | RTF_MODIFIED)) ==
	       (RTF_EXPIRES | RTF_MODIFIED);
}

struct hrp_marked {
	struct list_head list;
	struct rt6_info *rt;
};

static int hrp_repair_collect(struct rt6_info *rt, void *arg)
{
	struct list_head *marked = arg;
	struct hrp_marked *m;

	if (!hrp_rt_pmtu_marked(rt))
		return 0;
	m = kmalloc(sizeof(*m), GFP_ATOMIC);
	if (!m)
		return 0;
	dst_hold(&rt->dst);
	m->rt = rt;
	list_add_tail(&m->list, marked);
	return 0;
}

/**
 * hrp_routes_repair() - undo what the bug already did in a namespace
 * @net: the namespace
 *
 * For each configured gateway host route that a Packet Too Big gave an MTU
 * and an expiry before the module was loaded: take both off the route
 * (which would otherwise be deleted at the expiry) and, if the expiry has
 * not passed, put the MTU on a clone until then. Returns how many routes
 * were repaired.
 */
unsigned int hrp_routes_repair(struct net *net)
{
	struct hrp_marked *m, *tmp;
	unsigned int repaired = 0;
	LIST_HEAD(marked);

	/* The walk holds the table lock: collect first, repair after. */
	hrp_call_fib6_clean_all(hrp_sym.fib6_clean_all, net,
				hrp_repair_collect, &marked);
	list_for_each_entry_safe(m, tmp, &marked, list) {
		struct rt6_info *rt = m->rt;
		struct fib6_table *table = rt->rt6i_table;
		unsigned long expires = 0;
		u32 mtu = 0;

		write_lock_bh(&table->tb6_lock);
		if (rt->rt6i_node && hrp_rt_pmtu_marked(rt)) {
			mtu = dst_metric_raw(&rt->dst, RTAX_MTU);
			expires = rt->dst.expires;
			rt6_clean_expires(rt);
			rt->rt6i_flags &= ~RTF_MODIFIED;
			dst_metric_set(&rt->dst, RTAX_MTU, 0);
			repaired++;
		}
		write_unlock_bh(&table->tb6_lock);
		if (mtu && time_after(expires, jiffies))
			hrp_clone_insert(rt, mtu, expires);
		dst_release(&rt->dst);
		list_del(&m->list);
		kfree(m);
	}
	return repaired;
}
