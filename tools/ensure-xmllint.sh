#!/usr/bin/env bash
# Makes sure xmllint is on the PATH before the tests run: the IATI export tests validate every document they
# write against the IATI 2.03 XSD with it (Go has no XSD validator). On Debian, as root, it installs the
# pinned libxml2-utils; anywhere else it stops and prints the exact command to run.
#
# Usage: tools/ensure-xmllint.sh [debian-version]   (the Makefile passes XMLLINT_DEB_VERSION)
set -euo pipefail

version="${1:-2.9.14+dfsg-1.3~deb12u6}"
pkg="libxml2-utils=${version}"
install="apt-get update && apt-get install -y --no-install-recommends ${pkg}"

# Any xmllint will do once present: schema validation has been stable across libxml2 2.9 and later, and
# replacing a machine's own copy is not this script's business.
if command -v xmllint >/dev/null 2>&1; then
	exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "xmllint missing: installing ${pkg}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	if ! apt-get install -y -q --no-install-recommends "${pkg}"; then
		echo "could not install ${pkg}: if Debian has replaced that version, run 'apt-cache policy libxml2-utils'" >&2
		echo "and update XMLLINT_DEB_VERSION in the Makefile to the candidate it shows" >&2
		exit 1
	fi
	command -v xmllint >/dev/null 2>&1 || { echo "${pkg} is installed but xmllint is still not on the PATH" >&2; exit 1; }
	exit 0
fi

{
	echo "xmllint is missing; the IATI export tests need it to validate XML against the XSD. Install it with:"
	if command -v apt-get >/dev/null 2>&1; then
		echo "  sudo sh -c '${install}'"
	else
		echo "  Debian/Ubuntu: sudo sh -c '${install}'"
		echo "  elsewhere: the package that provides xmllint (libxml2; macOS ships it)"
	fi
} >&2
exit 1
