#!/usr/bin/env bash
# Install what building and testing tuxnet needs on Debian. As root it runs
# apt-get; otherwise it prints the exact command and fails.
#
#   scripts/deps.sh          build, test and interoperability tools
#   scripts/deps.sh bench    the same, and what only the benchmarks use
set -euo pipefail
# Build and test tools, and the Linux peers the interoperability tests and
# benchmarks talk to (ping, curl, nc, iperf3, python3's http.server).
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libcmocka-dev libpcap-dev tshark iproute2 iputils-ping procps
      iperf3 curl netcat-openbsd python3 nftables iputils-arping traceroute ethtool)
# bench/run.sh case 10: slirp4netns, a user-space stack behind a tap, is
# measured beside tuxnet's TAP path.
if [ "${1:-}" = bench ]; then
	pkgs+=(slirp4netns)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "tuxnet needs: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# An update first only when the package lists are missing or stale.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
	apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
