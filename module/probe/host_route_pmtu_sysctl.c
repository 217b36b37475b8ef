// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel carries this project's patch series, whose optional second
 * patch keeps net.ipv6.route.host_route_pmtu_exception in struct net.
 */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

unsigned long hrp_probe = sizeof(((struct net *)0)->ipv6_host_route_pmtu);
