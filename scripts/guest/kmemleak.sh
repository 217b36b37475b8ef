#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by module.sh and stress.sh on a kernel with kmemleak:
#
#   kmemleak_check: scan (twice, as kmemleak wants), keep the report in
#   /tmp/kmemleak and set
#     kl_total  unreferenced objects in all
#     kl_ours   of them, allocated by the module or for routes (clones,
#               their metrics, fib6 nodes): what must be 0
#     kl_known  of them, the kernel's own leak of a non-default fib6 table
#               when its namespace dies (the scenario's table 100; fixed
#               upstream in 4.14 by ba1cc08d9488 "ipv6: fix memory leak
#               with multiple tables during netns destruction")
#   kmemleak_show: the report's objects, as TAP diagnostics (at most 40
#   lines)

KL=/sys/kernel/debug/kmemleak

kmemleak_check() {
	echo scan >$KL
	sleep 6
	echo scan >$KL
	cat $KL >/tmp/kmemleak
	# shellcheck disable=SC2034 # kl_*: for the scripts that source this
	read -r kl_total kl_ours kl_known <<EOF
$(awk '
		function flush() {
			if (obj == "")
				return
			total++
			if (bt ~ /fib6_new_table/)
				known++
			else if (bt ~ /ip6_hostroute_pmtu|hrp_|dst_alloc|ip6_dst|dst_cow_metrics|rt6_|fib6_/)
				ours++
			obj = ""
		}
		/^unreferenced object/ { flush(); obj = $0; bt = ""; next }
		{ bt = bt " " $0 }
		END { flush(); printf "%d %d %d\n", total, ours, known }
	' /tmp/kmemleak)
EOF
}

kmemleak_show() {
	grep -A 12 '^unreferenced object' /tmp/kmemleak | sed 's/^/# /' | head -n 40
}
