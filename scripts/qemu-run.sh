#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test kernel under QEMU and run one named test in it:
#
#   scripts/qemu-run.sh --kernel BZIMAGE|BUILD_DIR [options] -- TEST [ARG]...
#
#   --ko FILE        put a kernel module into the guest's /hrp/ko (repeatable)
#   --file SRC:DEST  put any other file into the guest
#   --dir SRC:DEST   put a folder's contents into the guest
#   --bin PROGRAM    put a host program (with its libraries) into /hrp/bin
#   --timeout SEC    kill a guest that has not finished (default 600)
#   --log FILE       where the console goes (default .build/qemu-<test>.log)
#   --smp N          vCPUs (default 2)
#   --mem MB         guest memory (default 1024)
#   --append ARGS    extra kernel command line
#   --allow-splat    do not fail on kernel warnings in the console log
#   --allow-warning RE  do not fail on a WARNING whose line matches RE
#   --icount         deterministic TCG (-icount): guest time follows the
#                    instructions executed, not the host's load; for
#                    measurements
#   --tcg-single     TCG with every vCPU in one host thread (thread=single):
#                    QEMU 7.2's multi-threaded TCG can keep running a stale
#                    translation of kernel text another vCPU has just
#                    rewritten (docs/matrix.md, "The CentOS 7.1 soft
#                    lockup"); for cases that patch hot code under load
#
# With a build directory, the kernel's own networking modules (net/ and
# drivers/net/ in modules.order) are loaded at boot, before TEST.
#
# TEST is a script of scripts/ or scripts/guest/ (e.g. scenario.sh); it runs
# in the guest as root with iproute2's ip at /usr/sbin/ip and busybox.
# The guest's exit status becomes this script's; 2 when the guest could not
# say (crash, hang: killed after the timeout). Unless --allow-splat, a kernel
# oops, BUG, WARNING, lockdep, KASAN or kmemleak report in the console log
# fails the run. TCG by default; KVM only when a probe shows it works here.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
kernel=""
timeout=600
log=""
smp=2
mem=1024
append=""
splat=0
allowed='^$'
icount=()
tcg=tcg
pack=()

usage() {
	sed -n '4,31p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--ko) pack+=(--ko "$2"); shift 2 ;;
	--file) pack+=(--file "$2"); shift 2 ;;
	--dir) pack+=(--dir "$2"); shift 2 ;;
	--bin) pack+=(--bin "$2"); shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--allow-splat) splat=1; shift ;;
	--allow-warning) allowed=$2; shift 2 ;;
	--icount) icount=(-icount 'shift=1,sleep=off'); shift ;;
	--tcg-single) tcg=tcg,thread=single; shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
if [ -z "$kernel" ] || [ $# -lt 1 ]; then usage; fi
# A build directory's own networking modules (a CONFIG_IPV6=m kernel's
# ipv6.ko, sit.ko, say) go into the guest and are loaded at boot, in
# modules.order; others (the 3.x test kernels' crypto rng modules) not.
if [ -d "$kernel" ]; then
	if [ -s "$kernel/modules.order" ]; then
		while read -r m; do
			m=${m#kernel/}
			case "$m" in
			net/* | drivers/net/*) ;;
			*) continue ;;
			esac
			if [ -f "$kernel/$m" ]; then
				pack+=(--kmod "$kernel/$m")
			fi
		done <"$kernel/modules.order"
	fi
	kernel=$kernel/arch/x86/boot/bzImage
fi
[ -f "$kernel" ] || { echo "not ok 1 - no kernel image at $kernel"; exit 2; }
command -v qemu-system-x86_64 >/dev/null || {
	echo "not ok 1 - qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
	exit 2
}

test=$1
mkdir -p "$top/.build"
[ -n "$log" ] || log=$top/.build/qemu-${test%.sh}.log
initrd=$(mktemp "$top/.build/initramfs.XXXXXX")
trap 'rm -f "$initrd"' EXIT
"$here/mkinitramfs.sh" "$initrd" "${pack[@]}" -- "$@"

# no_timer_check: a guest starved by a loaded host can fail the IO-APIC
# timer check at boot (a panic on the debug kernels); it proves nothing here.
# slub_nomerge: every slab cache under its own name in /proc/slabinfo (the
# debug options change object sizes, and ip6_dst_cache would merge away).
cmdline="console=ttyS0 panic=-1 oops=panic quiet loglevel=4 no_timer_check slub_nomerge $append"
qemu_base=(qemu-system-x86_64 -nographic -no-reboot -nodefaults -serial stdio
	-m "$mem" -smp "$smp" -kernel "$kernel" -initrd "$initrd")

# KVM fails on these guests on some hosts: use it only if a probe works.
accel=(-accel "$tcg")
if [ "${HRP_KVM:-auto}" != 0 ] && [ -w /dev/kvm ]; then
	probe=$(mktemp "$top/.build/initramfs.XXXXXX")
	"$here/mkinitramfs.sh" "$probe" -- true
	if timeout 30 "${qemu_base[@]/$initrd/$probe}" -accel kvm \
		-append "console=ttyS0 panic=-1" 2>/dev/null | grep -q 'HRP-RESULT: rc=0'; then
		accel=(-accel kvm -cpu host)
	fi
	rm -f "$probe"
fi

echo "# qemu: $(basename "$kernel") ${accel[1]} smp=$smp mem=${mem}M test: $* (console: $log)"
start=$(date +%s)
set +e
timeout -s KILL "$timeout" "${qemu_base[@]}" "${accel[@]}" "${icount[@]}" -append "$cmdline" \
	</dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$log" |
	awk '/HRP-BEGIN:/ { on = 1; next } /HRP-RESULT:/ { on = 0 } on { print; fflush() }'
status=("${PIPESTATUS[@]}")
set -e
elapsed=$(($(date +%s) - start))

rc=$(sed -n 's/.*HRP-RESULT: rc=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$rc" ]; then
	if [ "${status[0]}" = 137 ]; then
		echo "# guest killed after ${timeout}s timeout (console: $log)"
	else
		echo "# guest ended without a result after ${elapsed}s (console: $log)"
		grep -E 'Kernel panic|BUG:|Oops' "$log" | head -n 5 | sed 's/^/#   /'
	fi
	exit 2
fi

splats='Oops|BUG:|WARNING:|INFO: (possible|inconsistent)|possible circular locking|KASAN|kmemleak: [0-9]+ new suspected|Kernel panic|general protection fault|soft lockup|hung_task'
if grep -aE "$splats" "$log" | grep -aEq "$allowed"; then
	echo "# kernel reports in the console log that this run expects:"
	grep -aE "$splats" "$log" | grep -aE "$allowed" | head -n 5 | sed 's/^/#   /'
fi
if [ "$splat" = 0 ] && grep -aE "$splats" "$log" | grep -aEvq "$allowed"; then
	echo "# kernel reports in the console log, failing the run:"
	grep -aE "$splats" "$log" | grep -aEv "$allowed" | head -n 10 | sed 's/^/#   /'
	[ "$rc" = 0 ] && rc=1
fi
echo "# guest exit status $rc after ${elapsed}s"
exit "$rc"
