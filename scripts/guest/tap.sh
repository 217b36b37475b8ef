#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the guest tests: ok STATUS DESCRIPTION prints one TAP line,
# "ok" when STATUS is 0, and counts in $n and $failed.

n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}
