// SPDX-License-Identifier: GPL-2.0
/*
 * The way into and out of the module's replacements (x86_64).
 *
 * An ftrace callback sends a call on by setting regs->ip; the call then
 * leaves the trampoline for that address. rmmod must not free code a task
 * can still run, and two stretches of such code are not covered by any
 * count the module's C code can keep: from the callback's return to the
 * first instruction of the replacement (ftrace's own code, with preemption
 * enabled again), and from the replacement's last decrement of a count to
 * its return. On kernels without involuntary preemption in kernel code a
 * sched grace period waits for both. On a fully preemptible kernel
 * (CONFIG_PREEMPT=y) a task preempted there does not hold the grace period
 * back, and only RCU-tasks would wait for it, which 3.10 to 4.1 lack or
 * leave off (TASKS_RCU has no prompt).
 *
 * So the callbacks send calls to a stub, a few instructions in a page of
 * the module area allocated apart from the module (module_alloc(), as
 * kprobes allocates its instruction slots). Each stub counts the call in,
 * calls the replacement, counts it out and returns; once the module is
 * going, it sends the call on into the kernel's own function instead. The
 * counts then cover every instruction of the module's text, and the page
 * outlives the text: freed after a grace period where that suffices,
 * never freed where it does not (4 KiB per unload, said in the unload
 * line).
 *
 * Each stub, for a replacement B of the kernel function F:
 *
 *	lock incl count(%rip)
 *	cmpb	$0, going(%rip)
 *	jne	1f
 *	call	B
 *	lock decl count(%rip)
 *	ret
 * 1:	lock decl count(%rip)
 *	jmp	F + MCOUNT_INSN_SIZE	(F's body, past its __fentry__ call)
 *
 * With the test parameter unload_window_us, "push %rax; mov $us, %edi;
 * call __udelay; pop %rax" comes before the first ret: a call lingers
 * after its count is gone, as a preempted one would.
 */
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kmemleak.h>
#include <linux/vmalloc.h>

#include "hrp.h"

struct hrp_stub {
	u8 code[96];
	u32 count;	/* calls between the stub's entry and its return */
	u8 going;	/* 1: calls go on into the kernel's own function */
} __aligned(128);

#define HRP_STUBS_MAX (PAGE_SIZE / sizeof(struct hrp_stub))

static struct hrp_stub *hrp_stubs;
static unsigned int hrp_nr_stubs;
static bool hrp_stubs_kept;

/* Write at @at the rel32 from @end, the end of its instruction, to @target. */
static bool hrp_rel32(u8 *at, const u8 *end, unsigned long target)
{
	long rel = (long)target - (long)end;
	s32 rel32 = rel;

	if (rel32 != rel)
		return false;
	memcpy(at, &rel32, sizeof(rel32));
	return true;
}

/* An opcode of @n bytes followed by a rel32 to @target, and @tail bytes. */
static u8 *hrp_emit_rel(u8 *p, const char *op, size_t n, unsigned long target,
			const char *tail, size_t tail_n, bool *ok)
{
	memcpy(p, op, n);
	memcpy(p + n + 4, tail, tail_n);
	*ok &= hrp_rel32(p + n, p + n + 4 + tail_n, target);
	return p + n + 4 + tail_n;
}

/* @n bytes of code as they are. */
static u8 *hrp_emit(u8 *p, const char *bytes, size_t n)
{
	memcpy(p, bytes, n);
	return p + n;
}

/**
 * hrp_stubs_alloc() - the page the stubs live in
 * @n: how many stubs
 */
int hrp_stubs_alloc(unsigned int n)
{
	void *(*module_alloc_fn)(unsigned long size);
	unsigned int i;

	if (WARN_ON(n > HRP_STUBS_MAX))
		return -EINVAL;
	module_alloc_fn = (void *)hrp_lookup_name("module_alloc");
	if (!module_alloc_fn) {
		pr_err(HRP_NAME ": module_alloc() not found; this kernel is not one the module supports, not loading\n");
		return -ENOENT;
	}
	hrp_stubs = module_alloc_fn(PAGE_SIZE);
	if (!hrp_stubs)
		return -ENOMEM;
	memset(hrp_stubs, 0xcc, PAGE_SIZE);	/* int3 */
	for (i = 0; i < n; i++) {
		hrp_stubs[i].count = 0;
		hrp_stubs[i].going = 1;		/* until built */
	}
	hrp_nr_stubs = n;
	hrp_stubs_kept = false;
	return 0;
}

/**
 * hrp_stub_build() - write stub @i, which calls @body instead of @orig
 * @i: the stub's number
 * @body: the module's replacement, with the same arguments as @orig
 * @orig: the kernel function
 * @window_us: test only: microseconds to linger after the count
 *
 * Return: the address a callback sets regs->ip to, or 0 if a rel32 cannot
 * reach @body, @orig or __udelay() from the page.
 */
unsigned long hrp_stub_build(unsigned int i, void *body, unsigned long orig,
			     unsigned int window_us)
{
	struct hrp_stub *s = &hrp_stubs[i];
	unsigned long count = (unsigned long)&s->count;
	unsigned long going = (unsigned long)&s->going;
	u8 *p = s->code, *jne;
	bool ok = true;

	s->count = 0;
	s->going = 0;
	/* lock incl count(%rip); cmpb $0, going(%rip) */
	p = hrp_emit_rel(p, "\xf0\xff\x05", 3, count, "", 0, &ok);
	p = hrp_emit_rel(p, "\x80\x3d", 2, going, "\x00", 1, &ok);
	jne = p;
	p = hrp_emit(p, "\x75\x00", 2);			/* jne rel8, below */
	/* call body; lock decl count(%rip) */
	p = hrp_emit_rel(p, "\xe8", 1, (unsigned long)body, "", 0, &ok);
	p = hrp_emit_rel(p, "\xf0\xff\x0d", 3, count, "", 0, &ok);
	if (window_us) {
		p = hrp_emit(p, "\x50\xbf", 2);		/* push %rax; mov $, %edi */
		memcpy(p, &window_us, 4);
		p += 4;
		p = hrp_emit_rel(p, "\xe8", 1, (unsigned long)__udelay, "", 0,
				 &ok);
		p = hrp_emit(p, "\x58", 1);		/* pop %rax */
	}
	p = hrp_emit(p, "\xc3", 1);			/* ret */
	/* 1: lock decl count(%rip); jmp orig + MCOUNT_INSN_SIZE */
	jne[1] = p - (jne + 2);
	p = hrp_emit_rel(p, "\xf0\xff\x0d", 3, count, "", 0, &ok);
	p = hrp_emit_rel(p, "\xe9", 1, orig + MCOUNT_INSN_SIZE, "", 0, &ok);
	BUILD_BUG_ON(sizeof(s->code) < 7 + 7 + 2 + 5 + 7 + 11 + 1 + 7 + 5);
	return ok ? (unsigned long)s->code : 0;
}

/**
 * hrp_stubs_close() - send every further call on to the kernel's own
 * functions, and wait until no call is between a stub's entry and return
 *
 * After this, no task runs module text through a stub, nor will: the
 * callbacks must be unregistered and a sched grace period past, so that
 * none sends a call to a stub from now on but those on their way already.
 */
void hrp_stubs_close(void)
{
	unsigned int i, waited;
	u32 busy;

	if (!hrp_stubs)
		return;
	for (i = 0; i < hrp_nr_stubs; i++)
		ACCESS_ONCE(hrp_stubs[i].going) = 1;
	/* Against the stubs' lock incl, then cmpb: either sees the other. */
	smp_mb();
	for (waited = 0;; waited++) {
		busy = 0;
		for (i = 0; i < hrp_nr_stubs; i++)
			busy += ACCESS_ONCE(hrp_stubs[i].count);
		if (!busy)
			break;
		if (waited == 1000)
			pr_warn(HRP_NAME ": unloading: waiting for %u call(s) still in the module's code to return\n",
				busy);
		usleep_range(1000, 2000);
	}
}

/**
 * hrp_stubs_free() - free the page once no task can be in it
 *
 * After hrp_stubs_close(), a task can still be in the last instructions of
 * a stub, or on its way to one from a callback. Where a sched grace period
 * (and RCU-tasks, where the kernel has it) waits for such a task, the page
 * is freed after one; on a fully preemptible kernel without RCU-tasks
 * nothing can wait for it, and the page is left allocated.
 */
void hrp_stubs_free(void)
{
	if (!hrp_stubs)
		return;
	hrp_synchronize_code();
	if (IS_ENABLED(CONFIG_PREEMPT) && !IS_ENABLED(CONFIG_TASKS_RCU)) {
		kmemleak_not_leak(hrp_stubs);
		hrp_stubs_kept = true;
	} else {
		vfree(hrp_stubs);
	}
	hrp_stubs = NULL;
}

/* For the unload line: what hrp_stubs_free() left allocated. */
const char *hrp_stubs_leftover(void)
{
	return hrp_stubs_kept ? "; the module's 4 KiB page of call stubs stays allocated (a fully preemptible kernel without RCU-tasks cannot tell when no preempted task will return through it)" : "";
}
