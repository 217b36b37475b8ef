/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the "hrp_fib" suite needs from the kernel, the same way on 3.10 to
 * 4.1 and on current kernels: a network namespace, a dummy link, route
 * changes through the kernel's own rtnetlink paths (what "ip -6 route"
 * does), lookups (ip6_route_output()), path MTU reports through the
 * entry points the stack uses (ip6_update_pmtu(), dst->ops->update_pmtu)
 * and the sysctl net.ipv6.route.host_route_pmtu_exception.
 *
 * The namespace is the one the suite is loaded in: the runner creates it,
 * with a dummy link HRP_ENV_LINK (down), and loads the test module from
 * inside it (ip netns exec ... insmod), so that the test works on the
 * namespace of nobody else. Each case brings the link up and sets it up;
 * bringing it down at the end flushes what the case made.
 */
#ifndef _HRP_FIB_ENV_H
#define _HRP_FIB_ENV_H

#include <linux/in6.h>
#include <linux/types.h>
#include <net/net_namespace.h>

#define HRP_ENV_LINK "hrpk0"

struct hrp_env {
	struct net *net;
	struct file *nl;	/* NETLINK_ROUTE socket in net */
	struct file *knob;	/* the sysctl of net, NULL if none */
	struct file *flush;	/* net.ipv6.route.flush of net */
	int ifindex;		/* the dummy link of the running case */
	u32 seq;
};

/* A route as a netlink dump shows it (what "ip -6 route show" prints). */
struct hrp_route_view {
	bool present;
	bool cloned;		/* RTM_F_CLONED: a cached entry */
	bool expires;		/* has an expiry */
	u32 mtu;		/* RTAX_MTU metric, 0 if none */
	u32 metric;		/* RTA_PRIORITY */
	struct in6_addr gw;
};

/* A lookup's answer (what "ip -6 route get" prints). */
struct hrp_lookup_view {
	int error;
	bool cached;		/* RTF_CACHE: a clone or exception */
	bool expires;
	bool gateway;
	u32 mtu;		/* dst_mtu() */
};

int hrp_env_init(struct hrp_env *env);
void hrp_env_exit(struct hrp_env *env);

int hrp_env_link_up(struct hrp_env *env);
int hrp_env_link_down(struct hrp_env *env);

int hrp_env_route_add(struct hrp_env *env, const char *dst, u8 plen,
		      const char *gw, u32 table);
int hrp_env_route_del(struct hrp_env *env, const char *dst, u8 plen,
		      const char *gw, u32 table);
/* A delete that names the cached entry, as "ip -6 route flush cache" sends. */
int hrp_env_route_del_cached(struct hrp_env *env, const char *dst, u8 plen,
			     const char *gw, u32 table);
int hrp_env_route_show(struct hrp_env *env, const char *dst, u8 plen,
		       u32 table, bool cloned, struct hrp_route_view *view);

void hrp_env_lookup(struct hrp_env *env, const char *dst,
		    struct hrp_lookup_view *view);

/* A Packet Too Big as icmpv6_err() handles it: ip6_update_pmtu(). */
void hrp_env_ptb(struct hrp_env *env, const char *dst, u32 mtu);
/* A tunnel driver's report: dst->ops->update_pmtu() on the route used. */
int hrp_env_dst_update_pmtu(struct hrp_env *env, const char *dst, u32 mtu);

/* Run the fib garbage collector now (net.ipv6.route.flush). */
int hrp_env_gc(struct hrp_env *env);

/* The sysctl; -ENOENT when this kernel has none. */
int hrp_env_knob_get(struct hrp_env *env);
int hrp_env_knob_set(struct hrp_env *env, int value);

#endif /* _HRP_FIB_ENV_H */
