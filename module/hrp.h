/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip6_hostroute_pmtu: the pieces and how they meet.
 *
 *   decision.h  what a path MTU decrease does to a route (pure)
 *   fib.c       the fib6 work: clone a configured route, insert the clone,
 *               age it out, delete clones
 *   hook.c      catching the kernel's calls: ftrace redirection of
 *               ip6_rt_update_pmtu(), ip6_route_del() and
 *               rt6_do_redirect() (and of
 *               ip6_update_pmtu() where the first was partly inlined into
 *               it), checked at load
 *   stub.c      the code a redirected call enters and leaves the module
 *               by, in a page that can outlive the module's text
 *   netns.c     per network namespace state: the sysctl, the expiry timer
 *   main.c      load and unload, in that order of pieces
 *   compat.h    the differences between 3.10 and 4.1
 */
#ifndef _HRP_H
#define _HRP_H

#include <linux/atomic.h>
#include <linux/timer.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>
#include <net/net_namespace.h>

#include "compat.h"

#define HRP_NAME "ip6_hostroute_pmtu"

/* Kernel functions the module calls but the kernel does not export. */
struct hrp_kernel_syms {
	hrp_fib6_add_t fib6_add;
	int (*fib6_del)(struct rt6_info *rt, struct nl_info *info);
	hrp_fib6_clean_all_t fib6_clean_all;
	struct fib6_table *(*fib6_get_table)(struct net *net, u32 id);
	struct fib6_node *(*fib6_locate)(struct fib6_node *root,
					 const struct in6_addr *daddr,
					 int dst_len,
					 const struct in6_addr *saddr,
					 int src_len);
};

extern struct hrp_kernel_syms hrp_sym;

/* fib.c */

/*
 * Delete a clone this long before lookups consider it expired: an expired
 * clone at the front of its node hides the configured route behind it from
 * lookups (they only weigh the routes of the first metric), so it must be
 * gone before then even if the timer's softirq runs late.
 */
#define HRP_SWEEP_EARLY (HZ / 10)

bool hrp_rt_is_clone(const struct rt6_info *rt);
void hrp_clone_learn(struct rt6_info *ort, u32 mtu);
int hrp_route_del(struct fib6_config *cfg, bool cached);
struct rt6_info *hrp_clone_drop(struct rt6_info *rt);
unsigned int hrp_clones_sweep(struct net *net, bool all, unsigned long *next);
unsigned int hrp_routes_repair(struct net *net);

/* netns.c */
struct hrp_net {
	struct net *net;
	int enabled;			/* the sysctl */
	struct ctl_table_header *sysctl;
	spinlock_t sweep_lock;		/* sweep_timer, dying */
	struct timer_list sweep_timer;	/* deletes clones as they expire */
	bool dying;
};

struct hrp_net *hrp_net(struct net *net);
void hrp_sweep_at(struct hrp_net *hn, unsigned long expires);
int hrp_netns_init(void);
void hrp_netns_exit(void);

extern atomic_t hrp_clones_removed;

/* stub.c */
int hrp_stubs_alloc(unsigned int n);
unsigned long hrp_stub_build(unsigned int i, void *body, unsigned long orig,
			     unsigned int window_us);
void hrp_stubs_close(void);
void hrp_stubs_free(void);
const char *hrp_stubs_leftover(void);

/* hook.c */
unsigned long hrp_lookup_name(const char *name);
int hrp_hooks_resolve(void);
int hrp_hooks_install(void);
bool hrp_hooks_live(void);
const char *hrp_hooks_describe(void);
void hrp_hooks_remove(void);

#endif /* _HRP_H */
