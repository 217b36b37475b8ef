# SPDX-License-Identifier: GPL-2.0
#
#   make            build ip6_hostroute_pmtu.ko for the running kernel
#   make KDIR=...   ... for the kernel build (or headers) directory KDIR
#   make check      run every test this machine can run
#   make check-affected KERNEL=<build dir> [KMAKE="CC=..."]
#                   everything on one affected (3.10-4.1) test kernel
#   make sign KEY=<private key> CERT=<x509 certificate, DER>
#                   sign it with the kernel's scripts/sign-file (Secure Boot)
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

# The kernel's own sign-file: a perl script up to 4.2, a program after; in a
# build dir (O=) or a headers package it may be in source/.
SIGN_FILE = $(firstword $(wildcard $(KDIR)/scripts/sign-file $(KDIR)/source/scripts/sign-file))

sign:
	@test -n "$(KEY)" -a -n "$(CERT)" || { echo "usage: make sign KEY=<private key> CERT=<x509 certificate> [KDIR=...]" >&2; exit 2; }
	@test -n "$(SIGN_FILE)" || { echo "No scripts/sign-file in $(KDIR): sign with the distribution's tool (see README.md)" >&2; exit 2; }
	@test -f $(MODULE).ko || { echo "Build the module first: make" >&2; exit 2; }
	$(if $(shell head -n1 $(SIGN_FILE) | grep -q perl && echo y),perl )$(SIGN_FILE) sha256 $(KEY) $(CERT) $(MODULE).ko
	@tail -c 28 $(MODULE).ko | grep -q 'Module signature appended' && echo "$(MODULE).ko signed"

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

.PHONY: all module kunit tools check check-affected sign load unload clean
