# SPDX-License-Identifier: GPL-2.0
#
#   make            build ip6_hostroute_pmtu.ko for the running kernel
#   make KDIR=...   ... for the kernel build (or headers) directory KDIR
#   make check      run every test this machine can run
#   make check-affected KERNEL=<build dir> [KMAKE="CC=..."]
#                   everything on one affected (3.10-4.1) test kernel
#   make load       insmod the module built here; make unload: rmmod it
#   make clean
#
# See README.md.

KDIR ?= /lib/modules/$(shell uname -r)/build
MODULE := ip6_hostroute_pmtu

all: module

module:
	@test -f $(KDIR)/Makefile || { \
		echo "No kernel build tree at $(KDIR): install the headers of the running kernel" \
		     "(Debian/Ubuntu: linux-headers-$$(uname -r)) or pass KDIR=<kernel build dir>." >&2; \
		exit 2; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

kunit:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kunit modules

tools: scripts/tools/hrp-net

scripts/tools/hrp-net: scripts/tools/hrp-net.c
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

check:
	scripts/check.sh

check-affected:
	@test -n "$(KERNEL)" || { echo "usage: make check-affected KERNEL=<kernel build dir> [KMAKE=\"CC=...\"]" >&2; exit 2; }
	scripts/check-affected.sh $(KERNEL) -- $(KMAKE)

load: module
	insmod ./$(MODULE).ko

unload:
	rmmod $(MODULE)

clean:
	@if [ -f $(KDIR)/Makefile ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
		if [ -d kunit ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/kunit clean; fi; \
	fi
	rm -f scripts/tools/hrp-net

.PHONY: all module kunit tools check check-affected load unload clean
