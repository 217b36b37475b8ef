// SPDX-License-Identifier: GPL-2.0
/* ftrace refuses two users that rewrite regs->ip of one function (3.19). */
#include <linux/module.h>
#include <net/ipv6.h>
#include <linux/ftrace.h>

unsigned long hrp_probe = FTRACE_OPS_FL_IPMODIFY;
