#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The CONTRACT.md scenario in three throwaway network namespaces:
#
#   client (c0, MTU 1500) -- (r0) router (r1, MTU 1400) -- (s0) server
#
# The client holds "<server>/128 via <router>"; traffic bigger than the
# router's narrow link makes the router send Packet Too Big.
#
# Usage: scenario.sh [--expect fixed|legacy] [--case NAME]... [--sysctl 0|1]
#                    [--list]
#
# Without --expect this is the self-check for administrators: it runs the
# main case once and answers whether this kernel shows the bug.
#   exit 0  fixed behaviour (kernel not affected, or the fix is active)
#   exit 1  legacy behaviour: the configured route was given an expiry
#   exit 2  could not run (the reason is printed)
# With --expect, every assertion of the chosen expectation is checked;
# exit 0 when all hold, 1 when one does not, 2 when the test could not run.
# --sysctl sets net.ipv6.route.host_route_pmtu_exception in the client
# namespace (the module or a patched kernel must provide it).
# Output is TAP; each assertion line says what was seen.
#
# Needs root, network namespaces, veth, iproute2's ip and a ping (busybox's
# is used when present, else ping6 or ping -6). Environment: HRP_IP (path
# of iproute2's ip), HRP_PING (the ping command, e.g. "ping6"),
# HRP_NET (path of the hrp-net helper, for the cases that need it; "none":
# do without, as a clone where "make tools" was not run),
# HRP_EXPIRES (client net.ipv6.route.mtu_expires, default 8 seconds).

set -u

EXPIRES=${HRP_EXPIRES:-8}
GC_INTERVAL=1
SUFFIX=$$
C=hrpc$SUFFIX
R=hrpr$SUFFIX
S=hrps$SUFFIX
CLIENT=fd00:1::2
ROUTER=fd00:1::1
SERVER=fd00:2::2
NARROW=1400

ALL_CASES="main icmp udp raw tcp sit f7 f8 flush delcache replace redirect ra ecmp peer crossing toggle"
LEGACY_CASES="main icmp udp raw tcp sit f7 peer"
# The cases added for CONTRACT F9-F12 compare with what a modern kernel
# does for the same operations: those that need no sysctl must pass on any
# 4.2+ kernel as they stand (the host's, the 6.1 guest's).
#
# Run only when asked for: "unload" removes the module midway, "repair"
# loads it (from $HRP_KO) after the bug has marked a route.
EXTRA_CASES="unload repair"

expect=""
cases=""
sysctl=""
n=0
failed=0
skipped=0
legacy_seen=0
bgpids=""

die2() {
	echo "Bail out! $*"
	echo "# could not run: $*" >&2
	exit 2
}

usage() {
	echo "usage: $0 [--expect fixed|legacy] [--case NAME]... [--sysctl 0|1] [--list]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--expect)
		[ $# -ge 2 ] || usage
		expect=$2
		shift 2
		;;
	--case)
		[ $# -ge 2 ] || usage
		cases="$cases $2"
		shift 2
		;;
	--sysctl)
		[ $# -ge 2 ] || usage
		sysctl=$2
		shift 2
		;;
	--list)
		echo "$ALL_CASES $EXTRA_CASES" | tr ' ' '\n'
		exit 0
		;;
	*) usage ;;
	esac
done
case "$expect" in
"" | fixed | legacy) ;;
*) usage ;;
esac
case "$sysctl" in
"" | 0 | 1) ;;
*) usage ;;
esac
for c in $cases; do
	case " $ALL_CASES $EXTRA_CASES " in
	*" $c "*) ;;
	*) die2 "unknown case '$c' (see --list)" ;;
	esac
done

# ---- tools ----------------------------------------------------------------

IP=${HRP_IP:-}
if [ -z "$IP" ]; then
	for p in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do
		if [ -x "$p" ] && "$p" -V 2>/dev/null | grep -q iproute2; then
			IP=$p
			break
		fi
	done
fi
[ -n "$IP" ] || die2 "iproute2's ip not found (set HRP_IP)"

# The ping: busybox's when present; else iputils' ping6, a program of its
# own before iputils s20150815 (CentOS 7.0-7.2, Debian 8 and Ubuntu 14.04
# ship 20121221, whose ping has no -6); else ping -6. HRP_PING: another.
if [ -n "${HRP_PING:-}" ]; then
	PING=$HRP_PING
elif command -v busybox >/dev/null 2>&1; then
	PING="busybox ping -6"
elif command -v ping6 >/dev/null 2>&1; then
	PING=ping6
else
	PING="ping -6"
fi

here=$(cd "$(dirname "$0")" && pwd)
HRP_NET=${HRP_NET:-}
if [ -z "$HRP_NET" ]; then
	for p in "$here/tools/hrp-net" "$(command -v hrp-net 2>/dev/null)"; do
		if [ -n "$p" ] && [ -x "$p" ]; then
			HRP_NET=$p
			break
		fi
	done
elif [ "$HRP_NET" = none ]; then
	HRP_NET=""	# as a clone without "make tools": the system's ping
fi

[ "$(id -u)" = 0 ] || die2 "must run as root"
[ -d /proc/sys/net/ipv6 ] || die2 "this kernel has no IPv6"
KNOB=net/ipv6/route/host_route_pmtu_exception
if [ -n "$sysctl" ] && [ ! -e /proc/sys/$KNOB ]; then
	die2 "--sysctl: $KNOB does not exist (module not loaded, kernel not patched)"
fi

# ---- TAP ------------------------------------------------------------------

oneline() {
	printf '%s' "$1" | tr '\n' '|' | sed 's/|$//; s/|/ | /g'
}

# check DESCRIPTION SEEN TEST-COMMAND...
check() {
	desc=$1
	seen=$(oneline "$2")
	shift 2
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc (seen: ${seen:-nothing})"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc (seen: ${seen:-nothing})"
	fi
}

skip() {
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n - $1 # SKIP $2"
}

contains() { printf '%s\n' "$1" | grep -q -- "$2"; }
lacks() { ! printf '%s\n' "$1" | grep -q -- "$2"; }
same() { [ "$1" = "$2" ]; }
nonempty() { [ -n "$1" ]; }
empty() { [ -z "$1" ]; }
lacks_all() { lacks "$1" expires && lacks "$1" " mtu "; }

# ---- namespaces -----------------------------------------------------------

cleanup() {
	for p in $bgpids; do
		kill "$p" 2>/dev/null
	done
	for ns in $C $R $S; do
		"$IP" netns del "$ns" 2>/dev/null
	done
	bgpids=""
}

on_signal() {
	cleanup
	echo "Bail out! interrupted"
	exit 2
}
trap cleanup EXIT
trap on_signal INT TERM HUP

nsx() {
	ns=$1
	shift
	"$IP" netns exec "$ns" "$@"
}

# ipn NS ARGS: iproute2's ip in namespace NS. "ip -n" came with iproute2
# 3.19; the ip of the distributions that ran affected kernels (3.10 on
# CentOS 7.0-7.2, 3.12 on Ubuntu 14.04, 3.16 on Debian 8) has only
# "ip netns exec".
if "$IP" help 2>&1 | grep -q -- '-n\[etns\]'; then
	ipn() {
		ipn_ns=$1
		shift
		"$IP" -n "$ipn_ns" "$@"
	}
else
	ipn() {
		ipn_ns=$1
		shift
		nsx "$ipn_ns" "$IP" "$@"
	}
fi

sysctl_w() {
	nsx "$1" sh -c "echo $3 > /proc/sys/$2"
}

ping6() {
	# ping6 NS DST SIZE: one echo request, wait at most 1 s for the reply.
	# hrp-net's never fragments locally; without it, the system's ping
	# (kernels before 3.12 then fragment big ones at the router namespace
	# instead of answering with a Packet Too Big).
	if [ -n "$HRP_NET" ]; then
		nsx "$1" "$HRP_NET" ping "$2" "$3"
	else
		# shellcheck disable=SC2086 # PING is a command and its options
		nsx "$1" $PING -c 1 -W 1 -w 1 -s "$3" "$2" >/dev/null 2>&1
	fi
}

# Build the three namespaces. The client's fib GC runs at the gc_interval in
# force when its timer is first armed: set it before any link comes up.
setup() {
	for ns in $C $R $S; do
		"$IP" netns add "$ns" || return 1
		sysctl_w "$ns" net/ipv6/conf/all/accept_dad 0
		sysctl_w "$ns" net/ipv6/conf/default/accept_dad 0
		sysctl_w "$ns" net/ipv6/conf/default/accept_ra 0
		ipn "$ns" link set lo up
	done
	sysctl_w "$C" net/ipv6/route/gc_interval "$GC_INTERVAL" || return 1
	sysctl_w "$C" net/ipv6/route/mtu_expires "$EXPIRES" || return 1
	if [ -n "$sysctl" ]; then
		sysctl_w "$C" $KNOB "$sysctl" || return 1
	fi
	# default/ too: a new link takes its forwarding (and so the Router flag
	# of its Neighbor Advertisements) from default, not from all.
	sysctl_w "$R" net/ipv6/conf/default/forwarding 1 || return 1
	sysctl_w "$R" net/ipv6/conf/all/forwarding 1 || return 1

	ipn "$C" link add c0 type veth peer name r0 netns "$R" || return 1
	ipn "$R" link add r1 type veth peer name s0 netns "$S" || return 1
	ipn "$R" link set r1 mtu "$NARROW" || return 1

	ipn "$C" link set c0 up
	ipn "$R" link set r0 up
	ipn "$R" link set r1 up
	ipn "$S" link set s0 up
	ipn "$C" -6 addr add $CLIENT/64 dev c0 nodad || return 1
	ipn "$R" -6 addr add $ROUTER/64 dev r0 nodad || return 1
	ipn "$R" -6 addr add fd00:2::1/64 dev r1 nodad || return 1
	for a in $SERVER fd00:2::5 fd00:2::6; do
		ipn "$S" -6 addr add "$a/64" dev s0 nodad || return 1
	done
	ipn "$S" -6 route add default via fd00:2::1 || return 1
	ipn "$C" -6 route add $SERVER/128 via $ROUTER || return 1
	# Links take a moment to come up: wait until the server answers.
	tries=0
	until ping6 "$C" $SERVER 56; do
		tries=$((tries + 1))
		if [ $tries -ge 10 ]; then
			echo "the server does not answer a small ping"
			return 1
		fi
	done
}

# The configured route as the user sees it (cached clones are not listed).
# -o: iproute2 before 4.x prints a cached entry's "cache expires ... mtu ..."
# on a second line; one record per line with it, the same line with later ones.
route_line() {
	ipn "$C" -o -6 route show table "${2:-main}" 2>/dev/null |
		grep "^$1 " | grep -v '^fe80'
}
cache_line() {
	ipn "$C" -o -6 route show cache table "${2:-main}" 2>/dev/null |
		grep "^$1 "
}
route_get() {
	ipn "$C" -o -6 route get "$1" 2>&1 | head -n 1
}
del_route() {
	ipn "$C" -6 route del "$@" 2>&1
}

# ---- the assertions shared by the cases -----------------------------------

# after_ptb DST BEFORE MTU WHAT: what must hold right after a Packet Too Big
# that lowered the path MTU of DST (reached through a configured /128 route
# with a gateway) to MTU.
after_ptb() {
	dst=$1 before=$2 mtu=$3 what=$4
	line=$(route_line "$dst")
	if lacks "$line" expires; then :; else legacy_seen=1; fi
	if [ "$expect" = legacy ]; then
		check "L1 $what: the configured route gets an expiry" "$line" \
			contains "$line" expires
		check "L1 $what: the configured route gets mtu $mtu" "$line" \
			contains "$line" " mtu $mtu"
		return
	fi
	check "F1 $what: configured route unchanged by the Packet Too Big" \
		"$line" same "$line" "$before"
	check "F1 $what: configured route shows no expires and no mtu" \
		"$line" lacks_all "$line"
	get=$(route_get "$dst")
	check "F2 $what: route get reports the learned mtu $mtu" "$get" \
		contains "$get" " mtu $mtu"
	check "F2 $what: route get reports the expiry" "$get" \
		contains "$get" expires
	cache=$(cache_line "$dst")
	check "F3 $what: a cached entry holds mtu $mtu" "$cache" \
		contains "$cache" " mtu $mtu"
}

# ---- cases ----------------------------------------------------------------

case_main() {
	before=$(route_line $SERVER)
	check "setup: configured route present" "$before" nonempty "$before"
	ping6 "$C" $SERVER 1450
	after_ptb $SERVER "$before" $NARROW "ping"
	if [ -z "$expect" ]; then
		return
	fi

	sleep $((EXPIRES + 2 * GC_INTERVAL + 1))
	line=$(route_line $SERVER)
	get=$(route_get $SERVER)
	if [ "$expect" = legacy ]; then
		check "L1 ping: the configured route is gone after expiry" \
			"$line / $get" empty "$line"
		return
	fi
	check "F4 after expiry: configured route still there, unchanged" \
		"$line" same "$line" "$before"
	check "F4 after expiry: path mtu back to the link mtu" "$get" \
		lacks "$get" " mtu $NARROW"
	check "F4 after expiry: lookups take the configured route" "$get" \
		contains "$get" "via $ROUTER dev c0"
	cache=$(cache_line $SERVER)
	check "F4 after expiry: the cached entry has aged out" "$cache" \
		empty "$cache"
	ping6 "$C" $SERVER 56
	rc=$?
	check "F4 after expiry: traffic to the server still flows" \
		"ping exit $rc" [ "$rc" = 0 ]
	ping6 "$C" $SERVER 1450
	cache=$(cache_line $SERVER)
	check "F4 a new Packet Too Big creates a new cached entry" "$cache" \
		contains "$cache" " mtu $NARROW"
	line=$(route_line $SERVER)
	check "F4 the new cached entry leaves the configured route alone" \
		"$line" same "$line" "$before"

	out=$(del_route $SERVER/128 via $ROUTER)
	rc=$?
	check "F5 one route del succeeds" "exit $rc $out" [ "$rc" = 0 ]
	line=$(route_line $SERVER)
	check "F5 the configured route is gone" "$line" empty "$line"
	cache=$(cache_line $SERVER)
	check "F5 no orphan cached entry is left" "$cache" empty "$cache"
	out=$(del_route $SERVER/128 via $ROUTER)
	rc=$?
	check "F5 a second route del finds nothing" "exit $rc $out" [ "$rc" != 0 ]
}

need_hrp_net() {
	if [ -z "$HRP_NET" ]; then
		skip "$1" "hrp-net helper not built (make -C scripts/tools)"
		return 1
	fi
}

case_icmp() {
	need_hrp_net "icmp: crafted Packet Too Big" || return 0
	before=$(route_line $SERVER)
	nsx "$R" "$HRP_NET" ptb $CLIENT $CLIENT $SERVER $NARROW icmp
	sleep 0.2
	after_ptb $SERVER "$before" $NARROW "icmp (icmpv6_err)"
}

case_udp() {
	need_hrp_net "udp: connected socket" || return 0
	before=$(route_line $SERVER)
	nsx "$C" "$HRP_NET" udp $SERVER 9999 1450
	after_ptb $SERVER "$before" $NARROW "udp (udpv6_err)"
}

case_raw() {
	need_hrp_net "raw: protocol 253 socket" || return 0
	before=$(route_line $SERVER)
	nsx "$C" "$HRP_NET" raw $SERVER 1450
	after_ptb $SERVER "$before" $NARROW "raw (rawv6_err)"
}

case_tcp() {
	need_hrp_net "tcp: connection" || return 0
	nsx "$S" "$HRP_NET" tcp-sink 8080 20 &
	bgpids="$bgpids $!"
	sleep 1
	before=$(route_line $SERVER)
	nsx "$C" "$HRP_NET" tcp $SERVER 8080 60000
	after_ptb $SERVER "$before" $NARROW "tcp (tcp_v6_err, dst_ops)"
}

# The seed's 6in4 setup: the client's sit tunnel has MTU 1480, the
# router's 1472, and the client's IPv4 link carries 1492 bytes, so the sit
# driver itself lowers the path MTU of the /128 route to 1472 through
# dst->ops->update_pmtu(). The router's link towards the server is left
# wide: no ICMPv6 Packet Too Big is involved in this case.
case_sit() {
	if ! ipn "$C" link add sc type sit local 192.0.2.2 \
		remote 192.0.2.1 ttl 64 2>/dev/null; then
		skip "sit: 6in4 tunnel" "this kernel has no sit driver"
		return 0
	fi
	ipn "$R" link add sr type sit local 192.0.2.1 remote 192.0.2.2 ttl 64
	ipn "$R" link set r1 mtu 1500
	ipn "$C" link set c0 mtu 1492
	ipn "$C" addr add 192.0.2.2/24 dev c0
	ipn "$R" addr add 192.0.2.1/24 dev r0
	ipn "$C" link set sc mtu 1480 up
	ipn "$R" link set sr mtu 1472 up
	ipn "$C" -6 addr add fd00:3::2/64 dev sc nodad
	ipn "$R" -6 addr add fd00:3::1/64 dev sr nodad
	ipn "$C" -6 route replace $SERVER/128 via fd00:3::1 dev sc
	# Modern kernels drop cached PMTU entries through a gateway that is not
	# known as a router; sit has no Neighbor Discovery to say so.
	ipn "$C" -6 neigh replace fd00:3::1 dev sc lladdr 192.0.2.1 \
		nud permanent router 2>/dev/null
	ping6 "$C" $SERVER 56
	before=$(route_line $SERVER)
	# 1428 + 8 + 40 = 1476 bytes: fits the tunnel (1480), not the path.
	ping6 "$C" $SERVER 1428
	after_ptb $SERVER "$before" 1472 "sit (tunnel driver, dst_ops)"
}

# F7: routes the bug never touched behave exactly as before: a /127 with a
# gateway, a /128 without one, and the same /128 in another table.
case_f7() {
	ipn "$C" -6 route add fd00:2::4/127 via $ROUTER
	ipn "$C" -6 route add fd00:2::6/128 dev c0
	ipn "$C" -6 route add $SERVER/128 via $ROUTER table 100
	sysctl_w "$R" net/ipv6/conf/all/proxy_ndp 1
	ipn "$R" -6 neigh add proxy fd00:2::6 dev r0

	b127=$(route_line fd00:2::4/127)
	bdev=$(route_line fd00:2::6)
	b100=$(route_line $SERVER 100)
	ping6 "$C" fd00:2::5 1450
	ping6 "$C" fd00:2::6 1450
	ping6 "$C" fd00:2::6 1450
	ping6 "$C" $SERVER 1450

	line=$(route_line fd00:2::4/127)
	check "F7 /127 via gateway: configured route unchanged" "$line" \
		same "$line" "$b127"
	get=$(route_get fd00:2::5)
	check "F7 /127 via gateway: the path mtu is learned" "$get" \
		contains "$get" " mtu $NARROW"
	line=$(route_line fd00:2::6)
	check "F7 /128 without gateway: configured route unchanged" "$line" \
		same "$line" "$bdev"
	get=$(route_get fd00:2::6)
	check "F7 /128 without gateway: the path mtu is learned" "$get" \
		contains "$get" " mtu $NARROW"
	line=$(route_line $SERVER 100)
	check "F7 same /128 in table 100: unchanged" "$line" \
		same "$line" "$b100"
	cache=$(cache_line $SERVER 100)
	check "F7 same /128 in table 100: no cached entry" "$cache" \
		empty "$cache"
}

# F8: a Packet Too Big never raises a path MTU, never sets one below 1280.
# Below 1280, 3.x-era kernels (and the fix) clamp to 1280, while kernels
# with RFC 8201's rule discard the message; both satisfy F8.
path_mtu() {
	printf '%s\n' "$1" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}
mtu_in() {
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}
case_f8() {
	need_hrp_net "f8: crafted Packet Too Big" || return 0
	# F8 is about the values, not the expiry: the six PTBs and lookups
	# must not outlast the learned MTU on a slow guest.
	sysctl_w "$C" net/ipv6/route/mtu_expires 600
	before=$(route_line $SERVER)
	last=1400
	for m in 1400 1450 65535 1000 1279 0; do
		nsx "$R" "$HRP_NET" ptb $CLIENT $CLIENT $SERVER "$m" icmp
		sleep 0.2
		get=$(route_get $SERVER)
		pmtu=$(path_mtu "$get")
		case $m in
		1400)
			check "F8 PTB 1400 lowers the path mtu to 1400" "$get" \
				mtu_in "$pmtu" 1400 1400 ;;
		1450 | 65535)
			check "F8 PTB $m does not raise the path mtu" "$get" \
				mtu_in "$pmtu" 1400 1400 ;;
		*)
			check "F8 PTB $m neither raises it nor goes below 1280" \
				"$get" mtu_in "$pmtu" 1280 "$last" ;;
		esac
		last=${pmtu:-$last}
	done
	line=$(route_line $SERVER)
	check "F8 the configured route is unchanged throughout" "$line" \
		same "$line" "$before"
}

# One big echo request to the server, answered by the router with a
# Packet Too Big (mtu $NARROW).
ptb_server() {
	ping6 "$C" $SERVER 1450
}

# For the cases about operations, not expiry: the learned MTU must outlast
# the case on a slow guest.
long_expiry() {
	sysctl_w "$C" net/ipv6/route/mtu_expires 600
}

# flush: "ip -6 route flush cache" (iproute2 sends each dumped cached entry
# back as a delete) removes the cached entry and nothing else (F10).
case_flush() {
	long_expiry
	before=$(route_line $SERVER)
	ptb_server
	cache=$(cache_line $SERVER)
	check "flush: a cached entry holds mtu $NARROW" "$cache" \
		contains "$cache" " mtu $NARROW"
	out=$(ipn "$C" -6 route flush cache 2>&1)
	rc=$?
	check "flush: ip -6 route flush cache succeeds" "exit $rc $out" [ "$rc" = 0 ]
	line=$(route_line $SERVER)
	check "flush: the configured route is still there, unchanged" "$line" \
		same "$line" "$before"
	cache=$(cache_line $SERVER)
	check "flush: the cached entry is gone" "$cache" empty "$cache"
	get=$(route_get $SERVER)
	check "flush: lookups take the configured route" "$get" \
		contains "$get" "via $ROUTER dev c0"
	check "flush: ... with the link mtu" "$get" lacks "$get" " mtu "
	ptb_server
	cache=$(cache_line $SERVER)
	check "flush: the next Packet Too Big creates a new cached entry" \
		"$cache" contains "$cache" " mtu $NARROW"
	line=$(route_line $SERVER)
	check "flush: ... and the configured route is still unchanged" "$line" \
		same "$line" "$before"
}

# delcache: a delete that names one cached entry removes only it; a delete
# that matches no route fails and removes nothing; deleting a configured
# route removes it with its cached entry (F5, F10).
case_delcache() {
	long_expiry
	other=fd00:2::5
	ipn "$C" -6 route add $other/128 via $ROUTER
	bother=$(route_line $other)
	before=$(route_line $SERVER)
	ptb_server
	ping6 "$C" $other 1450
	c1=$(cache_line $SERVER)
	c2=$(cache_line $other)
	check "delcache: the first destination has a cached entry" "$c1" \
		contains "$c1" " mtu $NARROW"
	check "delcache: the second destination has a cached entry" "$c2" \
		contains "$c2" " mtu $NARROW"
	out=$(ipn "$C" -6 route flush cache $SERVER 2>&1)
	rc=$?
	check "delcache: flush cache of one destination succeeds" \
		"exit $rc $out" [ "$rc" = 0 ]
	c1=$(cache_line $SERVER)
	check "delcache: that destination's cached entry is gone" "$c1" \
		empty "$c1"
	c2=$(cache_line $other)
	check "delcache: the other destination's cached entry stays" "$c2" \
		contains "$c2" " mtu $NARROW"
	line=$(route_line $SERVER)
	check "delcache: the configured route stays, unchanged" "$line" \
		same "$line" "$before"
	out=$(del_route $other/128 via fd00:1::99)
	rc=$?
	check "delcache: a delete naming another gateway fails" \
		"exit $rc $out" [ "$rc" != 0 ]
	line=$(route_line $other)
	check "delcache: ... and leaves that route unchanged" "$line" \
		same "$line" "$bother"
	c2=$(cache_line $other)
	check "delcache: ... and its cached entry in place" "$c2" \
		contains "$c2" " mtu $NARROW"
	out=$(del_route $other/128 via $ROUTER)
	rc=$?
	check "delcache: deleting that configured route succeeds" \
		"exit $rc $out" [ "$rc" = 0 ]
	line=$(route_line $other)
	check "delcache: ... the route is gone" "$line" empty "$line"
	c2=$(cache_line $other)
	check "delcache: ... and its cached entry with it" "$c2" empty "$c2"
	line=$(route_line $SERVER)
	check "delcache: the first route is still there" "$line" \
		same "$line" "$before"
}

# replace: "ip -6 route replace" of a route with a cached entry: the new
# route is what the user gave, with no learned MTU, and lookups use it.
case_replace() {
	long_expiry
	ptb_server
	out=$(ipn "$C" -6 route replace $SERVER/128 via $ROUTER dev c0 \
		hoplimit 9 2>&1)
	rc=$?
	check "replace: route replace succeeds" "exit $rc $out" [ "$rc" = 0 ]
	line=$(route_line $SERVER)
	check "replace: the route has its new metrics" "$line" \
		contains "$line" "hoplimit 9"
	check "replace: ... and no expires and no mtu" "$line" lacks_all "$line"
	get=$(route_get $SERVER)
	check "replace: lookups take the new route" "$get" \
		contains "$get" "via $ROUTER dev c0"
	check "replace: ... without the old route's learned mtu" "$get" \
		lacks "$get" " mtu $NARROW"
	before=$line
	ptb_server
	line=$(route_line $SERVER)
	check "replace: a Packet Too Big leaves the new route unchanged" "$line" \
		same "$line" "$before"
	get=$(route_get $SERVER)
	check "replace: ... and its mtu is learned" "$get" \
		contains "$get" " mtu $NARROW"
}

# The link-local address of a namespace's link. The kernel gives a link
# one (and its fe80::/64 route) a moment after its carrier comes up: wait
# for it, up to 3 s.
link_local() {
	tries=0
	while [ $tries -lt 30 ]; do
		ll=$(ipn "$1" -6 addr show dev "$2" scope link |
			sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p' | head -n 1)
		if [ -n "$ll" ]; then
			echo "$ll"
			return 0
		fi
		tries=$((tries + 1))
		sleep 0.1
	done
	return 1
}

# redirect: an ICMPv6 Redirect for a destination whose path MTU was
# learned, on a configured route with metrics of its own, never writes
# that MTU into the configured route (F10).
case_redirect() {
	need_hrp_net "redirect: crafted Redirect" || return 0
	long_expiry
	rll=$(link_local "$R" r0)
	cll=$(link_local "$C" c0)
	# Redirects come from the first hop's link-local address.
	ipn "$C" -6 route replace $SERVER/128 via "$rll" dev c0 \
		advmss 1000 hoplimit 7
	ping6 "$C" $SERVER 56
	before=$(route_line $SERVER)
	check "redirect: a route via the router's link-local address, with metrics" \
		"$before" contains "$before" "advmss 1000"
	ptb_server
	get=$(route_get $SERVER)
	check "redirect: the path mtu is learned" "$get" \
		contains "$get" " mtu $NARROW"
	nsx "$R" "$HRP_NET" redirect r0 "$cll" fe80::99 $SERVER $CLIENT
	sleep 0.2
	get=$(route_get $SERVER)
	check "redirect: lookups follow the Redirect" "$get" \
		contains "$get" "via fe80::99"
	line=$(route_line $SERVER)
	check "redirect: the configured route is unchanged" "$line" \
		same "$line" "$before"
	check "redirect: ... and shows no learned mtu" "$line" \
		lacks "$line" " mtu "
}

# The seconds left of a route line's expiry, empty when none.
expires_of() {
	printf '%s\n' "$1" | sed -n 's/.* expires \([0-9]*\)sec.*/\1/p' | head -n 1
}
secs_in() {
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# send_ra TO LIFETIME: the router advertises $SERVER/128 to TO on r0. The
# first send may find no route to fe80::/64 yet (the link is fresh): retry.
send_ra() {
	tries=0
	until nsx "$R" "$HRP_NET" ra r0 "$1" $SERVER 128 "$2" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 30 ] || break
		sleep 0.1
	done
	sleep 0.3
}

# ra: a /128 learned from a Router Advertisement's Route Information
# option (accept_ra_rt_info_max_plen 128) lives by the lifetime the router
# gives it: a Packet Too Big does not change it, a new advertisement
# refreshes it, and one with lifetime 0 withdraws it with its cached
# entry (F10).
case_ra() {
	need_hrp_net "ra: crafted Router Advertisements" || return 0
	if [ ! -e /proc/sys/net/ipv6/conf/all/accept_ra_rt_info_max_plen ]; then
		skip "ra: Route Information options" "kernel without CONFIG_IPV6_ROUTE_INFO"
		return 0
	fi
	long_expiry
	sysctl_w "$C" net/ipv6/conf/c0/accept_ra 1
	sysctl_w "$C" net/ipv6/conf/c0/accept_ra_rt_info_max_plen 128
	ipn "$C" -6 route del $SERVER/128
	rll=$(link_local "$R" r0)
	cll=$(link_local "$C" c0)
	send_ra "$cll" 300
	line=$(route_line $SERVER)
	check "ra: the advertised route is there, via the router" "$line" \
		contains "$line" "via $rll dev c0"
	check "ra: ... with the advertised lifetime" "$line" \
		secs_in "$(expires_of "$line")" 250 300
	ptb_server
	get=$(route_get $SERVER)
	check "ra: the path mtu is learned" "$get" contains "$get" " mtu $NARROW"
	line=$(route_line $SERVER)
	check "ra: the route shows no learned mtu" "$line" lacks "$line" " mtu "
	check "ra: ... and keeps the router's lifetime, not mtu_expires (600)" \
		"$line" secs_in "$(expires_of "$line")" 250 300
	send_ra "$cll" 900
	line=$(route_line $SERVER)
	check "ra: a new advertisement refreshes the route's lifetime" "$line" \
		secs_in "$(expires_of "$line")" 850 900
	send_ra "$cll" 0
	line=$(route_line $SERVER)
	check "ra: an advertisement with lifetime 0 withdraws the route" \
		"$line" empty "$line"
	cache=$(cache_line $SERVER)
	check "ra: ... and its cached entry" "$cache" empty "$cache"
}

# Packets the router received on one of its links.
rx_packets() {
	ipn "$R" -s link show dev "$1" |
		awk 'f { print $2; exit } /RX:/ { f = 1 }'
}

# udp_flows N: N small datagrams to the server, each from a new socket
# (a new source port: a new flow for multipath hashing).
udp_flows() {
	i=0
	while [ "$i" -lt "$1" ]; do
		nsx "$C" "$HRP_NET" udp $SERVER 9999 64 >/dev/null 2>&1
		i=$((i + 1))
	done
}

# Two packet counts, each of at least 2 (one may be Neighbor Discovery).
both_used() {
	[ "$1" -ge 2 ] && [ "$2" -ge 2 ]
}

# ecmp: a multipath /128 with two next hops (the router over c0-r0 and
# over a second link c1-r2). A Packet Too Big must not move every flow to
# one next hop (F11).
case_ecmp() {
	need_hrp_net "ecmp: udp flows" || return 0
	long_expiry
	# 3.x kernels hash ports into the multipath choice; 4.18 and later do
	# when asked to (their default hashes addresses and flow label only).
	if [ -e /proc/sys/net/ipv6/fib_multipath_hash_policy ]; then
		sysctl_w "$C" net/ipv6/fib_multipath_hash_policy 1
	fi
	ipn "$C" link add c1 type veth peer name r2 netns "$R"
	ipn "$C" link set c1 up
	ipn "$R" link set r2 up
	ipn "$C" -6 addr add fd00:4::2/64 dev c1 nodad
	ipn "$R" -6 addr add fd00:4::1/64 dev r2 nodad
	ipn "$C" -6 route del $SERVER/128
	ipn "$C" -6 route add $SERVER/128 nexthop via $ROUTER dev c0 \
		nexthop via fd00:4::1 dev c1
	ping6 "$C" fd00:4::1 56
	ping6 "$C" $SERVER 56
	a=$(rx_packets r0)
	b=$(rx_packets r2)
	udp_flows 16
	a1=$(($(rx_packets r0) - a))
	b1=$(($(rx_packets r2) - b))
	check "ecmp: before any Packet Too Big, 16 flows use both next hops" \
		"r0 $a1, r2 $b1 packets" both_used "$a1" "$b1"
	# Quoting an echo request: icmpv6_err() updates the path MTU with no
	# socket involved (a quoted UDP datagram needs its socket).
	nsx "$R" "$HRP_NET" ptb $CLIENT $CLIENT $SERVER $NARROW icmp
	sleep 0.2
	# The cached entry as "show cache" lists it, and as lookups through
	# each next hop report it (a 6.18 host, after pmtu.sh had run on it,
	# listed no exception of this multipath route in "show cache", while
	# "route get ... oif c1" showed it).
	cache="$(cache_line $SERVER) | $(ipn "$C" -o -6 route get $SERVER oif c0 2>&1 | head -n 1) | $(ipn "$C" -o -6 route get $SERVER oif c1 2>&1 | head -n 1)"
	check "ecmp: the Packet Too Big was taken: a cached entry holds mtu $NARROW" \
		"$cache" contains "$cache" " mtu $NARROW"
	a=$(rx_packets r0)
	b=$(rx_packets r2)
	udp_flows 16
	a2=$(($(rx_packets r0) - a))
	b2=$(($(rx_packets r2) - b))
	check "ecmp: after a Packet Too Big, 16 flows still use both next hops" \
		"r0 $a2, r2 $b2 packets" both_used "$a2" "$b2"
	line=$(ipn "$C" -o -6 route show $SERVER/128)
	check "ecmp: the multipath route shows no expires and no mtu" \
		"$line" lacks_all "$line"
}

# peer: the point-to-point peer route of a sit tunnel ("ip addr add A peer
# B dev sit"): a /128 without gateway, RTF_NONEXTHOP on 3.x, which lookups
# hand out uncloned. The sit driver lowers its path MTU to 1472 (F9).
case_peer() {
	if ! ipn "$C" link add sc type sit local 192.0.2.2 \
		remote 192.0.2.1 ttl 64 2>/dev/null; then
		skip "peer: point-to-point sit tunnel" "this kernel has no sit driver"
		return 0
	fi
	ipn "$R" link add sr type sit local 192.0.2.1 remote 192.0.2.2 ttl 64
	ipn "$C" link set c0 mtu 1492
	ipn "$C" addr add 192.0.2.2/24 dev c0
	ipn "$R" addr add 192.0.2.1/24 dev r0
	ipn "$C" link set sc mtu 1480 up
	ipn "$R" link set sr mtu 1480 up
	# IPv6 peer addresses came with 3.11: before, the kernel refuses an
	# address whose IFA_ADDRESS differs from IFA_LOCAL, and there is no
	# peer route to lose.
	if ! ipn "$C" -6 addr add fd00:3::2 peer fd00:3::1 dev sc nodad 2>/dev/null; then
		skip "peer: point-to-point peer route" "this kernel takes no IPv6 peer address (3.11 added them)"
		return 0
	fi
	ipn "$R" -6 addr add fd00:3::1 peer fd00:3::2 dev sr nodad
	peer=fd00:3::1
	ping6 "$C" $peer 56
	before=$(route_line $peer)
	check "peer: the peer route is there" "$before" nonempty "$before"
	# 1428 + 8 + 40 = 1476 bytes: fits the tunnel (1480), not the path.
	ping6 "$C" $peer 1428
	after_ptb $peer "$before" 1472 "peer (sit peer route)"
	[ -n "$expect" ] || return 0
	sleep $((EXPIRES + 2 * GC_INTERVAL + 1))
	line=$(route_line $peer)
	if [ "$expect" = legacy ]; then
		check "L1 peer: the peer route is gone after expiry" "$line" \
			empty "$line"
		return
	fi
	check "peer: after expiry the peer route is still there, unchanged" \
		"$line" same "$line" "$before"
	ping6 "$C" $peer 56
	rc=$?
	check "peer: after expiry the peer still answers" "ping exit $rc" \
		[ "$rc" = 0 ]
}

# crossing: no lookup misses the configured route while a cached entry
# expires (F12). mtu_expires is long enough for timer slack to matter
# (1/256 of it, about 0.23 s at 60 s); the route is asked for every 20 ms
# (hrp-net route-poll: one process, netlink) from 1 s before to 3 s after
# the expiry.
case_crossing() {
	need_hrp_net "crossing: route-poll" || return 0
	exp=${HRP_CROSSING_EXPIRES:-60}
	sysctl_w "$C" net/ipv6/route/mtu_expires "$exp"
	ptb_server
	get=$(route_get $SERVER)
	check "crossing: the path mtu is learned" "$get" \
		contains "$get" " mtu $NARROW"
	sleep $((exp - 2))
	out=$(nsx "$C" "$HRP_NET" route-poll $SERVER $ROUTER 20 4 2>&1)
	rc=$?
	check "crossing: lookups every 20 ms from 1 s before to 3 s after the expiry never miss the configured route" \
		"$out" [ "$rc" = 0 ]
	line=$(route_line $SERVER)
	check "crossing: the configured route is still there" "$line" \
		nonempty "$line"
}

# toggle: the sysctl set to 0 gives the kernel's own behaviour; set back to
# 1, the module repairs the route that was marked meanwhile, as loading
# does. (A patched kernel has no repair: the sysctl is a distribution's
# switch, not set back and forth on a live system.)
case_toggle() {
	if [ ! -d /sys/module/ip6_hostroute_pmtu ]; then
		skip "toggle: sysctl 0 then 1" "the module is not loaded"
		return 0
	fi
	long_expiry
	before=$(route_line $SERVER)
	sysctl_w "$C" $KNOB 0
	ptb_server
	line=$(route_line $SERVER)
	check "toggle: at 0 the Packet Too Big marks the configured route" \
		"$line" contains "$line" expires
	sysctl_w "$C" $KNOB 1
	line=$(route_line $SERVER)
	check "toggle: back at 1 the route is repaired" "$line" \
		same "$line" "$before"
	cache=$(cache_line $SERVER)
	check "toggle: ... and the learned mtu is in a cached entry" "$cache" \
		contains "$cache" " mtu $NARROW"
}

# unload: rmmod ip6_hostroute_pmtu while one of its cached entries exists.
# The entry goes with the module, the configured route stays as it was, and
# the kernel's own behaviour is back for the next Packet Too Big.
case_unload() {
	before=$(route_line $SERVER)
	ping6 "$C" $SERVER 1450
	cache=$(cache_line $SERVER)
	check "unload: a cached entry exists before rmmod" "$cache" \
		contains "$cache" " mtu $NARROW"
	out=$(rmmod ip6_hostroute_pmtu 2>&1)
	rc=$?
	check "unload: rmmod succeeds" "exit $rc $out" [ "$rc" = 0 ]
	cache=$(cache_line $SERVER)
	check "unload: the module's cached entry is gone" "$cache" \
		empty "$cache"
	line=$(route_line $SERVER)
	check "unload: the configured route is unchanged" "$line" \
		same "$line" "$before"
	ping6 "$C" $SERVER 1450
	line=$(route_line $SERVER)
	check "unload: the next Packet Too Big meets the kernel's own code" \
		"$line" contains "$line" expires
}

# repair: the admin loads the module because routes are vanishing: a route
# the bug already marked gets back its configured state, the learned MTU
# moves to a cached entry, and a route added with an expiry of its own
# keeps it.
case_repair() {
	if [ -z "${HRP_KO:-}" ] || [ -z "$HRP_NET" ]; then
		skip "repair" "needs HRP_KO (the module to load) and hrp-net"
		return 0
	fi
	before=$(route_line $SERVER)
	nsx "$C" "$HRP_NET" route-expires fd00:2::7 $ROUTER c0 300
	admin=$(route_line fd00:2::7)
	ping6 "$C" $SERVER 1450
	line=$(route_line $SERVER)
	check "repair: before loading, the bug marked the route" "$line" \
		contains "$line" expires
	out=$(insmod "$HRP_KO" 2>&1)
	rc=$?
	check "repair: insmod" "exit $rc $out" [ "$rc" = 0 ]
	line=$(route_line $SERVER)
	check "repair: the route is back to its configured state" "$line" \
		same "$line" "$before"
	cache=$(cache_line $SERVER)
	check "repair: the learned mtu moved to a cached entry" "$cache" \
		contains "$cache" " mtu $NARROW"
	line=$(route_line fd00:2::7)
	check "repair: a route added with an expiry of its own keeps it" \
		"$line" contains "$line" expires
	check "repair: ... and is otherwise as it was added" "$line / $admin" \
		[ "$(echo "$line" | sed 's/ expires [0-9-]*sec//')" = \
		"$(echo "$admin" | sed 's/ expires [0-9-]*sec//')" ]
	msg=$(dmesg | grep 'ip6_hostroute_pmtu: loaded' | tail -n 1)
	check "repair: dmesg counts the repaired route" "$msg" \
		contains "$msg" " 1 route(s) already given an expiry"
}

# ---- main -----------------------------------------------------------------

# Sourced with HRP_SCENARIO_LIB=1 (scripts/guest/stress.sh): the functions
# and the namespaces' names only.
if [ -n "${HRP_SCENARIO_LIB:-}" ]; then
	return 0
fi

if [ -z "$cases" ]; then
	case "$expect" in
	fixed) cases=$ALL_CASES ;;
	legacy) cases=$LEGACY_CASES ;;
	*) cases=main ;;
	esac
fi

echo "TAP version 13"
echo "# kernel $(uname -r), expect ${expect:-self-check}, cases:$cases${sysctl:+, client host_route_pmtu_exception=$sysctl}"
for c in $cases; do
	if [ "$expect" = legacy ] && [ "$c" = f8 ]; then
		skip "f8" "F8 is part of the fixed behaviour only"
		continue
	fi
	echo "# case $c"
	if ! err=$(setup 2>&1); then
		cleanup
		die2 "cannot build the namespaces for case $c: $(oneline "$err")"
	fi
	"case_$c"
	cleanup
done
echo "1..$n"

if [ -z "$expect" ]; then
	if [ "$legacy_seen" = 1 ]; then
		echo "# LEGACY: a Packet Too Big gave the configured /128 route an expiry;" \
			"this kernel is affected and the fix is not active"
		exit 1
	fi
	if [ "$failed" = 0 ]; then
		echo "# FIXED: the configured /128 route kept its state; the path MTU" \
			"went to a cached entry"
		exit 0
	fi
	echo "# UNKNOWN: neither the bug nor the fixed behaviour was seen" \
		"(did the Packet Too Big arrive?)"
	exit 2
fi
echo "# $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
