// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hrp_fib": the running kernel's handling of a path MTU
 * decrease on a configured IPv6 /128 route with a gateway, against
 * CONTRACT.md (docs/contract.md). Each case brings up a dummy link in the
 * suite's network namespace, adds fd00:2::2/128 via fd00:1::1 with the
 * kernel's own route-add path, reports a smaller path MTU through the
 * entry points the stack uses, and looks at the kernel's routes and
 * lookups. Bringing the link down at the end removes everything it made.
 *
 * Passes on Linux 4.2 and later, on 3.10-4.1 with ip6_hostroute_pmtu
 * loaded or the patch series applied; fails on an unfixed 3.10-4.1.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>

#include "kunit_compat.h"
#include "fib_env.h"

#define SERVER "fd00:2::2"
#define ROUTER "fd00:1::1"
#define MAIN RT_TABLE_MAIN
#define LINK_MTU 1500

static struct hrp_env env;
static int saved_mtu_expires;

static int hrp_fib_suite_init(struct kunit_suite *suite)
{
	return hrp_env_init(&env);
}

static void hrp_fib_suite_exit(struct kunit_suite *suite)
{
	hrp_env_exit(&env);
}

static int hrp_fib_init(struct kunit *test)
{
	int err;

	saved_mtu_expires = env.net->ipv6.sysctl.ip6_rt_mtu_expires;
	err = hrp_env_link_up(&env);
	if (!err)
		err = hrp_env_route_add(&env, SERVER, 128, ROUTER, MAIN);
	if (err) {
		kunit_info(test, "setup failed: %d", err);
		hrp_env_link_down(&env);
	}
	return err;
}

static void hrp_fib_exit(struct kunit *test)
{
	env.net->ipv6.sysctl.ip6_rt_mtu_expires = saved_mtu_expires;
	if (hrp_env_knob_get(&env) >= 0)
		hrp_env_knob_set(&env, 1);
	hrp_env_link_down(&env);
}

/* F1, with the state before for comparison. */
static void expect_configured_route_untouched(struct kunit *test,
					      const struct hrp_route_view *before)
{
	struct hrp_route_view now;

	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &now), 0);
	KUNIT_EXPECT_TRUE(test, now.present);
	KUNIT_EXPECT_FALSE(test, now.expires);
	KUNIT_EXPECT_EQ(test, now.mtu, before->mtu);
	KUNIT_EXPECT_EQ(test, now.metric, before->metric);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&now.gw, &before->gw));
}

/* F2 and F3 after a decrease to @mtu. */
static void expect_mtu_in_a_cached_entry(struct kunit *test, u32 mtu)
{
	struct hrp_lookup_view get;
	struct hrp_route_view cache;

	hrp_env_lookup(&env, SERVER, &get);
	KUNIT_EXPECT_EQ(test, get.error, 0);
	KUNIT_EXPECT_EQ(test, get.mtu, mtu);
	KUNIT_EXPECT_TRUE(test, get.expires);
	KUNIT_EXPECT_TRUE(test, get.cached);

	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, true,
						 &cache), 0);
	KUNIT_EXPECT_TRUE(test, cache.present);
	KUNIT_EXPECT_EQ(test, cache.mtu, mtu);
	KUNIT_EXPECT_TRUE(test, cache.expires);
}

static void a_packet_too_big_leaves_the_configured_route_unchanged(struct kunit *test)
{
	struct hrp_route_view before;

	KUNIT_ASSERT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &before), 0);
	KUNIT_ASSERT_TRUE(test, before.present);
	hrp_env_ptb(&env, SERVER, 1400);
	expect_configured_route_untouched(test, &before);
}

static void the_learned_mtu_is_in_a_cached_entry_and_in_lookups(struct kunit *test)
{
	hrp_env_ptb(&env, SERVER, 1400);
	expect_mtu_in_a_cached_entry(test, 1400);
}

static void a_tunnel_driver_report_is_handled_the_same_way(struct kunit *test)
{
	struct hrp_route_view before;

	KUNIT_ASSERT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &before), 0);
	/* sit's xmit: skb_dst(skb)->ops->update_pmtu(dst, NULL, skb, mtu) */
	KUNIT_ASSERT_EQ(test, hrp_env_dst_update_pmtu(&env, SERVER, 1472), 0);
	expect_configured_route_untouched(test, &before);
	expect_mtu_in_a_cached_entry(test, 1472);
}

static void after_expiry_the_configured_route_serves_again(struct kunit *test)
{
	struct hrp_route_view before, cache;
	struct hrp_lookup_view get;

	KUNIT_ASSERT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &before), 0);
	env.net->ipv6.sysctl.ip6_rt_mtu_expires = HZ / 2;
	hrp_env_ptb(&env, SERVER, 1400);
	hrp_env_lookup(&env, SERVER, &get);
	KUNIT_EXPECT_EQ(test, get.mtu, 1400U);

	msleep(jiffies_to_msecs(HZ / 2) + 200);

	/* Expired: lookups use the configured route again, even before the
	 * garbage collector has run.
	 */
	hrp_env_lookup(&env, SERVER, &get);
	KUNIT_EXPECT_EQ(test, get.error, 0);
	KUNIT_EXPECT_TRUE(test, get.gateway);
	KUNIT_EXPECT_FALSE(test, get.expires);
	KUNIT_EXPECT_EQ(test, get.mtu, (u32)LINK_MTU);

	/* And once it has run, the configured route is still there and the
	 * cached entry is gone.
	 */
	KUNIT_EXPECT_EQ(test, hrp_env_gc(&env), 0);
	expect_configured_route_untouched(test, &before);
	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, true,
						 &cache), 0);
	KUNIT_EXPECT_FALSE(test, cache.present);

	/* And the next decrease is learned again. */
	env.net->ipv6.sysctl.ip6_rt_mtu_expires = saved_mtu_expires;
	hrp_env_ptb(&env, SERVER, 1400);
	expect_mtu_in_a_cached_entry(test, 1400);
	expect_configured_route_untouched(test, &before);
}

static void one_route_delete_removes_the_route_and_its_cached_entry(struct kunit *test)
{
	struct hrp_route_view view;

	hrp_env_ptb(&env, SERVER, 1400);
	/* "ip -6 route del fd00:2::2/128 via fd00:1::1": no metric, no dev */
	KUNIT_EXPECT_EQ(test, hrp_env_route_del(&env, SERVER, 128, ROUTER, MAIN),
			0);
	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &view), 0);
	KUNIT_EXPECT_FALSE(test, view.present);
	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, true,
						 &view), 0);
	KUNIT_EXPECT_FALSE(test, view.present);
	KUNIT_EXPECT_EQ(test, hrp_env_route_del(&env, SERVER, 128, ROUTER, MAIN),
			-ESRCH);
}

/* "ip -6 route flush cache" sends each cached entry back as a delete. */
static void deleting_the_cached_entry_keeps_the_configured_route(struct kunit *test)
{
	struct hrp_route_view before, view;

	KUNIT_ASSERT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &before), 0);
	hrp_env_ptb(&env, SERVER, 1400);
	KUNIT_EXPECT_EQ(test, hrp_env_route_del_cached(&env, SERVER, 128, ROUTER,
						       MAIN), 0);
	KUNIT_EXPECT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, true,
						 &view), 0);
	KUNIT_EXPECT_FALSE(test, view.present);
	expect_configured_route_untouched(test, &before);
	/* and a failed delete deletes nothing */
	hrp_env_ptb(&env, SERVER, 1400);
	KUNIT_EXPECT_NE(test, hrp_env_route_del(&env, SERVER, 128, SERVER, MAIN),
			0);
	expect_mtu_in_a_cached_entry(test, 1400);
	expect_configured_route_untouched(test, &before);
}

static void routes_the_bug_never_touched_behave_as_before(struct kunit *test)
{
	struct hrp_route_view p127, dev128, other, now;
	struct hrp_lookup_view get;

	KUNIT_ASSERT_EQ(test, hrp_env_route_add(&env, "fd00:2::4", 127, ROUTER,
						MAIN), 0);
	KUNIT_ASSERT_EQ(test, hrp_env_route_add(&env, "fd00:2::6", 128, NULL,
						MAIN), 0);
	KUNIT_ASSERT_EQ(test, hrp_env_route_add(&env, SERVER, 128, ROUTER, 100),
			0);
	hrp_env_route_show(&env, "fd00:2::4", 127, MAIN, false, &p127);
	hrp_env_route_show(&env, "fd00:2::6", 128, MAIN, false, &dev128);
	hrp_env_route_show(&env, SERVER, 128, 100, false, &other);
	KUNIT_ASSERT_TRUE(test, p127.present && dev128.present && other.present);

	hrp_env_ptb(&env, "fd00:2::5", 1400);
	hrp_env_ptb(&env, "fd00:2::6", 1400);
	hrp_env_ptb(&env, SERVER, 1400);

	/* A /127 with a gateway: the lookup's clone learns, the route not. */
	hrp_env_route_show(&env, "fd00:2::4", 127, MAIN, false, &now);
	KUNIT_EXPECT_TRUE(test, now.present && !now.expires && !now.mtu);
	hrp_env_lookup(&env, "fd00:2::5", &get);
	KUNIT_EXPECT_EQ(test, get.mtu, 1400U);
	/* A /128 without a gateway: likewise. */
	hrp_env_route_show(&env, "fd00:2::6", 128, MAIN, false, &now);
	KUNIT_EXPECT_TRUE(test, now.present && !now.expires && !now.mtu);
	hrp_env_lookup(&env, "fd00:2::6", &get);
	KUNIT_EXPECT_EQ(test, get.mtu, 1400U);
	/* The same /128 in a table no lookup uses: untouched, no clone. */
	hrp_env_route_show(&env, SERVER, 128, 100, false, &now);
	KUNIT_EXPECT_TRUE(test, now.present && !now.expires && !now.mtu);
	hrp_env_route_show(&env, SERVER, 128, 100, true, &now);
	KUNIT_EXPECT_FALSE(test, now.present);
}

static void a_packet_too_big_never_raises_nor_goes_below_1280(struct kunit *test)
{
	static const u32 reports[] = { 1450, 65535, 1500 };
	struct hrp_route_view before;
	struct hrp_lookup_view get;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, hrp_env_route_show(&env, SERVER, 128, MAIN, false,
						 &before), 0);
	hrp_env_ptb(&env, SERVER, 1400);
	for (i = 0; i < ARRAY_SIZE(reports); i++) {
		hrp_env_ptb(&env, SERVER, reports[i]);
		hrp_env_lookup(&env, SERVER, &get);
		KUNIT_EXPECT_EQ(test, get.mtu, 1400U);
	}
	/* Below 1280: 3.x and the fix clamp to 1280, RFC 8201 kernels ignore. */
	hrp_env_ptb(&env, SERVER, 1000);
	hrp_env_lookup(&env, SERVER, &get);
	KUNIT_EXPECT_GE(test, get.mtu, 1280U);
	KUNIT_EXPECT_LE(test, get.mtu, 1400U);
	hrp_env_ptb(&env, SERVER, 0);
	hrp_env_lookup(&env, SERVER, &get);
	KUNIT_EXPECT_GE(test, get.mtu, 1280U);
	expect_configured_route_untouched(test, &before);
}

static void with_the_sysctl_at_0_the_configured_route_gets_the_expiry(struct kunit *test)
{
	struct hrp_route_view now;

	if (hrp_env_knob_get(&env) < 0)
		kunit_skip(test, "no net.ipv6.route.host_route_pmtu_exception on this kernel");
	KUNIT_ASSERT_EQ(test, hrp_env_knob_set(&env, 0), 0);
	KUNIT_ASSERT_EQ(test, hrp_env_knob_get(&env), 0);

	hrp_env_ptb(&env, SERVER, 1400);
	hrp_env_route_show(&env, SERVER, 128, MAIN, false, &now);
	KUNIT_EXPECT_TRUE(test, now.present);
	KUNIT_EXPECT_TRUE(test, now.expires);
	KUNIT_EXPECT_EQ(test, now.mtu, 1400U);
	hrp_env_route_show(&env, SERVER, 128, MAIN, true, &now);
	KUNIT_EXPECT_FALSE(test, now.present);
}

static struct kunit_case hrp_fib_cases[] = {
	KUNIT_CASE(a_packet_too_big_leaves_the_configured_route_unchanged),
	KUNIT_CASE(the_learned_mtu_is_in_a_cached_entry_and_in_lookups),
	KUNIT_CASE(a_tunnel_driver_report_is_handled_the_same_way),
	KUNIT_CASE(after_expiry_the_configured_route_serves_again),
	KUNIT_CASE(one_route_delete_removes_the_route_and_its_cached_entry),
	KUNIT_CASE(deleting_the_cached_entry_keeps_the_configured_route),
	KUNIT_CASE(routes_the_bug_never_touched_behave_as_before),
	KUNIT_CASE(a_packet_too_big_never_raises_nor_goes_below_1280),
	KUNIT_CASE(with_the_sysctl_at_0_the_configured_route_gets_the_expiry),
	{}
};

struct kunit_suite hrp_fib_suite = {
	.name = "hrp_fib",
	.suite_init = hrp_fib_suite_init,
	.suite_exit = hrp_fib_suite_exit,
	.init = hrp_fib_init,
	.exit = hrp_fib_exit,
	.test_cases = hrp_fib_cases,
};
