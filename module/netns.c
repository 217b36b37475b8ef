// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: the sysctl
 * net.ipv6.route.host_route_pmtu_exception (1: fixed, the default; 0: the
 * kernel's own behaviour) and the timer that deletes clones as they
 * expire. Registered for every namespace that exists when the module loads
 * and every one created later; torn down, clones included, when a
 * namespace goes or the module is unloaded.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "hrp.h"

static int hrp_net_id __read_mostly;
static int hrp_zero;
static int hrp_one = 1;

atomic_t hrp_clones_removed = ATOMIC_INIT(0);

/*
 * Writing 1 where it was 0 repairs the routes the kernel's own code marked
 * meanwhile, as loading the module does.
 */
static int hrp_sysctl_enabled(struct ctl_table *table, int write,
			      void __user *buffer, size_t *lenp, loff_t *ppos)
{
	struct hrp_net *hn = container_of(table->data, struct hrp_net, enabled);
	int was = hn->enabled;
	int err;

	err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (!err && write && !was && hn->enabled)
		hrp_routes_repair(hn->net);
	return err;
}

static const struct ctl_table hrp_sysctl_template[] = {
	{
		.procname	= "host_route_pmtu_exception",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= hrp_sysctl_enabled,
		.extra1		= &hrp_zero,
		.extra2		= &hrp_one,
	},
	{ }
};

struct hrp_net *hrp_net(struct net *net)
{
	return net_generic(net, hrp_net_id);
}

/**
 * hrp_sweep_at() - make sure the sweep runs in time for a clone's expiry
 * @hn:      the namespace
 * @expires: the clone's expiry, in jiffies
 */
void hrp_sweep_at(struct hrp_net *hn, unsigned long expires)
{
	unsigned long when = expires - HRP_SWEEP_EARLY;

	spin_lock_bh(&hn->sweep_lock);
	if (!hn->dying && (!timer_pending(&hn->sweep_timer) ||
			   time_before(when, hn->sweep_timer.expires)))
		mod_timer(&hn->sweep_timer, when);
	spin_unlock_bh(&hn->sweep_lock);
}

static void hrp_sweep_timer_fn(unsigned long data)
{
	struct hrp_net *hn = (struct hrp_net *)data;
	unsigned long next;

	hrp_clones_sweep(hn->net, false, &next);
	if (next)
		hrp_sweep_at(hn, next);
}

static int __net_init hrp_net_init(struct net *net)
{
	struct hrp_net *hn = hrp_net(net);
	struct ctl_table *table;

	hn->net = net;
	hn->enabled = 1;
	hn->dying = false;
	spin_lock_init(&hn->sweep_lock);
	setup_timer(&hn->sweep_timer, hrp_sweep_timer_fn, (unsigned long)hn);
	/* mod_timer() would otherwise fire up to 1/256 of the delay late:
	 * 2 s at the default mtu_expires of 600 s, after the clone expired.
	 */
	set_timer_slack(&hn->sweep_timer, 0);

	table = kmemdup(hrp_sysctl_template, sizeof(hrp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &hn->enabled;
	hn->sysctl = register_net_sysctl(net, "net/ipv6/route", table);
	if (!hn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit hrp_net_exit(struct net *net)
{
	struct hrp_net *hn = hrp_net(net);
	struct ctl_table *table = hn->sysctl->ctl_table_arg;

	spin_lock_bh(&hn->sweep_lock);
	hn->dying = true;
	spin_unlock_bh(&hn->sweep_lock);
	del_timer_sync(&hn->sweep_timer);

	atomic_add(hrp_clones_sweep(net, true, NULL), &hrp_clones_removed);

	unregister_net_sysctl_table(hn->sysctl);
	kfree(table);
}

static struct pernet_operations hrp_net_ops = {
	.init = hrp_net_init,
	.exit = hrp_net_exit,
	.id = &hrp_net_id,
	.size = sizeof(struct hrp_net),
};

int hrp_netns_init(void)
{
	return register_pernet_subsys(&hrp_net_ops);
}

void hrp_netns_exit(void)
{
	unregister_pernet_subsys(&hrp_net_ops);
}
