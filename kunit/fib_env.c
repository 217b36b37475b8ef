// SPDX-License-Identifier: GPL-2.0
/*
 * The "hrp_fib" suite's view of the kernel, one implementation for 3.10 to
 * 4.1 and current kernels; see fib_env.h.
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/inet.h>
#include <linux/neighbour.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <net/ipv6.h>
#include <net/addrconf.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/netlink.h>

#include "fib_env.h"

#define HRP_KNOB "/proc/sys/net/ipv6/route/host_route_pmtu_exception"
#define HRP_FLUSH "/proc/sys/net/ipv6/route/flush"
/*
 * One request: a header, its family header and a few attributes (under
 * 100 bytes). Small enough for the stack of kernels built with
 * FRAME_WARN=1024 (Ubuntu 14.04's config), checked in hrp_nl_attr().
 */
#define HRP_NL_BUF 256
#define HRP_NL_RECV 16384

static int hrp_pton(const char *s, struct in6_addr *a)
{
	return in6_pton(s, -1, a->s6_addr, -1, NULL) ? 0 : -EINVAL;
}

/* ---- version compat, for the test alone ------------------------------- */

static ssize_t hrp_file_write(struct file *f, const char *buf, size_t len)
{
	loff_t pos = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 14, 0)
	return kernel_write(f, buf, len, &pos);
#else
	return kernel_write(f, buf, len, pos);
#endif
}

static ssize_t hrp_file_read(struct file *f, char *buf, size_t len)
{
	loff_t pos = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 14, 0)
	return kernel_read(f, buf, len, &pos);
#else
	return kernel_read(f, pos, buf, len);
#endif
}

static void hrp_call_ip6_update_pmtu(struct sk_buff *skb, struct net *net,
				     u32 mtu)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 15, 0)
	ip6_update_pmtu(skb, net, htonl(mtu), 0, 0, sock_net_uid(net, NULL));
#else
	ip6_update_pmtu(skb, net, htonl(mtu), 0, 0);
#endif
}

static void hrp_call_dst_update_pmtu(struct dst_entry *dst,
				     struct sk_buff *skb, u32 mtu)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0)
	dst->ops->update_pmtu(dst, NULL, skb, mtu, true);
#else
	dst->ops->update_pmtu(dst, NULL, skb, mtu);
#endif
}

/* ---- rtnetlink, as "ip" speaks it ------------------------------------- */

static struct nlmsghdr *hrp_nl_start(void *buf, u16 type, u16 flags,
				     size_t hdrlen)
{
	struct nlmsghdr *nlh = buf;

	memset(buf, 0, HRP_NL_BUF);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	return nlh;
}

static struct nlattr *hrp_nl_attr(struct nlmsghdr *nlh, u16 type,
				  const void *data, int len)
{
	struct nlattr *nla = (void *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);

	if (WARN_ON(NLMSG_ALIGN(nlh->nlmsg_len) + nla_total_size(len) >
		    HRP_NL_BUF))
		return NULL;
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + nla_total_size(len);
	return nla;
}

/*
 * Send one request; hand every reply message to @cb. Returns the error of
 * the NLMSG_ERROR acknowledgement (0 for success), or a sending error.
 */
static int hrp_nl_talk(struct hrp_env *env, struct nlmsghdr *req,
		       void (*cb)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct socket *sock = env->nl->private_data;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa), };
	struct kvec iov = { .iov_base = req, .iov_len = req->nlmsg_len, };
	/* RTM_GET* requests are dumps here; the flag bits of a dump alias
	 * NLM_F_EXCL and NLM_F_REPLACE of a RTM_NEW* request.
	 */
	bool dump = req->nlmsg_type % 4 == RTM_GETLINK % 4;
	int err, len;
	char *buf;

	req->nlmsg_seq = ++env->seq;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	err = kernel_sendmsg(sock, &msg, &iov, 1, req->nlmsg_len);
	if (err < 0)
		return err;

	buf = kmalloc(HRP_NL_RECV, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct nlmsghdr *nlh;

		iov.iov_base = buf;
		iov.iov_len = HRP_NL_RECV;
		memset(&msg, 0, sizeof(msg));
		len = kernel_recvmsg(sock, &msg, &iov, 1, HRP_NL_RECV,
				     MSG_DONTWAIT);
		if (len < 0) {
			err = len;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				goto out;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				err = 0;
				goto out;
			}
			if (cb)
				cb(nlh, arg);
		}
	}
out:
	kfree(buf);
	return err;
}

/* ---- namespace, link ------------------------------------------------------ */

int hrp_env_init(struct hrp_env *env)
{
	struct socket *sock;
	struct file *f;
	int err;

	memset(env, 0, sizeof(*env));
	/* Called by the loader (insmod): its namespace is the test's. */
	env->net = get_net(current->nsproxy->net_ns);

	err = sock_create(PF_NETLINK, SOCK_RAW, NETLINK_ROUTE, &sock);
	if (err)
		goto put_net;
	/* rtnetlink checks the credentials of the socket's file. */
	f = sock_alloc_file(sock, 0, NULL);
	if (IS_ERR(f)) {
		sock_release(sock);
		err = PTR_ERR(f);
		goto put_net;
	}
	env->nl = f;

	f = filp_open(HRP_KNOB, O_RDWR, 0);
	env->knob = IS_ERR(f) ? NULL : f;
	f = filp_open(HRP_FLUSH, O_WRONLY, 0);
	env->flush = IS_ERR(f) ? NULL : f;
	return 0;

put_net:
	put_net(env->net);
	return err;
}

void hrp_env_exit(struct hrp_env *env)
{
	if (env->knob)
		filp_close(env->knob, NULL);
	if (env->flush)
		filp_close(env->flush, NULL);
	fput(env->nl);
	put_net(env->net);
}

static int hrp_change_flags(struct net_device *dev, unsigned int flags)
{
	int err;

	rtnl_lock();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
	err = dev_change_flags(dev, flags, NULL);
#else
	err = dev_change_flags(dev, flags);
#endif
	rtnl_unlock();
	return err;
}

/*
 * The runner's dummy link HRP_ENV_LINK, brought up, with fd00:1::2/64 (no
 * DAD) and fd00:1::1 known as a router (current kernels drop PMTU
 * exceptions through a gateway that is not; 3.x ignores the flag).
 */
int hrp_env_link_up(struct hrp_env *env)
{
	static const u8 lladdr[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	char buf[HRP_NL_BUF] __aligned(8);
	struct net_device *dev;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct ndmsg *ndm;
	struct in6_addr a;
	int err;

	dev = dev_get_by_name(env->net, HRP_ENV_LINK);
	if (!dev)
		return -ENODEV;
	env->ifindex = dev->ifindex;
	err = hrp_change_flags(dev, dev->flags | IFF_UP);
	dev_put(dev);
	if (err)
		return err;

	nlh = hrp_nl_start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			   sizeof(*ifa));
	ifa = NLMSG_DATA(nlh);
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_index = env->ifindex;
	hrp_pton("fd00:1::2", &a);
	hrp_nl_attr(nlh, IFA_LOCAL, &a, sizeof(a));
	hrp_nl_attr(nlh, IFA_ADDRESS, &a, sizeof(a));
	err = hrp_nl_talk(env, nlh, NULL, NULL);
	if (err)
		return err;

	nlh = hrp_nl_start(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
			   sizeof(*ndm));
	ndm = NLMSG_DATA(nlh);
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = env->ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	ndm->ndm_flags = NTF_ROUTER;
	hrp_pton("fd00:1::1", &a);
	hrp_nl_attr(nlh, NDA_DST, &a, sizeof(a));
	hrp_nl_attr(nlh, NDA_LLADDR, lladdr, sizeof(lladdr));
	return hrp_nl_talk(env, nlh, NULL, NULL);
}

/* Down: the kernel flushes the link's addresses, routes and clones. */
int hrp_env_link_down(struct hrp_env *env)
{
	struct net_device *dev = dev_get_by_name(env->net, HRP_ENV_LINK);
	int err;

	if (!dev)
		return -ENODEV;
	err = hrp_change_flags(dev, dev->flags & ~IFF_UP);
	dev_put(dev);
	return err;
}

/* ---- routes ------------------------------------------------------------- */

static int hrp_env_route(struct hrp_env *env, u16 type, u16 flags,
			 const char *dst, u8 plen, const char *gw, u32 table,
			 unsigned int rtm_flags)
{
	char buf[HRP_NL_BUF] __aligned(8);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct in6_addr a;

	nlh = hrp_nl_start(buf, type, flags, sizeof(*rtm));
	rtm = NLMSG_DATA(nlh);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = table < 256 ? table : RT_TABLE_UNSPEC;
	rtm->rtm_flags = rtm_flags;
	if (type == RTM_NEWROUTE) {
		rtm->rtm_protocol = RTPROT_BOOT;
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
		rtm->rtm_type = RTN_UNICAST;
	} else {
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	if (hrp_pton(dst, &a))
		return -EINVAL;
	hrp_nl_attr(nlh, RTA_DST, &a, sizeof(a));
	if (gw) {
		if (hrp_pton(gw, &a))
			return -EINVAL;
		hrp_nl_attr(nlh, RTA_GATEWAY, &a, sizeof(a));
	}
	if (type == RTM_NEWROUTE)
		hrp_nl_attr(nlh, RTA_OIF, &env->ifindex, sizeof(env->ifindex));
	hrp_nl_attr(nlh, RTA_TABLE, &table, sizeof(table));
	return hrp_nl_talk(env, nlh, NULL, NULL);
}

int hrp_env_route_add(struct hrp_env *env, const char *dst, u8 plen,
		      const char *gw, u32 table)
{
	return hrp_env_route(env, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			     dst, plen, gw, table, 0);
}

int hrp_env_route_del(struct hrp_env *env, const char *dst, u8 plen,
		      const char *gw, u32 table)
{
	return hrp_env_route(env, RTM_DELROUTE, 0, dst, plen, gw, table, 0);
}

int hrp_env_route_del_cached(struct hrp_env *env, const char *dst, u8 plen,
			     const char *gw, u32 table)
{
	return hrp_env_route(env, RTM_DELROUTE, 0, dst, plen, gw, table,
			     RTM_F_CLONED);
}

struct hrp_show {
	struct in6_addr dst;
	u8 plen;
	u32 table;
	bool cloned;
	struct hrp_route_view *view;
};

static void hrp_show_one(struct nlmsghdr *nlh, void *arg)
{
	struct hrp_show *s = arg;
	struct rtmsg *rtm = NLMSG_DATA(nlh);
	int len = RTM_PAYLOAD(nlh);
	struct hrp_route_view v = { .present = true, };
	struct rtattr *rta;
	u32 table = rtm->rtm_table;
	bool dst_ok = false;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET6 ||
	    rtm->rtm_dst_len != s->plen)
		return;
	v.cloned = rtm->rtm_flags & RTM_F_CLONED;
	if (v.cloned != s->cloned)
		return;
	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		switch (rta->rta_type) {
		case RTA_DST:
			dst_ok = ipv6_addr_equal(RTA_DATA(rta), &s->dst);
			break;
		case RTA_TABLE:
			table = *(u32 *)RTA_DATA(rta);
			break;
		case RTA_PRIORITY:
			v.metric = *(u32 *)RTA_DATA(rta);
			break;
		case RTA_GATEWAY:
			v.gw = *(struct in6_addr *)RTA_DATA(rta);
			break;
		case RTA_CACHEINFO:
			v.expires = ((struct rta_cacheinfo *)RTA_DATA(rta))->rta_expires != 0;
			break;
		case RTA_METRICS: {
			int mlen = RTA_PAYLOAD(rta);
			struct rtattr *m;

			for (m = RTA_DATA(rta); RTA_OK(m, mlen);
			     m = RTA_NEXT(m, mlen))
				if (m->rta_type == RTAX_MTU)
					v.mtu = *(u32 *)RTA_DATA(m);
			break;
		}
		}
	}
	if (dst_ok && table == s->table)
		*s->view = v;
}

int hrp_env_route_show(struct hrp_env *env, const char *dst, u8 plen,
		       u32 table, bool cloned, struct hrp_route_view *view)
{
	char buf[HRP_NL_BUF] __aligned(8);
	struct hrp_show s = {
		.plen = plen, .table = table, .cloned = cloned, .view = view,
	};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(view, 0, sizeof(*view));
	if (hrp_pton(dst, &s.dst))
		return -EINVAL;
	nlh = hrp_nl_start(buf, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
	rtm = NLMSG_DATA(nlh);
	rtm->rtm_family = AF_INET6;
	if (cloned)
		rtm->rtm_flags = RTM_F_CLONED;
	return hrp_nl_talk(env, nlh, hrp_show_one, &s);
}

/* ---- lookups and path MTU reports -------------------------------------- */

static struct dst_entry *hrp_env_route_output(struct hrp_env *env,
					      const char *dst)
{
	struct flowi6 fl6;

	memset(&fl6, 0, sizeof(fl6));
	if (hrp_pton(dst, &fl6.daddr))
		return NULL;
	return ip6_route_output(env->net, NULL, &fl6);
}

void hrp_env_lookup(struct hrp_env *env, const char *dst,
		    struct hrp_lookup_view *view)
{
	struct dst_entry *d = hrp_env_route_output(env, dst);
	struct rt6_info *rt = (struct rt6_info *)d;

	memset(view, 0, sizeof(*view));
	if (!d) {
		view->error = -EINVAL;
		return;
	}
	view->error = d->error;
	if (!d->error) {
		view->cached = rt->rt6i_flags & RTF_CACHE;
		view->expires = (rt->rt6i_flags & RTF_EXPIRES) && d->expires;
		view->gateway = rt->rt6i_flags & RTF_GATEWAY;
		view->mtu = dst_mtu(d);
	}
	dst_release(d);
}

/* The packet a Packet Too Big quotes: fd00:1::2 -> @dst, ICMPv6. */
static struct sk_buff *hrp_env_quoted(const char *dst)
{
	struct sk_buff *skb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) + 8,
					GFP_KERNEL);
	struct ipv6hdr *iph;

	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = (struct ipv6hdr *)skb_put(skb, sizeof(*iph) + 8);
	memset(iph, 0, sizeof(*iph) + 8);
	iph->version = 6;
	iph->payload_len = htons(1452);
	iph->nexthdr = IPPROTO_ICMPV6;
	iph->hop_limit = 64;
	hrp_pton("fd00:1::2", &iph->saddr);
	hrp_pton(dst, &iph->daddr);
	skb->protocol = htons(ETH_P_IPV6);
	return skb;
}

void hrp_env_ptb(struct hrp_env *env, const char *dst, u32 mtu)
{
	struct sk_buff *skb = hrp_env_quoted(dst);

	if (!skb)
		return;
	hrp_call_ip6_update_pmtu(skb, env->net, mtu);
	kfree_skb(skb);
}

int hrp_env_dst_update_pmtu(struct hrp_env *env, const char *dst, u32 mtu)
{
	struct dst_entry *d = hrp_env_route_output(env, dst);
	struct sk_buff *skb = hrp_env_quoted(dst);
	int err = 0;

	if (!d || !skb || d->error) {
		err = d && d->error ? d->error : -ENOMEM;
	} else {
		hrp_call_dst_update_pmtu(d, skb, mtu);
	}
	kfree_skb(skb);
	if (d)
		dst_release(d);
	return err;
}

/* ---- the garbage collector and the sysctl ------------------------------- */

int hrp_env_gc(struct hrp_env *env)
{
	if (!env->flush)
		return -ENOENT;
	return hrp_file_write(env->flush, "0\n", 2) == 2 ? 0 : -EIO;
}

int hrp_env_knob_get(struct hrp_env *env)
{
	char buf[8] = "";

	if (!env->knob)
		return -ENOENT;
	if (hrp_file_read(env->knob, buf, sizeof(buf) - 1) <= 0)
		return -EIO;
	return buf[0] == '1' ? 1 : 0;
}

int hrp_env_knob_set(struct hrp_env *env, int value)
{
	const char *v = value ? "1\n" : "0\n";

	if (!env->knob)
		return -ENOENT;
	return hrp_file_write(env->knob, v, 2) == 2 ? 0 : -EIO;
}
