// SPDX-License-Identifier: GPL-2.0
/*
 * Catching the kernel's calls.
 *
 * Two static functions of net/ipv6/route.c are redirected with ftrace, the
 * way kpatch replaced functions before livepatch existed: an ftrace_ops
 * with FTRACE_OPS_FL_SAVE_REGS whose callback rewrites regs->ip.
 *
 * ip6_rt_update_pmtu() is where every path MTU decrease lands: ICMPv6
 * Packet Too Big for ICMP, UDP and raw sockets through ip6_update_pmtu()
 * and ip6_sk_update_pmtu(), TCP and tunnel drivers (sit, ip6_tunnel, GRE)
 * through dst->ops->update_pmtu. The callback runs the decision
 * (decision.h) on the arguments and redirects only calls about a
 * configured gateway host route; everything else, and everything while
 * the sysctl is 0, runs the kernel's own function untouched.
 *
 * rt6_do_redirect() is redirected when an ICMPv6 Redirect meets one of
 * the module's clones (hrp_do_redirect() below says why).
 *
 * ip6_route_del() is redirected too: for a /128, the module deletes as
 * Linux 4.2 and later do (fib.c: hrp_route_del()), so that neither a
 * clone in front of the configured route nor "ip -6 route flush cache"
 * deletes the wrong one.
 *
 * The compiler may have inlined a static function into its callers, and
 * an inlined copy cannot be redirected. So at load the module checks, in
 * the running kernel's code, that each caller it knows calls the hooked
 * function (a call or jmp whose target is its address), that the dst_ops
 * really point at ip6_rt_update_pmtu(), and that ftrace can attach;
 * anything missing and it refuses to load, naming what is missing.
 *
 * A callback does not send a call into module text directly but to a
 * stub (stub.c), which counts it in and out around the replacement, so
 * that rmmod can wait for every call, also on a fully preemptible kernel.
 *
 * One caller can be made whole again: gcc's partial inlining moves the
 * first test of ip6_rt_update_pmtu() into ip6_update_pmtu(), which then
 * calls a ip6_rt_update_pmtu.part.N clone the hook never sees (3.13.11
 * built by gcc 12 is such a kernel). kpatch replaces the callers of a
 * function that was inlined into them; so does the module here: when,
 * and only when, ip6_update_pmtu() does not call ip6_rt_update_pmtu(), it
 * is redirected too, to a copy that calls the module's handling. The
 * function is the same in every kernel from 3.10 to 4.1 except for the
 * reply mark (compat.h).
 */
#include <linux/kallsyms.h>
#include <linux/hardirq.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/ip6_route.h>

#include "decision.h"
#include "hrp.h"

struct hrp_kernel_syms hrp_sym;

typedef void (*hrp_update_pmtu_t)(struct dst_entry *dst, struct sock *sk,
				  struct sk_buff *skb, u32 mtu);
typedef void (*hrp_redirect_t)(struct dst_entry *dst, struct sock *sk,
			       struct sk_buff *skb);

static hrp_update_pmtu_t hrp_orig_update_pmtu;
static hrp_redirect_t hrp_orig_do_redirect;

/*
 * A redirect that did not arrive. Before 3.19 ftrace has no IPMODIFY: a
 * second user of the same function that rewrites regs->ip (a kprobe, whose
 * handler sends the call on into the function's own body) and whose
 * ftrace_ops runs after the module's undoes the redirect without a word.
 * Each callback notes, per CPU and per context (task, softirq, hardirq,
 * NMI), the hook it redirected; the replacement clears the note on entry.
 * Nothing of the same context runs on that CPU in between, so a note still
 * there at the next callback means the redirect went nowhere: the fix is
 * inactive for that function, and the module says so (hooks_active 0,
 * one line in dmesg).
 */
enum {
	HRP_HOOK_PMTU,
	HRP_HOOK_ROUTE_DEL,
	HRP_HOOK_REDIRECT,
	HRP_HOOK_PMTU_CALLER,
	HRP_NR_HOOKS
};

static DEFINE_PER_CPU(int [4], hrp_redirect_pending);
static unsigned long hrp_undone;	/* bit per hook */

static int *hrp_pending_slot(void)
{
	int ctx = in_nmi() ? 3 : in_irq() ? 2 : in_serving_softirq() ? 1 : 0;

	return &this_cpu_ptr(&hrp_redirect_pending)[0][ctx];
}

static void hrp_undone_report(int hook);

/*
 * Before IPMODIFY, the one case known to undo a redirect can also be seen
 * coming: ftrace calls the users of a function in list order, and the
 * callback is given its own ftrace_ops. If the kprobe subsystem's ops is
 * further down that list and a kprobe sits on this function, the kprobe's
 * handler will run after this callback and send the call into the
 * kernel's own body. Both are functions, found without KALLSYMS_ALL.
 */
static void (*hrp_kprobe_handler)(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *ops, struct pt_regs *regs);
static struct kprobe *(*hrp_get_kprobe)(void *addr);

static bool notrace hrp_kprobe_after(struct ftrace_ops *ops, unsigned long ip)
{
#ifndef HRP_HAVE_FTRACE_IPMODIFY
	struct ftrace_ops *op;
	struct kprobe *p;

	if (!hrp_kprobe_handler || !hrp_get_kprobe)
		return false;
	for (op = ops->next; op; op = op->next) {
		if (op->func != hrp_kprobe_handler)
			continue;
		p = hrp_get_kprobe((void *)ip);
		return p && !kprobe_disabled(p);
	}
#endif
	return false;
}

/* First thing in every callback: did the last redirect here arrive? */
static void notrace hrp_check_pending(void)
{
	int *slot = hrp_pending_slot();

	if (unlikely(*slot)) {
		hrp_undone_report(*slot - 1);
		*slot = 0;
	}
}

/* In a callback, about to redirect for @hook (an enum below). */
static void notrace hrp_redirecting(int hook)
{
	*hrp_pending_slot() = hook + 1;
}

/* Where each callback sends the calls it redirects: its stub (stub.c). */
static unsigned long hrp_stub_addr[HRP_NR_HOOKS];

/* First thing in a replacement: the redirect arrived. */
static void notrace hrp_arrived(void)
{
	*hrp_pending_slot() = 0;
}

/*
 * For the test suite only (stress.sh window): every redirected call
 * lingers this long in its stub after it stopped being counted, as a
 * preempted one would, so that rmmod meets calls there. 0 (the default)
 * adds nothing.
 */
static unsigned int hrp_unload_window_us;
module_param_named(unload_window_us, hrp_unload_window_us, uint, 0444);
MODULE_PARM_DESC(unload_window_us, "test only: microseconds each redirected call spends after it stopped being counted (default 0)");

/* Calls of ip6_route_del() from this module that ftrace showed the hook. */
static atomic_t hrp_selftest_seen = ATOMIC_INIT(0);

static enum hrp_pmtu_action hrp_pmtu_action(struct dst_entry *dst, u32 mtu,
					    u32 *clone_mtu)
{
	struct rt6_info *rt = (struct rt6_info *)dst;
	struct hrp_pmtu_event ev = {
		.rt_flags = rt->rt6i_flags,
		.dst_plen = rt->rt6i_dst.plen,
		.in_fib = rt->rt6i_node != NULL,
		.enabled = hrp_net(dev_net(dst->dev))->enabled,
		.new_mtu = mtu,
	};

	/* Only what the decision needs: dst_mtu() is not free. */
	if (ev.enabled && hrp_rt_uncloned_host(ev.rt_flags, ev.dst_plen))
		ev.cur_mtu = dst_mtu(dst);
	return hrp_pmtu_decide(&ev, clone_mtu);
}

/* A path MTU decrease for @dst, handled as the decision says. */
static void hrp_update_pmtu_dst(struct dst_entry *dst, struct sock *sk,
				struct sk_buff *skb, u32 mtu)
{
	u32 clone_mtu;

	switch (hrp_pmtu_action(dst, mtu, &clone_mtu)) {
	case HRP_PMTU_CLONE:
		dst_confirm(dst);
		hrp_clone_learn((struct rt6_info *)dst, clone_mtu);
		break;
	case HRP_PMTU_IGNORE:
		dst_confirm(dst);
		break;
	case HRP_PMTU_STOCK:
		/* Any other route, or the sysctl changed since the callback. */
		hrp_orig_update_pmtu(dst, sk, skb, mtu);
		break;
	}
}

/* Runs instead of ip6_rt_update_pmtu() for configured gateway host routes. */
static void hrp_rt_update_pmtu(struct dst_entry *dst, struct sock *sk,
			       struct sk_buff *skb, u32 mtu)
{
	hrp_arrived();
	hrp_update_pmtu_dst(dst, sk, skb, mtu);
}

/*
 * Runs instead of ip6_update_pmtu() where the compiler inlined part of
 * ip6_rt_update_pmtu() into it: the kernel's function, calling the
 * module's handling where the kernel's calls the inlined code.
 */
static void hrp_update_pmtu(struct sk_buff *skb, struct net *net, __be32 mtu,
			    int oif, u32 mark)
{
	struct dst_entry *dst;
	struct flowi6 fl6;

	hrp_arrived();
	hrp_pmtu_flow(&fl6, net, skb, oif, mark);
	dst = ip6_route_output(net, NULL, &fl6);
	if (!dst->error)
		hrp_update_pmtu_dst(dst, NULL, skb, ntohl(mtu));
	dst_release(dst);
}

/* Does this delete request name a cached entry (RTM_F_CLONED)? */
static bool hrp_del_names_cached(const struct fib6_config *cfg)
{
	const struct nlmsghdr *nlh = cfg->fc_nlinfo.nlh;
	const struct rtmsg *rtm;

	if (!nlh || nlh->nlmsg_type != RTM_DELROUTE ||
	    nlmsg_len(nlh) < (int)sizeof(*rtm))
		return false;
	rtm = nlmsg_data(nlh);
	return rtm->rtm_flags & RTM_F_CLONED;
}

/* Runs instead of ip6_route_del() for a /128 while the sysctl is 1. */
static int hrp_route_del_call(struct fib6_config *cfg)
{
	hrp_arrived();
	return hrp_route_del(cfg, hrp_del_names_cached(cfg));
}

/*
 * Runs instead of rt6_do_redirect() when a Redirect's lookup found one of
 * the module's clones. The kernel copies the route it is given, metrics
 * included, into a DST_HOST route whose metrics live in the inet_peer the
 * configured /128 shares: given the clone, it would write the learned MTU
 * into the configured route for good. So the clone goes, and the kernel
 * copies the configured route, as it does for any route without a learned
 * MTU (Linux 4.2 and later also copy the fib route, not the exception).
 */
static void hrp_do_redirect(struct dst_entry *dst, struct sock *sk,
			    struct sk_buff *skb)
{
	struct rt6_info *ort;

	hrp_arrived();
	ort = hrp_clone_drop((struct rt6_info *)dst);
	hrp_orig_do_redirect(ort ? &ort->dst : dst, sk, skb);
	if (ort)
		dst_release(&ort->dst);
}

/*
 * The ftrace callbacks. The module's own calls of the originals
 * (parent_ip in this module) run them unredirected.
 */
static void notrace hrp_ftrace_update_pmtu(unsigned long ip,
					   unsigned long parent_ip,
					   struct ftrace_ops *ops,
					   struct pt_regs *regs)
{
	u32 clone_mtu;

	hrp_check_pending();
	if (hrp_within_this_module(parent_ip))
		return;
	/* x86_64: dst, sk, skb, mtu in rdi, rsi, rdx, rcx */
	if (hrp_pmtu_action((struct dst_entry *)regs->di, (u32)regs->cx,
			    &clone_mtu) == HRP_PMTU_STOCK)
		return;
	if (unlikely(hrp_kprobe_after(ops, ip))) {
		hrp_undone_report(HRP_HOOK_PMTU);
		return;
	}
	hrp_redirecting(HRP_HOOK_PMTU);
	regs->ip = hrp_stub_addr[HRP_HOOK_PMTU];
}

static void notrace hrp_ftrace_update_pmtu_caller(unsigned long ip,
						  unsigned long parent_ip,
						  struct ftrace_ops *ops,
						  struct pt_regs *regs)
{
	hrp_check_pending();
	if (hrp_within_this_module(parent_ip))
		return;
	/* x86_64: skb, net, mtu, oif, mark in rdi, rsi, rdx, rcx, r8 */
	if (!hrp_net((struct net *)regs->si)->enabled)
		return;
	if (unlikely(hrp_kprobe_after(ops, ip))) {
		hrp_undone_report(HRP_HOOK_PMTU_CALLER);
		return;
	}
	hrp_redirecting(HRP_HOOK_PMTU_CALLER);
	regs->ip = hrp_stub_addr[HRP_HOOK_PMTU_CALLER];
}

static void notrace hrp_ftrace_route_del(unsigned long ip,
					 unsigned long parent_ip,
					 struct ftrace_ops *ops,
					 struct pt_regs *regs)
{
	/* x86_64: cfg in rdi */
	struct fib6_config *cfg = (struct fib6_config *)regs->di;

	hrp_check_pending();
	if (hrp_within_this_module(parent_ip)) {
		atomic_inc(&hrp_selftest_seen);	/* hrp_hooks_live() */
		return;
	}
	if (cfg->fc_dst_len != 128 || !hrp_net(cfg->fc_nlinfo.nl_net)->enabled)
		return;
	if (unlikely(hrp_kprobe_after(ops, ip))) {
		hrp_undone_report(HRP_HOOK_ROUTE_DEL);
		return;
	}
	hrp_redirecting(HRP_HOOK_ROUTE_DEL);
	regs->ip = hrp_stub_addr[HRP_HOOK_ROUTE_DEL];
}

static void notrace hrp_ftrace_do_redirect(unsigned long ip,
					   unsigned long parent_ip,
					   struct ftrace_ops *ops,
					   struct pt_regs *regs)
{
	hrp_check_pending();
	if (hrp_within_this_module(parent_ip))
		return;
	/* x86_64: dst, sk, skb in rdi, rsi, rdx */
	if (!hrp_rt_is_clone((struct rt6_info *)regs->di))
		return;
	if (unlikely(hrp_kprobe_after(ops, ip))) {
		hrp_undone_report(HRP_HOOK_REDIRECT);
		return;
	}
	hrp_redirecting(HRP_HOOK_REDIRECT);
	regs->ip = hrp_stub_addr[HRP_HOOK_REDIRECT];
}

struct hrp_hook {
	const char *name;
	unsigned long addr;
	void *body;		/* the replacement its stub calls */
	struct ftrace_ops ops;
	bool wanted;		/* to be installed on this kernel */
	bool registered;
};

static struct hrp_hook hrp_hooks[] = {
	[HRP_HOOK_PMTU] = {
		.name = "ip6_rt_update_pmtu",
		.body = hrp_rt_update_pmtu,
		.ops = {
			.func = hrp_ftrace_update_pmtu,
			.flags = HRP_FTRACE_OPS_FLAGS,
		},
		.wanted = true,
	},
	[HRP_HOOK_ROUTE_DEL] = {
		.name = "ip6_route_del",
		.body = hrp_route_del_call,
		.ops = {
			.func = hrp_ftrace_route_del,
			.flags = HRP_FTRACE_OPS_FLAGS,
		},
		.wanted = true,
	},
	[HRP_HOOK_REDIRECT] = {
		.name = "rt6_do_redirect",
		.body = hrp_do_redirect,
		.ops = {
			.func = hrp_ftrace_do_redirect,
			.flags = HRP_FTRACE_OPS_FLAGS,
		},
		.wanted = true,
	},
	/* Only where the compiler inlined part of ip6_rt_update_pmtu(). */
	[HRP_HOOK_PMTU_CALLER] = {
		.name = "ip6_update_pmtu",
		.body = hrp_update_pmtu,
		.ops = {
			.func = hrp_ftrace_update_pmtu_caller,
			.flags = HRP_FTRACE_OPS_FLAGS,
		},
	},
};

static void hrp_undone_report(int hook)
{
	if (hook < 0 || hook >= HRP_NR_HOOKS || test_and_set_bit(hook, &hrp_undone))
		return;
	pr_err(HRP_NAME ": a kprobe or another ftrace user on %s() overrides the module's redirect: the fix is inactive there; remove the probe, then rmmod and insmod the module\n",
	       hrp_hooks[hook].name);
}

/*
 * The callers of the hooked functions in net/ipv6/route.c, 3.10 to 4.1.
 * Each must still call one of the listed functions: if the compiler had
 * inlined them, some Packet Too Big or route delete would bypass the hook,
 * unless the module can replace that caller itself (@replace, a hook).
 * Optional callers exist in some versions only.
 */
static const struct {
	const char *caller;
	const char *callees[2];
	bool optional;
	int replace;
} hrp_callsites[] = {
	{ "ip6_update_pmtu", { "ip6_rt_update_pmtu" },
	  .replace = HRP_HOOK_PMTU_CALLER },
	{ "ip6_sk_update_pmtu", { "ip6_update_pmtu", "ip6_rt_update_pmtu" },
	  .replace = -1 },
	{ "ip6_redirect", { "rt6_do_redirect" }, .replace = -1 },
	{ "ip6_redirect_no_header", { "rt6_do_redirect" }, true, -1 },
	{ "inet6_rtm_delroute", { "ip6_route_del" }, .replace = -1 },
	{ "ipv6_route_ioctl", { "ip6_route_del" }, .replace = -1 },
	{ "ip6_route_multipath", { "ip6_route_del" }, true, -1 },
	{ "ip6_route_multipath_del", { "ip6_route_del" }, true, -1 },
};

static int (*hrp_lookup_size_offset)(unsigned long addr,
				     unsigned long *size,
				     unsigned long *offset);

/* Does the code of @caller contain a call or jmp rel32 to @target? */
static bool hrp_code_calls(unsigned long caller, unsigned long target)
{
	unsigned long size, offset, i;
	const u8 *code = (const u8 *)caller;

	if (!hrp_lookup_size_offset(caller, &size, &offset) || offset)
		return false;
	for (i = 0; i + 5 <= size; i++) {
		s32 rel;

		if (code[i] != 0xe8 && code[i] != 0xe9)
			continue;
		memcpy(&rel, code + i + 1, sizeof(rel));
		if (caller + i + 5 + rel == target)
			return true;
	}
	return false;
}

/*
 * Before IPMODIFY, ftrace calls the users of one function newest first, and
 * the last one to set regs->ip wins. The kprobe subsystem's one ftrace_ops
 * is registered when the first ftrace-based kprobe is armed and stays until
 * the last is disarmed; registered before the module's, it runs after them,
 * and a kprobe put later on a function the module redirects sends the call
 * back into the kernel's own body. Registered after, it runs first and the
 * module's redirect stands. So the module refuses to load while it is
 * registered: once the module's ops are in ftrace's list, the ops after
 * them are the users registered earlier, and the kprobe subsystem's is the
 * one whose func is kprobe_ftrace_handler(). A function, found without
 * KALLSYMS_ALL (Debian 8 has it off; the kernel's kprobe_ftrace_enabled
 * counter is data, which kallsyms then does not list).
 */
static bool hrp_armed_kprobes;
module_param_named(armed_kprobes, hrp_armed_kprobes, bool, 0444);
MODULE_PARM_DESC(armed_kprobes, "1: load even while a kprobe is armed on a kernel without ftrace IPMODIFY (before 3.19); a redirect a kprobe undoes is then reported, hooks_active turns 0");

/* Is the kprobe subsystem's ftrace_ops behind @ops, registered, in ftrace's list? */
static bool hrp_kprobe_ops_behind(struct ftrace_ops *ops)
{
	bool found = false;
#ifndef HRP_HAVE_FTRACE_IPMODIFY
	struct ftrace_ops *op;

	if (!hrp_kprobe_handler)
		return false;
	/* The list is walked as ftrace's own callers do: preemption off. */
	preempt_disable_notrace();
	for (op = ACCESS_ONCE(ops->next); op; op = ACCESS_ONCE(op->next))
		if (op->func == hrp_kprobe_handler) {
			found = true;
			break;
		}
	preempt_enable_notrace();
#endif
	return found;
}

static int hrp_missing(const char *what)
{
	pr_err(HRP_NAME ": %s; this kernel is not one the module supports, not loading\n",
	       what);
	return -ENOENT;
}

/**
 * hrp_lookup_name() - kallsyms_lookup_name(), letting other tasks run first
 * @name: the symbol
 *
 * Each lookup walks every symbol of the kernel (a RHEL 7 kernel has over
 * 100,000) without scheduling. The module makes about twenty at load, in
 * process context: on a PREEMPT_VOLUNTARY kernel busy in softirq they held
 * the CPU for over 20 s in QEMU (a soft lockup), so yield between them.
 *
 * Return: the symbol's address, or 0.
 */
unsigned long hrp_lookup_name(const char *name)
{
	cond_resched();
	return kallsyms_lookup_name(name);
}

/**
 * hrp_hooks_resolve() - find and check everything the module needs
 *
 * Resolves the unexported kernel functions and the functions to hook, and
 * checks their callers. Changes nothing. Prints one line and returns an
 * error when the running kernel cannot be fixed by this module.
 */
int hrp_hooks_resolve(void)
{
	char what[96];
	unsigned int i, j;

	/* Linux 4.2 (and RHEL 7.3 onwards) clone on PMTU by themselves. */
	if (hrp_lookup_name("rt6_cache_allowed_for_pmtu") ||
	    hrp_lookup_name("ip6_rt_cache_alloc")) {
		pr_err(HRP_NAME ": kernel already creates PMTU exceptions for host routes; this module is not needed\n");
		return -EOPNOTSUPP;
	}

	hrp_kprobe_handler = (void *)hrp_lookup_name("kprobe_ftrace_handler");
	hrp_get_kprobe = (void *)hrp_lookup_name("get_kprobe");

	hrp_lookup_size_offset = (void *)
		hrp_lookup_name("kallsyms_lookup_size_offset");
	hrp_sym.fib6_add = (void *)hrp_lookup_name("fib6_add");
	hrp_sym.fib6_del = (void *)hrp_lookup_name("fib6_del");
	hrp_sym.fib6_clean_all = (void *)hrp_lookup_name("fib6_clean_all");
	hrp_sym.fib6_get_table = (void *)hrp_lookup_name("fib6_get_table");
	hrp_sym.fib6_locate = (void *)hrp_lookup_name("fib6_locate");
	if (!hrp_lookup_size_offset)
		return hrp_missing("kallsyms_lookup_size_offset() not found");
	if (!hrp_sym.fib6_add || !hrp_sym.fib6_del || !hrp_sym.fib6_clean_all ||
	    !hrp_sym.fib6_get_table || !hrp_sym.fib6_locate)
		return hrp_missing("a fib6 function (fib6_add, fib6_del, fib6_clean_all, fib6_get_table, fib6_locate) not found");

	for (i = 0; i < ARRAY_SIZE(hrp_hooks); i++) {
		hrp_hooks[i].addr = hrp_lookup_name(hrp_hooks[i].name);
		if (!hrp_hooks[i].addr) {
			snprintf(what, sizeof(what), "%s() not found (inlined?)",
				 hrp_hooks[i].name);
			return hrp_missing(what);
		}
	}
	hrp_orig_update_pmtu = (hrp_update_pmtu_t)hrp_hooks[HRP_HOOK_PMTU].addr;
	hrp_orig_do_redirect = (hrp_redirect_t)hrp_hooks[HRP_HOOK_REDIRECT].addr;

	if (init_net.ipv6.ip6_dst_ops.update_pmtu != hrp_orig_update_pmtu)
		return hrp_missing("ip6_dst_ops.update_pmtu is not ip6_rt_update_pmtu()");
	if (init_net.ipv6.ip6_dst_ops.redirect != hrp_orig_do_redirect)
		return hrp_missing("ip6_dst_ops.redirect is not rt6_do_redirect()");

	for (i = 0; i < ARRAY_SIZE(hrp_callsites); i++) {
		unsigned long caller = hrp_lookup_name(hrp_callsites[i].caller);
		bool found = false;

		if (!caller) {
			if (hrp_callsites[i].optional)
				continue;
			snprintf(what, sizeof(what), "%s() not found",
				 hrp_callsites[i].caller);
			return hrp_missing(what);
		}
		for (j = 0; j < ARRAY_SIZE(hrp_callsites[i].callees); j++) {
			const char *callee = hrp_callsites[i].callees[j];
			unsigned long target;

			if (!callee)
				continue;
			target = hrp_lookup_name(callee);
			if (target && hrp_code_calls(caller, target))
				found = true;
		}
		if (!found && hrp_callsites[i].replace >= 0) {
			hrp_hooks[hrp_callsites[i].replace].wanted = true;
			continue;
		}
		if (!found) {
			snprintf(what, sizeof(what), "%s() does not call %s() (inlined by the compiler)",
				 hrp_callsites[i].caller,
				 hrp_callsites[i].callees[0]);
			return hrp_missing(what);
		}
	}
	return 0;
}

/**
 * hrp_hooks_install() - redirect the kernel's calls, all or nothing
 */
int hrp_hooks_install(void)
{
	unsigned int i;
	int err;

	err = hrp_stubs_alloc(ARRAY_SIZE(hrp_hooks));
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(hrp_hooks); i++) {
		struct hrp_hook *h = &hrp_hooks[i];

		if (!h->wanted)
			continue;
		hrp_stub_addr[i] = hrp_stub_build(i, h->body, h->addr,
						  hrp_unload_window_us);
		if (!hrp_stub_addr[i]) {
			pr_err(HRP_NAME ": %s() is out of reach of a call from the module area; not loading\n",
			       h->name);
			err = -ERANGE;
			goto fail;
		}
		err = ftrace_set_filter_ip(&h->ops, h->addr, 0, 0);
		if (err) {
			pr_err(HRP_NAME ": ftrace cannot attach to %s() (error %d); not loading\n",
			       h->name, err);
			goto fail;
		}
		err = register_ftrace_function(&h->ops);
		if (err) {
			pr_err(HRP_NAME ": cannot redirect %s() (error %d%s); not loading\n",
			       h->name, err,
			       err == -EBUSY ? ": another ftrace user that redirects it, a kprobe or a live patch, owns it; remove that first" : "");
			ftrace_set_filter_ip(&h->ops, h->addr, 1, 0);
			goto fail;
		}
		h->registered = true;
	}
	if (!hrp_armed_kprobes &&
	    hrp_kprobe_ops_behind(&hrp_hooks[HRP_HOOK_PMTU].ops)) {
		pr_err(HRP_NAME ": a kprobe is armed and ftrace on this kernel cannot refuse a second redirect of one function (no IPMODIFY before 3.19): a kprobe on a function the module redirects would silently undo the fix; not loading: disarm kprobes (echo 0 > /sys/kernel/debug/kprobes/enabled), load the module, then arm them again (or load with armed_kprobes=1)\n");
		err = -EBUSY;
		goto fail;
	}
	return 0;
fail:
	hrp_hooks_remove();
	return err;
}

/**
 * hrp_hooks_live() - does ftrace call the module's hooks right now?
 *
 * ftrace registers a callback and then calls it only while the sysctl
 * kernel.ftrace_enabled is 1: at 0 the kernel's own, affected, code runs
 * and nothing says so. So the module calls ip6_route_del() itself with a
 * request that matches no route (no device has ifindex -1) and looks
 * whether its callback saw the call. Process context.
 */
bool hrp_hooks_live(void)
{
	int (*route_del)(struct fib6_config *cfg) =
		(void *)hrp_hooks[HRP_HOOK_ROUTE_DEL].addr;
	struct fib6_config cfg = {
		.fc_table = RT6_TABLE_MAIN,
		.fc_ifindex = -1,
		.fc_nlinfo.nl_net = &init_net,
	};
	int seen = atomic_read(&hrp_selftest_seen);

	if (!hrp_hooks[HRP_HOOK_ROUTE_DEL].registered)
		return false;
	route_del(&cfg);
	return atomic_read(&hrp_selftest_seen) != seen;
}

/*
 * /sys/module/ip6_hostroute_pmtu/parameters/hooks_active: 1 while the fix
 * is active, 0 (and a line in dmesg) while ftrace does not call the hooks.
 */
static int hrp_param_active_get(char *buf, const struct kernel_param *kp)
{
	bool live = hrp_hooks_live();

	if (live && ACCESS_ONCE(hrp_undone))
		return sprintf(buf, "0\n");
	if (!live)
		pr_warn_ratelimited(HRP_NAME ": ftrace is not calling the module's hooks (kernel.ftrace_enabled=0?): the fix is inactive and the kernel's affected code runs; sysctl kernel.ftrace_enabled=1 makes it active again\n");
	return sprintf(buf, "%d\n", live);
}

static const struct kernel_param_ops hrp_param_active_ops = {
	.get = hrp_param_active_get,
};
module_param_cb(hooks_active, &hrp_param_active_ops, NULL, 0444);
MODULE_PARM_DESC(hooks_active, "1 while ftrace calls the module's hooks, 0 while it does not (kernel.ftrace_enabled=0) or another ftrace user undid a redirect");

/**
 * hrp_hooks_describe() - what hrp_hooks_install() redirected, for dmesg
 */
const char *hrp_hooks_describe(void)
{
	if (hrp_hooks[HRP_HOOK_PMTU_CALLER].registered)
		return "ip6_rt_update_pmtu(), ip6_route_del(), rt6_do_redirect() and ip6_update_pmtu() (the compiler inlined part of ip6_rt_update_pmtu() into it)";
	return "ip6_rt_update_pmtu(), ip6_route_del() and rt6_do_redirect()";
}

/**
 * hrp_hooks_remove() - stop redirecting, and wait until no CPU runs the
 * module's replacements any more
 */
void hrp_hooks_remove(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hrp_hooks); i++) {
		struct hrp_hook *h = &hrp_hooks[i];

		if (!h->registered)
			continue;
		unregister_ftrace_function(&h->ops);
		ftrace_set_filter_ip(&h->ops, h->addr, 1, 0);
		h->registered = false;
	}
	/*
	 * The callbacks run with preemption disabled: after this no CPU is in
	 * one, and no call will be sent to a stub but those on their way.
	 */
	synchronize_sched();
	hrp_stubs_close();
	hrp_stubs_free();
}
