#!/usr/bin/env bash
# Makes sure a command from a Debian package is on the PATH before a target needs it: xmllint for the tests
# (the IATI export tests validate every document against the IATI 2.03 XSD with it; Go has no XSD validator),
# chromium for the web console's browser test (e2e/browser_test.go, driven with chromedp) and wrk for `make
# bench-load` (a load generator in C, so that the load costs the machine little). On
# Debian, as root, it installs the pinned package; anywhere else it stops and prints the exact command to run.
#
# Usage: tools/ensure-deb.sh <command> <package> <debian-version> <why>   (the Makefile passes the pins)
set -euo pipefail

command="$1" package="$2" version="$3" why="$4"
pkg="${package}=${version}"
install="apt-get update && apt-get install -y --no-install-recommends ${pkg}"

# Any copy of the command will do once present (xmllint's schema validation and wrk's output have been
# stable for years), and replacing a machine's own copy is not this script's business.
if command -v "${command}" >/dev/null 2>&1; then
	exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "${command} missing: installing ${pkg}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	if ! apt-get install -y -q --no-install-recommends "${pkg}"; then
		echo "could not install ${pkg}: if Debian has replaced that version, run 'apt-cache policy ${package}'" >&2
		echo "and update its version in the Makefile to the candidate it shows" >&2
		exit 1
	fi
	command -v "${command}" >/dev/null 2>&1 || { echo "${pkg} is installed but ${command} is still not on the PATH" >&2; exit 1; }
	exit 0
fi

{
	echo "${command} is missing; ${why}. Install it with:"
	if command -v apt-get >/dev/null 2>&1; then
		echo "  sudo sh -c '${install}'"
	else
		echo "  Debian/Ubuntu: sudo sh -c '${install}'"
		echo "  elsewhere: the package that provides ${command}"
	fi
} >&2
exit 1
