// SPDX-License-Identifier: GPL-2.0
/*
 * ip6_hostroute_pmtu: keep configured IPv6 /128 gateway routes from
 * vanishing after a Packet Too Big, on Linux 3.10 to 4.1.
 *
 * Load: check everything first (hook.c), then the per-namespace state and
 * sysctl (netns.c), then the hooks go live. Unload: the hooks go first,
 * then every clone the module made is deleted with the namespace state.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

#include "hrp.h"

/* Routes the bug had already marked before the module was loaded. */
static unsigned int hrp_repair_all(void)
{
	unsigned int repaired = 0;
	struct net *net;

	rtnl_lock();
	for_each_net(net)
		repaired += hrp_routes_repair(net);
	rtnl_unlock();
	return repaired;
}

static int __init hrp_init(void)
{
	int err;

	err = hrp_hooks_resolve();
	if (err)
		return err;

	err = hrp_netns_init();
	if (err) {
		pr_err(HRP_NAME ": cannot register the sysctl in every network namespace (error %d); not loading\n",
		       err);
		return err;
	}

	err = hrp_hooks_install();
	if (err) {
		hrp_netns_exit();
		return err;
	}
	if (!hrp_hooks_live()) {
		pr_err(HRP_NAME ": ftrace does not call the module's hooks (kernel.ftrace_enabled is 0); not loading: sysctl kernel.ftrace_enabled=1, then load again\n");
		hrp_hooks_remove();
		hrp_netns_exit();
		return -EAGAIN;
	}

	pr_info(HRP_NAME ": loaded: %s redirected; net.ipv6.route.host_route_pmtu_exception=1 (fixed) in every network namespace, 0 restores the kernel's behaviour; %u route(s) already given an expiry by a Packet Too Big repaired\n",
		hrp_hooks_describe(), hrp_repair_all());
	return 0;
}

static void __exit hrp_exit(void)
{
	hrp_hooks_remove();
	atomic_set(&hrp_clones_removed, 0);
	hrp_netns_exit();
	pr_info(HRP_NAME ": unloaded: hooks removed, %d cached route(s) of the module deleted; the kernel's own PMTU behaviour is back%s\n",
		atomic_read(&hrp_clones_removed), hrp_stubs_leftover());
}

module_init(hrp_init);
module_exit(hrp_exit);

MODULE_DESCRIPTION("Keep configured IPv6 /128 gateway routes from expiring after a Packet Too Big: learn the path MTU in a cached clone, as Linux 4.2+ does");
MODULE_LICENSE("GPL");
MODULE_VERSION("1.4.1");
MODULE_AUTHOR("ip6_hostroute_pmtu developers");
MODULE_INFO(sysctl, "net.ipv6.route.host_route_pmtu_exception (per netns; 1 fixed, default; 0 kernel behaviour)");
