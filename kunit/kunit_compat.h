/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of the KUnit API the suites of this directory use, for
 * kernels that have no KUnit (before 5.5): the same suite sources build
 * as a module on 3.10 to 4.1 and print KTAP that tools/testing/kunit's
 * kunit.py parses, in the layout KUnit itself prints for a module.
 *
 * Differences that do not matter to these suites: a failed assertion or a
 * skip returns from the test function (they are used only in the test
 * functions themselves), test cases run in the loader's context rather
 * than in a kthread of their own, and the suites run from module_init().
 */
#ifndef _HRP_KUNIT_COMPAT_H
#define _HRP_KUNIT_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 5, 0)
#include <kunit/test.h>
#else

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };

struct kunit {
	const char *name;
	enum kunit_status status;
	char status_comment[128];
	void *priv;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

#define kunit_info(test, fmt, ...) \
	pr_info("        # %s: " fmt "\n", (test)->name, ##__VA_ARGS__)

#define __KUNIT_FAIL(test, fmt, ...) do {				\
	(test)->status = KUNIT_FAILURE;					\
	pr_info("        # %s: EXPECTATION FAILED at %s:%d\n",		\
		(test)->name, __FILE__, __LINE__);			\
	pr_info("        " fmt "\n", ##__VA_ARGS__);			\
} while (0)

#define KUNIT_FAIL(test, fmt, ...) __KUNIT_FAIL(test, fmt, ##__VA_ARGS__)

#define __KUNIT_BINARY(test, l, op, r, fail_action) do {		\
	typeof(l) __l = (l);						\
	typeof(r) __r = (r);						\
	if (!(__l op __r)) {						\
		__KUNIT_FAIL(test, "Expected %s %s %s, but %s == %lld, %s == %lld", \
			     #l, #op, #r, #l, (long long)__l, #r,	\
			     (long long)__r);				\
		fail_action;						\
	}								\
} while (0)

#define KUNIT_EXPECT_EQ(t, l, r) __KUNIT_BINARY(t, l, ==, r, )
#define KUNIT_EXPECT_NE(t, l, r) __KUNIT_BINARY(t, l, !=, r, )
#define KUNIT_EXPECT_LT(t, l, r) __KUNIT_BINARY(t, l, <, r, )
#define KUNIT_EXPECT_LE(t, l, r) __KUNIT_BINARY(t, l, <=, r, )
#define KUNIT_EXPECT_GT(t, l, r) __KUNIT_BINARY(t, l, >, r, )
#define KUNIT_EXPECT_GE(t, l, r) __KUNIT_BINARY(t, l, >=, r, )
#define KUNIT_ASSERT_EQ(t, l, r) __KUNIT_BINARY(t, l, ==, r, return)

#define __KUNIT_BOOL(test, cond, want, fail_action, fmt, ...) do {	\
	if ((bool)(cond) != (bool)(want)) {				\
		__KUNIT_FAIL(test, "Expected %s to be %s" fmt, #cond,	\
			     (want) ? "true" : "false", ##__VA_ARGS__);	\
		fail_action;						\
	}								\
} while (0)

#define KUNIT_EXPECT_TRUE(t, c) __KUNIT_BOOL(t, c, true, , "")
#define KUNIT_EXPECT_FALSE(t, c) __KUNIT_BOOL(t, c, false, , "")
#define KUNIT_ASSERT_TRUE(t, c) __KUNIT_BOOL(t, c, true, return, "")
#define KUNIT_ASSERT_FALSE(t, c) __KUNIT_BOOL(t, c, false, return, "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_BOOL(t, c, true, , ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) \
	__KUNIT_BOOL(t, c, false, , ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_BOOL(t, c, true, return, ": " fmt, ##__VA_ARGS__)

#define kunit_skip(test, fmt, ...) do {					\
	(test)->status = KUNIT_SKIPPED;					\
	snprintf((test)->status_comment, sizeof((test)->status_comment), \
		 fmt, ##__VA_ARGS__);					\
	return;								\
} while (0)

static inline int hrp_kunit_run_suite(struct kunit_suite *suite,
				      unsigned int number)
{
	unsigned int total = 0, pass = 0, fail = 0, skip = 0, i;
	struct kunit_case *c;
	int err = 0;

	for (c = suite->test_cases; c->run_case; c++)
		total++;
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", suite->name);
	pr_info("    1..%u\n", total);

	if (suite->suite_init)
		err = suite->suite_init(suite);

	for (i = 0, c = suite->test_cases; c->run_case; c++, i++) {
		struct kunit test = { .name = c->name, };

		if (err) {
			test.status = KUNIT_FAILURE;
			pr_info("        # %s: suite_init failed (%d)\n",
				c->name, err);
		} else if (!suite->init || !suite->init(&test)) {
			c->run_case(&test);
			if (suite->exit)
				suite->exit(&test);
		} else {
			test.status = KUNIT_FAILURE;
		}
		switch (test.status) {
		case KUNIT_SUCCESS:
			pass++;
			pr_info("    ok %u %s\n", i + 1, c->name);
			break;
		case KUNIT_SKIPPED:
			skip++;
			pr_info("    ok %u %s # SKIP %s\n", i + 1, c->name,
				test.status_comment);
			break;
		default:
			fail++;
			pr_info("    not ok %u %s\n", i + 1, c->name);
		}
	}
	if (!err && suite->suite_exit)
		suite->suite_exit(suite);

	pr_info("# %s: pass:%u fail:%u skip:%u total:%u\n", suite->name,
		pass, fail, skip, total);
	pr_info("%s %u %s\n", fail ? "not ok" : "ok", number, suite->name);
	return fail ? -EINVAL : 0;
}

#define kunit_test_suites(...)						\
	static struct kunit_suite *hrp_kunit_suites[] = { __VA_ARGS__ };	\
	static int __init hrp_kunit_init(void)				\
	{								\
		unsigned int i;						\
									\
		pr_info("KTAP version 1\n");				\
		pr_info("1..%zu\n", ARRAY_SIZE(hrp_kunit_suites));	\
		for (i = 0; i < ARRAY_SIZE(hrp_kunit_suites); i++)	\
			hrp_kunit_run_suite(hrp_kunit_suites[i], i + 1);	\
		return 0;						\
	}								\
	static void __exit hrp_kunit_exit(void) {}			\
	module_init(hrp_kunit_init);					\
	module_exit(hrp_kunit_exit)

#endif /* KUnit */

#endif /* _HRP_KUNIT_COMPAT_H */
