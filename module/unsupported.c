// SPDX-License-Identifier: GPL-2.0
/*
 * ip6_hostroute_pmtu for a kernel it cannot or need not fix: Kbuild builds
 * this file instead of the module proper, so that the admin who loads it
 * gets one line saying why, and nothing is installed.
 *
 * HRP_UNSUPPORTED_REASON (and HRP_UNSUPPORTED_ERR) come from Kbuild for a
 * 3.10-4.1 kernel it cannot or need not fix; for other versions the
 * reason is decided here.
 */
#include <linux/module.h>
#include <linux/version.h>

#if defined(HRP_UNSUPPORTED_REASON)
#define HRP_REASON HRP_UNSUPPORTED_REASON
#define HRP_ERR HRP_UNSUPPORTED_ERR
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 2, 0)
#define HRP_REASON "kernel already creates PMTU exceptions for host routes; this module is not needed"
#define HRP_ERR -EOPNOTSUPP
#elif LINUX_VERSION_CODE < KERNEL_VERSION(3, 10, 0)
#define HRP_REASON "kernels before 3.10 are not supported (3.2 and 3.4 are not affected; 3.5 to 3.9 were not verified)"
#define HRP_ERR -EOPNOTSUPP
#else
#error "Kbuild names the reason for a 3.10-4.1 kernel"
#endif

static int __init hrp_unsupported_init(void)
{
	pr_err("ip6_hostroute_pmtu: " HRP_REASON "\n");
	return HRP_ERR;
}
module_init(hrp_unsupported_init);

MODULE_DESCRIPTION("Keep configured IPv6 /128 gateway routes from expiring after a Packet Too Big (not for this kernel: " HRP_REASON ")");
MODULE_LICENSE("GPL");
MODULE_VERSION("1.4.1");
