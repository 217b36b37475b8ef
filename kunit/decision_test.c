// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hrp_decision": what a path MTU report does to a route,
 * module/decision.h, over all of its inputs.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/types.h>

#include "kunit_compat.h"
#include "decision.h"

/* A configured /128 route with a gateway, in the fib, fix enabled. */
static struct hrp_pmtu_event host_route(u32 cur_mtu, u32 new_mtu)
{
	struct hrp_pmtu_event ev = {
		.rt_flags = RTF_UP | RTF_GATEWAY,
		.dst_plen = 128,
		.in_fib = true,
		.enabled = true,
		.cur_mtu = cur_mtu,
		.new_mtu = new_mtu,
	};

	return ev;
}

static void a_decrease_on_a_configured_gateway_host_route_is_cloned(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1500, 1400);
	u32 mtu = 0;

	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_CLONE);
	KUNIT_EXPECT_EQ(test, mtu, 1400U);
}

static void the_sysctl_at_0_leaves_everything_to_the_kernel(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1500, 1400);
	u32 mtu = 0;

	ev.enabled = false;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
	KUNIT_EXPECT_EQ(test, mtu, 0U);
}

static void a_cached_clone_is_updated_by_the_kernel(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1500, 1400);
	u32 mtu = 0;

	ev.rt_flags |= RTF_CACHE;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
}

static void a_host_route_without_gateway_is_left_to_the_kernel(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1500, 1400);
	u32 mtu = 0;

	ev.rt_flags &= ~RTF_GATEWAY;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
}

/* "ip addr add A peer B dev sit1": RTF_NONEXTHOP, no gateway, uncloned. */
static void a_point_to_point_peer_route_is_cloned(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1480, 1472);
	u32 mtu = 0;

	ev.rt_flags = RTF_UP | RTF_NONEXTHOP;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_CLONE);
	KUNIT_EXPECT_EQ(test, mtu, 1472U);
}

static void local_anycast_and_reject_routes_are_left_to_the_kernel(struct kunit *test)
{
	static const u32 kind[] = { RTF_LOCAL, RTF_ANYCAST, RTF_REJECT };
	unsigned int i;
	u32 mtu = 0;

	for (i = 0; i < ARRAY_SIZE(kind); i++) {
		struct hrp_pmtu_event ev = host_route(1500, 1400);

		ev.rt_flags = RTF_UP | RTF_NONEXTHOP | kind[i];
		KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
		ev.rt_flags = RTF_UP | RTF_GATEWAY | kind[i];
		KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
	}
}

static void a_prefix_shorter_than_128_is_left_to_the_kernel(struct kunit *test)
{
	static const u8 plens[] = { 0, 1, 64, 126, 127 };
	unsigned int i;
	u32 mtu = 0;

	for (i = 0; i < ARRAY_SIZE(plens); i++) {
		struct hrp_pmtu_event ev = host_route(1500, 1400);

		ev.dst_plen = plens[i];
		KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
	}
}

static void a_route_no_longer_in_the_fib_is_left_to_the_kernel(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1500, 1400);
	u32 mtu = 0;

	ev.in_fib = false;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_STOCK);
}

static void an_mtu_below_1280_is_raised_to_1280(struct kunit *test)
{
	static const u32 low[] = { 0, 1, 68, 576, 1000, 1279 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(low); i++) {
		struct hrp_pmtu_event ev = host_route(1500, low[i]);
		u32 mtu = 0;

		KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_CLONE);
		KUNIT_EXPECT_EQ(test, mtu, 1280U);
	}
}

static void an_increase_is_ignored(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1400, 1450);
	u32 mtu = 0;

	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_IGNORE);
	ev.new_mtu = 65535;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_IGNORE);
	ev.new_mtu = 0xffffffff;
	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_IGNORE);
	KUNIT_EXPECT_EQ(test, mtu, 0U);
}

static void the_same_mtu_is_ignored(struct kunit *test)
{
	struct hrp_pmtu_event ev = host_route(1400, 1400);
	u32 mtu = 0;

	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_IGNORE);
}

static void a_clamped_mtu_equal_to_the_current_one_is_ignored(struct kunit *test)
{
	/* A 1280 link: a report of 1000 would change nothing. */
	struct hrp_pmtu_event ev = host_route(1280, 1000);
	u32 mtu = 0;

	KUNIT_EXPECT_EQ(test, hrp_pmtu_decide(&ev, &mtu), HRP_PMTU_IGNORE);
}

/* The specification, written independently of decision.h. */
static enum hrp_pmtu_action spec(const struct hrp_pmtu_event *ev, u32 *mtu)
{
	/* Handed out uncloned by 3.x lookups: a gateway or a p2p peer. */
	bool next_hop = ev->rt_flags & (RTF_GATEWAY | RTF_NONEXTHOP);
	bool kernels_own = ev->rt_flags & (RTF_CACHE | RTF_LOCAL |
					   RTF_ANYCAST | RTF_REJECT);
	bool configured_gw_host = !kernels_own && ev->in_fib &&
				  ev->dst_plen == 128 && next_hop;
	u32 m = max_t(u32, ev->new_mtu, 1280);

	if (!ev->enabled || !configured_gw_host)
		return HRP_PMTU_STOCK;
	if (m >= ev->cur_mtu)
		return HRP_PMTU_IGNORE;
	*mtu = m;
	return HRP_PMTU_CLONE;
}

static void every_input_combination_follows_the_specification(struct kunit *test)
{
	static const u32 flags[] = {
		0, RTF_UP, RTF_GATEWAY, RTF_UP | RTF_GATEWAY,
		RTF_CACHE, RTF_CACHE | RTF_GATEWAY,
		RTF_UP | RTF_GATEWAY | RTF_EXPIRES,
		RTF_UP | RTF_GATEWAY | RTF_MODIFIED,
		RTF_UP | RTF_GATEWAY | RTF_CACHE | RTF_EXPIRES,
		RTF_UP | RTF_NONEXTHOP, RTF_UP | RTF_GATEWAY | RTF_DEFAULT,
		RTF_UP | RTF_NONEXTHOP | RTF_LOCAL,
		RTF_UP | RTF_NONEXTHOP | RTF_ANYCAST,
		RTF_UP | RTF_NONEXTHOP | RTF_REJECT,
		RTF_UP | RTF_NONEXTHOP | RTF_CACHE,
	};
	static const u8 plens[] = { 0, 64, 127, 128 };
	static const u32 mtus[] = {
		0, 1, 1279, 1280, 1281, 1399, 1400, 1401, 1500, 9000, 65535,
		0xffffffff,
	};
	unsigned int f, p, fib, en, c, n, checked = 0, mismatches = 0;

	for (f = 0; f < ARRAY_SIZE(flags); f++)
	for (p = 0; p < ARRAY_SIZE(plens); p++)
	for (fib = 0; fib < 2; fib++)
	for (en = 0; en < 2; en++)
	for (c = 0; c < ARRAY_SIZE(mtus); c++)
	for (n = 0; n < ARRAY_SIZE(mtus); n++) {
		struct hrp_pmtu_event ev = {
			.rt_flags = flags[f], .dst_plen = plens[p],
			.in_fib = fib, .enabled = en,
			.cur_mtu = mtus[c], .new_mtu = mtus[n],
		};
		u32 got_mtu = 0, want_mtu = 0;
		enum hrp_pmtu_action got = hrp_pmtu_decide(&ev, &got_mtu);
		enum hrp_pmtu_action want = spec(&ev, &want_mtu);

		checked++;
		if (got != want || got_mtu != want_mtu) {
			if (mismatches++ < 5)
				KUNIT_FAIL(test, "flags %#x plen %u fib %u en %u cur %u new %u: got %d/%u, want %d/%u",
					   ev.rt_flags, ev.dst_plen, fib, en,
					   ev.cur_mtu, ev.new_mtu, got, got_mtu,
					   want, want_mtu);
		}
		/* Never raise, never below 1280 (CONTRACT F8). */
		if (got == HRP_PMTU_CLONE) {
			KUNIT_EXPECT_LT(test, got_mtu, ev.cur_mtu);
			KUNIT_EXPECT_GE(test, got_mtu, 1280U);
		}
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0U);
	KUNIT_EXPECT_EQ(test, checked, (unsigned int)(ARRAY_SIZE(flags) *
		ARRAY_SIZE(plens) * 2 * 2 * ARRAY_SIZE(mtus) * ARRAY_SIZE(mtus)));
}

static struct kunit_case hrp_decision_cases[] = {
	KUNIT_CASE(a_decrease_on_a_configured_gateway_host_route_is_cloned),
	KUNIT_CASE(the_sysctl_at_0_leaves_everything_to_the_kernel),
	KUNIT_CASE(a_cached_clone_is_updated_by_the_kernel),
	KUNIT_CASE(a_host_route_without_gateway_is_left_to_the_kernel),
	KUNIT_CASE(a_point_to_point_peer_route_is_cloned),
	KUNIT_CASE(local_anycast_and_reject_routes_are_left_to_the_kernel),
	KUNIT_CASE(a_prefix_shorter_than_128_is_left_to_the_kernel),
	KUNIT_CASE(a_route_no_longer_in_the_fib_is_left_to_the_kernel),
	KUNIT_CASE(an_mtu_below_1280_is_raised_to_1280),
	KUNIT_CASE(an_increase_is_ignored),
	KUNIT_CASE(the_same_mtu_is_ignored),
	KUNIT_CASE(a_clamped_mtu_equal_to_the_current_one_is_ignored),
	KUNIT_CASE(every_input_combination_follows_the_specification),
	{}
};

struct kunit_suite hrp_decision_suite = {
	.name = "hrp_decision",
	.test_cases = hrp_decision_cases,
};
