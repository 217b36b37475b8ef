/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Version compat for 3.10 to 4.1: every difference between the supported
 * kernels lives here, nowhere else.
 *
 * Stable trees and distributions backported some of these changes (3.16.y
 * dropped rt6i_genid while 3.16.0 has it; RHEL 7.1 keeps the field but not
 * rt_genid()), so a kernel version does not tell them apart. Kbuild
 * compiles each probe of module/probe/ against the target kernel and
 * defines HRP_HAVE_<PROBE> for those that compile; no version number is
 * used here.
 */
#ifndef _HRP_COMPAT_H
#define _HRP_COMPAT_H

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/version.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>
#include <net/net_namespace.h>

/* Cached routes carry the namespace's generation id up to 3.16.0. */
static inline void hrp_rt6_init_genid(struct rt6_info *rt, struct net *net)
{
#if defined(HRP_HAVE_RT6I_GENID_IPV6)
	rt->rt6i_genid = rt_genid_ipv6(net);
#elif defined(HRP_HAVE_RT6I_GENID)
	rt->rt6i_genid = rt_genid(net);
#endif
}

/*
 * fib6_add() takes the route's metrics since 3.15: as netlink attributes
 * up to 3.19, as struct mx6_config from 4.0. A cached clone has none.
 */
#if defined(HRP_HAVE_FIB6_ADD_MXC)
typedef int (*hrp_fib6_add_t)(struct fib6_node *root, struct rt6_info *rt,
			      struct nl_info *info, struct mx6_config *mxc);
static inline int hrp_call_fib6_add(hrp_fib6_add_t fn, struct fib6_node *root,
				    struct rt6_info *rt, struct nl_info *info)
{
	struct mx6_config mxc = { .mx = NULL, };

	return fn(root, rt, info, &mxc);
}
#elif defined(HRP_HAVE_FIB6_ADD_MX_LEN)
typedef int (*hrp_fib6_add_t)(struct fib6_node *root, struct rt6_info *rt,
			      struct nl_info *info, struct nlattr *mx,
			      int mx_len);
static inline int hrp_call_fib6_add(hrp_fib6_add_t fn, struct fib6_node *root,
				    struct rt6_info *rt, struct nl_info *info)
{
	return fn(root, rt, info, NULL, 0);
}
#else
typedef int (*hrp_fib6_add_t)(struct fib6_node *root, struct rt6_info *rt,
			      struct nl_info *info);
static inline int hrp_call_fib6_add(hrp_fib6_add_t fn, struct fib6_node *root,
				    struct rt6_info *rt, struct nl_info *info)
{
	return fn(root, rt, info);
}
#endif
/* A probe that guessed wrong stops the build here, not the kernel later. */
_Static_assert(__builtin_types_compatible_p(typeof(&fib6_add), hrp_fib6_add_t),
	       "fib6_add(): module/probe/fib6_add_*.c disagree with the kernel");

/* fib6_clean_all() lost its "prune" argument in 3.14. */
typedef int (*hrp_fib6_cleaner_t)(struct rt6_info *rt, void *arg);
#if defined(HRP_HAVE_FIB6_CLEAN_ALL_PRUNE)
typedef void (*hrp_fib6_clean_all_t)(struct net *net, hrp_fib6_cleaner_t func,
				     int prune, void *arg);
static inline void hrp_call_fib6_clean_all(hrp_fib6_clean_all_t fn,
					   struct net *net,
					   hrp_fib6_cleaner_t func, void *arg)
{
	fn(net, func, 0, arg);
}
#else
typedef void (*hrp_fib6_clean_all_t)(struct net *net, hrp_fib6_cleaner_t func,
				     void *arg);
static inline void hrp_call_fib6_clean_all(hrp_fib6_clean_all_t fn,
					   struct net *net,
					   hrp_fib6_cleaner_t func, void *arg)
{
	fn(net, func, arg);
}
#endif
_Static_assert(__builtin_types_compatible_p(typeof(&fib6_clean_all),
					    hrp_fib6_clean_all_t),
	       "fib6_clean_all(): module/probe/fib6_clean_all_prune.c disagrees with the kernel");

/*
 * The flow ip6_update_pmtu() looks up, as the kernel builds it: the same
 * in every tree from 3.10 to 4.1 but for the reply mark, which came with
 * the fwmark_reflect sysctl in 3.16 (e110861f8609) and its
 * IP6_REPLY_MARK().
 */
static inline void hrp_pmtu_flow(struct flowi6 *fl6, struct net *net,
				 const struct sk_buff *skb, int oif, u32 mark)
{
	const struct ipv6hdr *iph = (const struct ipv6hdr *)skb->data;

	memset(fl6, 0, sizeof(*fl6));
	fl6->flowi6_oif = oif;
#ifdef IP6_REPLY_MARK
	fl6->flowi6_mark = mark ? mark : IP6_REPLY_MARK(net, skb->mark);
#else
	fl6->flowi6_mark = mark;
#endif
	fl6->daddr = iph->daddr;
	fl6->saddr = iph->saddr;
	fl6->flowlabel = ip6_flowinfo(iph);
}

/*
 * ftrace: a callback that rewrites regs->ip must say so from 3.19
 * (FTRACE_OPS_FL_IPMODIFY), so that two such users of one function are
 * refused instead of silently stacked.
 */
#if defined(HRP_HAVE_FTRACE_IPMODIFY)
#define HRP_FTRACE_OPS_FLAGS (FTRACE_OPS_FL_SAVE_REGS | \
			      FTRACE_OPS_FL_RECURSION_SAFE | \
			      FTRACE_OPS_FL_IPMODIFY)
#else
#define HRP_FTRACE_OPS_FLAGS (FTRACE_OPS_FL_SAVE_REGS | \
			      FTRACE_OPS_FL_RECURSION_SAFE)
#endif

static inline bool hrp_within_this_module(unsigned long addr)
{
	return within_module_core(addr, THIS_MODULE);
}

/*
 * Code may only go away once no CPU can still be running it. On kernels
 * without involuntary preemption in kernel code, one sched grace period
 * after the last call has returned suffices; a fully preemptible kernel
 * also needs every task to have passed a voluntary context switch
 * (RCU-tasks), which exists from 3.18 where selected (stub.c).
 */
static inline void hrp_synchronize_code(void)
{
	synchronize_sched();
#if defined(CONFIG_TASKS_RCU)
	synchronize_rcu_tasks();
#endif
}

#endif /* _HRP_COMPAT_H */
