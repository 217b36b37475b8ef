// SPDX-License-Identifier: GPL-2.0
/*
 * hrp-net: traffic helper for the ip6_hostroute_pmtu scenarios.
 *
 *   hrp-net ptb TO INNER_SRC INNER_DST MTU [icmp|udp|253]
 *	Send an ICMPv6 Packet Too Big to TO, quoting a packet INNER_SRC ->
 *	INNER_DST of the given protocol (default icmp: an echo request).
 *	Lets a test choose the MTU (0, 1000, 65535...) and the protocol whose
 *	error handler the receiver runs, without any real oversize packet.
 *   hrp-net ping DST SIZE
 *	One ICMPv6 echo request of SIZE payload bytes from a raw socket, as
 *	ping sends it, but never fragmented locally (IPV6_PMTUDISC_DO), and
 *	wait up to a second for the reply: exit 0 when it came. Kernels
 *	before 3.12 let a packet that crosses a veth pair into another
 *	namespace keep the "may fragment" mark of its sender, so a router
 *	namespace would fragment a plain ping instead of answering with a
 *	Packet Too Big.
 *   hrp-net udp DST PORT SIZE
 *   hrp-net raw DST SIZE
 *   hrp-net tcp DST PORT SIZE
 *	Send SIZE payload bytes from a connected UDP socket, a raw IPv6 socket
 *	of protocol 253 (RFC 3692 experimentation) or a TCP connection, and
 *	keep the socket open for a moment so that the Packet Too Big the
 *	traffic provokes finds it: exercises udpv6_err(), rawv6_err() and
 *	tcp_v6_err().
 *   hrp-net tcp-sink PORT SECONDS
 *	Accept TCP connections on PORT and discard what they send, for at
 *	most SECONDS.
 *   hrp-net ptb-storm TO INNER_SRC PREFIX COUNT MTU SECONDS
 *	Send Packet Too Big messages to TO as fast as possible for SECONDS,
 *	quoting packets INNER_SRC -> PREFIX:1 .. PREFIX:COUNT (hex) in turn,
 *	and print how many were sent and the rate. SECONDS 0: one message
 *	per destination.
 *   hrp-net udp-flood PREFIX COUNT SECONDS
 *	Send small UDP datagrams with sendto() from one unconnected socket
 *	to PREFIX:1 .. PREFIX:COUNT in turn, so that every datagram needs a
 *	route lookup, and print how many were sent per second.
 *   hrp-net redirect IFNAME TO TARGET DEST SRC
 *	Send an ICMPv6 Redirect out of IFNAME to the link-local TO, from this
 *	host's link-local address there, with hop limit 255: "for DEST, use
 *	TARGET" (a link-local next hop), with a target link-layer address
 *	option and a redirected header quoting an echo request SRC -> DEST,
 *	as a router sends it.
 *   hrp-net ra IFNAME TO PREFIX PLEN LIFETIME
 *	Send a Router Advertisement out of IFNAME to TO (link-local), from
 *	this host's link-local address, hop limit 255, router lifetime 0 (no
 *	default route), with one Route Information option (RFC 4191):
 *	PREFIX/PLEN for LIFETIME seconds.
 *   hrp-net route-poll DST GW MS SECONDS
 *	Ask the kernel for its route to DST (RTM_GETROUTE, what "ip -6 route
 *	get" sends) every MS milliseconds for SECONDS, and count the answers
 *	that are not a unicast route via GW. Prints "polls N missed M" (and
 *	the first miss, in ms from the start); exit 0 when none missed.
 *   hrp-net route-expires DST GW IFNAME SECONDS
 *	Add DST/128 via GW dev IFNAME, metric 1024, with an expiry of its
 *	own, through the SIOCADDRT ioctl: "ip route add ... expires" needs
 *	RTA_EXPIRES, which kernels before 4.2 ignore.
 *
 * Exit status 0 on success, 1 when a system call failed, 2 on usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/route.h>
#include <sys/ioctl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define QUOTED_PAYLOAD 64
#define LINGER_USEC 300000

static int usage(void)
{
	fprintf(stderr,
		"usage: hrp-net ptb TO INNER_SRC INNER_DST MTU [icmp|udp|253]\n"
		"       hrp-net ping DST SIZE\n"
		"       hrp-net udp DST PORT SIZE\n"
		"       hrp-net raw DST SIZE\n"
		"       hrp-net tcp DST PORT SIZE\n"
		"       hrp-net tcp-sink PORT SECONDS\n"
		"       hrp-net ptb-storm TO INNER_SRC PREFIX COUNT MTU SECONDS\n"
		"       hrp-net udp-flood PREFIX COUNT SECONDS\n"
		"       hrp-net redirect IFNAME TO TARGET DEST SRC\n"
		"       hrp-net ra IFNAME TO PREFIX PLEN LIFETIME\n"
		"       hrp-net route-poll DST GW MS SECONDS\n"
		"       hrp-net route-expires DST GW IFNAME SECONDS\n");
	return 2;
}

static int parse_addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "hrp-net: not an IPv6 address: %s\n", s);
		return -1;
	}
	return 0;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || *v > max) {
		fprintf(stderr, "hrp-net: bad number: %s\n", s);
		return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* PREFIX:N, N in hex, for N = 1 .. COUNT */
static int nth_addr(const char *prefix, unsigned long n, struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 16];

	snprintf(buf, sizeof(buf), "%s:%lx", prefix, n);
	return parse_addr(buf, a);
}

static int ptb_storm(char **argv)
{
	unsigned char pkt[sizeof(struct icmp6_hdr) + sizeof(struct ip6_hdr) +
			  QUOTED_PAYLOAD];
	struct icmp6_hdr *icmp = (struct icmp6_hdr *)pkt;
	struct ip6_hdr *inner = (struct ip6_hdr *)(icmp + 1);
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	unsigned long count, mtu, secs, sent = 0, i = 0;
	struct in6_addr *dsts;
	double start, end;
	int fd;

	memset(pkt, 0, sizeof(pkt));
	if (parse_addr(argv[2], &to.sin6_addr) ||
	    parse_addr(argv[3], &inner->ip6_src) ||
	    parse_ulong(argv[5], 0xffffff, &count) || !count ||
	    parse_ulong(argv[6], 0xffffffffUL, &mtu) ||
	    parse_ulong(argv[7], 3600, &secs))
		return 2;
	dsts = calloc(count, sizeof(*dsts));
	if (!dsts)
		return 1;
	for (i = 0; i < count; i++)
		if (nth_addr(argv[4], i + 1, &dsts[i]))
			return 2;
	inner->ip6_flow = htonl(6U << 28);
	inner->ip6_hlim = 64;
	inner->ip6_plen = htons(1500 - sizeof(*inner));
	inner->ip6_nxt = IPPROTO_ICMPV6;
	((unsigned char *)(inner + 1))[0] = ICMP6_ECHO_REQUEST;
	icmp->icmp6_type = ICMP6_PACKET_TOO_BIG;
	icmp->icmp6_mtu = htonl((uint32_t)mtu);

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("hrp-net: socket");
		free(dsts);
		return 1;
	}
	start = now();
	end = start + secs;
	for (i = 0; secs ? now() < end : i < count; ) {
		int k;

		for (k = 0; k < 64 && (secs || i < count); k++, i++) {
			inner->ip6_dst = dsts[i % count];
			if (sendto(fd, pkt, sizeof(pkt), 0,
				   (struct sockaddr *)&to, sizeof(to)) >= 0)
				sent++;
		}
	}
	close(fd);
	free(dsts);
	printf("%lu %.0f\n", sent, sent / (now() - start));
	return 0;
}

static int udp_flood(char **argv)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(9) };
	unsigned long count, secs, sent = 0, i = 0;
	struct in6_addr *dsts;
	char payload[16] = "hrp";
	double start, end;
	int fd;

	if (parse_ulong(argv[3], 0xffffff, &count) || !count ||
	    parse_ulong(argv[4], 3600, &secs))
		return 2;
	dsts = calloc(count, sizeof(*dsts));
	if (!dsts)
		return 1;
	for (i = 0; i < count; i++)
		if (nth_addr(argv[2], i + 1, &dsts[i]))
			return 2;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("hrp-net: socket");
		return 1;
	}
	start = now();
	end = start + secs;
	i = 0;
	while (now() < end) {
		int k;

		for (k = 0; k < 64; k++, i++) {
			to.sin6_addr = dsts[i % count];
			if (sendto(fd, payload, sizeof(payload), MSG_DONTWAIT,
				   (struct sockaddr *)&to, sizeof(to)) >= 0)
				sent++;
		}
	}
	close(fd);
	free(dsts);
	printf("%lu %.0f\n", sent, sent / (now() - start));
	return 0;
}

static int send_ptb(int argc, char **argv)
{
	unsigned char pkt[sizeof(struct icmp6_hdr) + sizeof(struct ip6_hdr) +
			  QUOTED_PAYLOAD];
	struct icmp6_hdr *icmp = (struct icmp6_hdr *)pkt;
	struct ip6_hdr *inner = (struct ip6_hdr *)(icmp + 1);
	unsigned char *l4 = (unsigned char *)(inner + 1);
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	const char *proto = argc > 6 ? argv[6] : "icmp";
	unsigned long mtu;
	int fd;

	if (argc < 6 || argc > 7)
		return usage();
	if (parse_addr(argv[2], &to.sin6_addr) ||
	    parse_addr(argv[3], &inner->ip6_src) ||
	    parse_addr(argv[4], &inner->ip6_dst) ||
	    parse_ulong(argv[5], 0xffffffffUL, &mtu))
		return 2;

	memset(l4, 0, QUOTED_PAYLOAD);
	inner->ip6_flow = htonl(6U << 28);
	inner->ip6_hlim = 64;
	/* The quoted packet claims to have been big: 1500 bytes on the wire. */
	inner->ip6_plen = htons(1500 - sizeof(*inner));
	if (!strcmp(proto, "icmp")) {
		inner->ip6_nxt = IPPROTO_ICMPV6;
		l4[0] = ICMP6_ECHO_REQUEST;
	} else if (!strcmp(proto, "udp")) {
		inner->ip6_nxt = IPPROTO_UDP;
		l4[0] = 0x9c; /* source port 40000 */
		l4[1] = 0x40;
		l4[2] = 0x27; /* destination port 9999 */
		l4[3] = 0x0f;
	} else if (!strcmp(proto, "253")) {
		inner->ip6_nxt = 253;
	} else {
		return usage();
	}

	memset(icmp, 0, sizeof(*icmp));
	icmp->icmp6_type = ICMP6_PACKET_TOO_BIG;
	icmp->icmp6_code = 0;
	icmp->icmp6_mtu = htonl((uint32_t)mtu);

	/* The kernel fills in the ICMPv6 checksum of raw ICMPv6 sockets. */
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("hrp-net: socket");
		return 1;
	}
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		perror("hrp-net: sendto");
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

/* @addr on link @ifname (a link-local destination needs its link). */
static int parse_link_local(const char *ifname, const char *addr,
			    struct sockaddr_in6 *to)
{
	to->sin6_scope_id = if_nametoindex(ifname);
	if (!to->sin6_scope_id) {
		fprintf(stderr, "hrp-net: no interface %s\n", ifname);
		return -1;
	}
	return parse_addr(addr, &to->sin6_addr);
}

/* Send a Neighbor Discovery message as a router does: hop limit 255. */
static int send_nd(const void *pkt, size_t len, const struct sockaddr_in6 *to,
		   const char *what)
{
	int hops = 255, fd;

	/* The kernel fills in the ICMPv6 checksum of raw ICMPv6 sockets. */
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("hrp-net: socket");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
		       sizeof(hops)) < 0 ||
	    sendto(fd, pkt, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0) {
		fprintf(stderr, "hrp-net: %s: %s\n", what, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

/* RFC 4861 4.5, with the options of 4.6.1 and 4.6.3. */
static int send_redirect(char **argv)
{
	unsigned char pkt[40 + 8 + 8 + sizeof(struct ip6_hdr) + 8];
	unsigned char *tlla = pkt + 40, *rh = pkt + 48;
	struct ip6_hdr *inner = (struct ip6_hdr *)(rh + 8);
	unsigned char *echo = (unsigned char *)(inner + 1);
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };

	memset(pkt, 0, sizeof(pkt));
	if (parse_link_local(argv[2], argv[3], &to) ||
	    parse_addr(argv[4], (struct in6_addr *)(pkt + 8)) ||
	    parse_addr(argv[5], (struct in6_addr *)(pkt + 24)) ||
	    parse_addr(argv[6], &inner->ip6_src) ||
	    parse_addr(argv[5], &inner->ip6_dst))
		return 2;
	pkt[0] = ND_REDIRECT;
	/* target link-layer address: 02:00:00:00:00:99 */
	tlla[0] = ND_OPT_TARGET_LINKADDR;
	tlla[1] = 1;
	tlla[2] = 0x02;
	tlla[7] = 0x99;
	/* redirected header: the start of the packet that was redirected */
	rh[0] = ND_OPT_REDIRECTED_HEADER;
	rh[1] = (8 + sizeof(*inner) + 8) / 8;
	inner->ip6_flow = htonl(6U << 28);
	inner->ip6_plen = htons(8);
	inner->ip6_nxt = IPPROTO_ICMPV6;
	inner->ip6_hlim = 64;
	echo[0] = ICMP6_ECHO_REQUEST;

	return send_nd(pkt, sizeof(pkt), &to, "redirect");
}

/* RFC 4861 4.2 with one RFC 4191 Route Information option. */
static int send_ra(char **argv)
{
	unsigned char pkt[16 + 24];
	unsigned char *rio = pkt + 16;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	unsigned long plen, life;
	uint32_t life_be;

	memset(pkt, 0, sizeof(pkt));
	if (parse_link_local(argv[2], argv[3], &to) ||
	    parse_addr(argv[4], (struct in6_addr *)(rio + 8)) ||
	    parse_ulong(argv[5], 128, &plen) ||
	    parse_ulong(argv[6], 0xffffffffUL, &life))
		return 2;
	pkt[0] = ND_ROUTER_ADVERT;
	pkt[4] = 64;			/* cur hop limit; router lifetime 0 */
	rio[0] = 24;			/* Route Information */
	rio[1] = 3;			/* 24 bytes: a full prefix */
	rio[2] = (unsigned char)plen;
	rio[3] = 0;			/* preference medium */
	life_be = htonl((uint32_t)life);
	memcpy(rio + 4, &life_be, sizeof(life_be));

	return send_nd(pkt, sizeof(pkt), &to, "ra");
}

/* Never fragment locally: what the network says goes (see ping above). */
static void pmtudisc_do(int fd)
{
	int v = IPV6_PMTUDISC_DO;

	setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v, sizeof(v));
}

static int ping(const char *dst, const char *size)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct timeval tv = { .tv_sec = 1 };
	unsigned char buf[65536];
	struct icmp6_hdr *icmp = (struct icmp6_hdr *)buf;
	unsigned long len;
	double end;
	int fd;

	if (parse_addr(dst, &to.sin6_addr) || parse_ulong(size, 65000, &len))
		return 2;
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("hrp-net: socket");
		return 1;
	}
	pmtudisc_do(fd);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(buf, 0, sizeof(*icmp) + len);
	icmp->icmp6_type = ICMP6_ECHO_REQUEST;
	icmp->icmp6_id = htons((uint16_t)getpid());
	icmp->icmp6_seq = htons(1);
	if (sendto(fd, buf, sizeof(*icmp) + len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		close(fd);
		return 1;
	}
	end = now() + 1;
	while (now() < end) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0)
			break;
		if (n >= (ssize_t)sizeof(*icmp) &&
		    icmp->icmp6_type == ICMP6_ECHO_REPLY &&
		    icmp->icmp6_id == htons((uint16_t)getpid())) {
			close(fd);
			return 0;
		}
	}
	close(fd);
	return 1;
}

static int send_one(int type, int proto, const char *dst, const char *port,
		    const char *size)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	unsigned long len, p = 0;
	char *buf;
	int fd, ret = 0;

	if (parse_addr(dst, &to.sin6_addr) ||
	    (port && parse_ulong(port, 65535, &p)) ||
	    parse_ulong(size, 65000, &len))
		return 2;
	to.sin6_port = htons((uint16_t)p);

	buf = calloc(1, len ? len : 1);
	fd = socket(AF_INET6, type, proto);
	if (!buf || fd < 0) {
		perror("hrp-net: socket");
		free(buf);
		return 1;
	}
	if (type != SOCK_STREAM)
		pmtudisc_do(fd);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("hrp-net: connect");
		ret = 1;
	} else if (type == SOCK_STREAM) {
		unsigned long done = 0;

		while (done < len) {
			ssize_t n = send(fd, buf + done, len - done, 0);

			if (n < 0) {
				perror("hrp-net: send");
				ret = 1;
				break;
			}
			done += (unsigned long)n;
		}
	} else if (send(fd, buf, len, 0) < 0) {
		perror("hrp-net: send");
		ret = 1;
	}
	/* Stay connected while the Packet Too Big comes back. */
	usleep(LINGER_USEC);
	close(fd);
	free(buf);
	return ret;
}

static int tcp_sink(const char *port, const char *seconds)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6,
				     .sin6_addr = IN6ADDR_ANY_INIT };
	unsigned long p, secs;
	char buf[4096];
	int fd, c, one = 1;

	if (parse_ulong(port, 65535, &p) || parse_ulong(seconds, 3600, &secs))
		return 2;
	addr.sin6_port = htons((uint16_t)p);
	alarm((unsigned int)secs);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 4) < 0) {
		perror("hrp-net: listen");
		return 1;
	}
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			perror("hrp-net: accept");
			return 1;
		}
		while (read(c, buf, sizeof(buf)) > 0)
			;
		close(c);
	}
}

/* <linux/ipv6_route.h>, which does not mix with glibc's headers */
struct hrp_in6_rtmsg {
	struct in6_addr rtmsg_dst;
	struct in6_addr rtmsg_src;
	struct in6_addr rtmsg_gateway;
	uint32_t rtmsg_type;
	uint16_t rtmsg_dst_len;
	uint16_t rtmsg_src_len;
	uint32_t rtmsg_metric;
	unsigned long rtmsg_info;
	uint32_t rtmsg_flags;
	int rtmsg_ifindex;
};

#define HRP_RTF_EXPIRES 0x00400000
#define HRP_USER_HZ 100

static int route_expires(char **argv)
{
	struct hrp_in6_rtmsg rt;
	unsigned long secs;
	int fd, ret = 0;

	memset(&rt, 0, sizeof(rt));
	if (parse_addr(argv[2], &rt.rtmsg_dst) ||
	    parse_addr(argv[3], &rt.rtmsg_gateway) ||
	    parse_ulong(argv[5], 1000000, &secs))
		return 2;
	rt.rtmsg_ifindex = (int)if_nametoindex(argv[4]);
	if (!rt.rtmsg_ifindex) {
		fprintf(stderr, "hrp-net: no link %s\n", argv[4]);
		return 2;
	}
	rt.rtmsg_dst_len = 128;
	rt.rtmsg_metric = 1024;
	rt.rtmsg_info = secs * HRP_USER_HZ;	/* clock_t */
	rt.rtmsg_flags = RTF_UP | RTF_GATEWAY | RTF_HOST | HRP_RTF_EXPIRES;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || ioctl(fd, SIOCADDRT, &rt) < 0) {
		perror("hrp-net: SIOCADDRT");
		ret = 1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* One RTM_GETROUTE for @dst: 1 when the answer is a unicast route via @gw. */
static int route_via(int fd, const struct in6_addr *dst,
		     const struct in6_addr *gw, unsigned int seq)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
		struct rtattr rta;
		struct in6_addr addr;
	} req;
	char buf[4096];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct rtmsg *rtm;
	struct rtattr *rta;
	int len, attrlen;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = RTM_GETROUTE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.nlh.nlmsg_seq = seq;
	req.rtm.rtm_family = AF_INET6;
	req.rtm.rtm_dst_len = 128;
	req.rta.rta_type = RTA_DST;
	req.rta.rta_len = RTA_LENGTH(sizeof(*dst));
	req.addr = *dst;
	if (send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < (int)NLMSG_LENGTH(sizeof(*rtm)) ||
	    nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;	/* an error: no route */
	rtm = NLMSG_DATA(nlh);
	if (rtm->rtm_type != RTN_UNICAST)
		return 0;
	attrlen = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm));
	for (rta = RTM_RTA(rtm); RTA_OK(rta, attrlen);
	     rta = RTA_NEXT(rta, attrlen))
		if (rta->rta_type == RTA_GATEWAY &&
		    RTA_PAYLOAD(rta) == sizeof(*gw))
			return !memcmp(RTA_DATA(rta), gw, sizeof(*gw));
	return 0;
}

static int route_poll(char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct in6_addr dst, gw;
	unsigned long ms, secs, polls = 0, missed = 0;
	double start, first = -1;
	int fd, r;

	if (parse_addr(argv[2], &dst) || parse_addr(argv[3], &gw) ||
	    parse_ulong(argv[4], 10000, &ms) ||
	    parse_ulong(argv[5], 3600, &secs))
		return 2;
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("hrp-net: netlink");
		return 1;
	}
	start = now();
	while (now() - start < secs) {
		r = route_via(fd, &dst, &gw, (unsigned int)++polls);
		if (r < 0) {
			perror("hrp-net: RTM_GETROUTE");
			close(fd);
			return 1;
		}
		if (!r && missed++ == 0)
			first = now() - start;
		usleep(ms * 1000);
	}
	close(fd);
	printf("polls %lu missed %lu", polls, missed);
	if (missed)
		printf(" first at %.0f ms", first * 1000);
	printf("\n");
	return missed != 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "ptb"))
		return send_ptb(argc, argv);
	if (!strcmp(argv[1], "ping") && argc == 4)
		return ping(argv[2], argv[3]);
	if (!strcmp(argv[1], "udp") && argc == 5)
		return send_one(SOCK_DGRAM, IPPROTO_UDP, argv[2], argv[3],
				argv[4]);
	if (!strcmp(argv[1], "raw") && argc == 4)
		return send_one(SOCK_RAW, 253, argv[2], NULL, argv[3]);
	if (!strcmp(argv[1], "tcp") && argc == 5)
		return send_one(SOCK_STREAM, IPPROTO_TCP, argv[2], argv[3],
				argv[4]);
	if (!strcmp(argv[1], "tcp-sink") && argc == 4)
		return tcp_sink(argv[2], argv[3]);
	if (!strcmp(argv[1], "redirect") && argc == 7)
		return send_redirect(argv);
	if (!strcmp(argv[1], "ra") && argc == 7)
		return send_ra(argv);
	if (!strcmp(argv[1], "route-poll") && argc == 6)
		return route_poll(argv);
	if (!strcmp(argv[1], "route-expires") && argc == 6)
		return route_expires(argv);
	if (!strcmp(argv[1], "ptb-storm") && argc == 8)
		return ptb_storm(argv);
	if (!strcmp(argv[1], "udp-flood") && argc == 5)
		return udp_flood(argv);
	return usage();
}
