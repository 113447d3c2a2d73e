#!/bin/bash
# The differential conformance run: the same cases, once against Linux and
# once against tuxnet, compared line by line.
#
#   run.sh CONFORMANCE_LIBC [CONFORMANCE_TUXNET] [CASE-PREFIX...]
#
# The Linux side runs only inside a network namespace this script creates
# (tnconf-PID, lo up, nothing else) and removes on exit, failure included;
# every address the cases use is on that namespace's loopback. Inside it,
# net.ipv4.ping_group_range is opened to every group so that ping sockets
# may be created (the tuxnet side does the same on each of its stacks).
#
# With TN_CONF_LINUX_ONLY=1 only the Linux side runs (pass "" as the second
# argument when selecting cases) and its output is
# printed: that is how a new case is checked against the reference first.
#
# Exit status: 0 when the outputs are identical; 1 on any difference, or
# when the Linux side itself did not run cleanly; 77 (skip, with the reason)
# when not root, when `ip netns` is unavailable, or when there is no tuxnet
# side to compare yet (no binary: the header lacks the socket calls; or the
# library lacks tn_socket) -- the Linux side still runs first in that case.
set -u

libc_bin=${1:?usage: run.sh CONFORMANCE_LIBC [CONFORMANCE_TUXNET] [CASE-PREFIX...]}
tuxnet_bin=${2:-}
shift
[ $# -gt 0 ] && shift

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the Linux side needs root to create its network namespace (ip netns add)"
	exit 77
fi
ns=tnconf-$$
if ! ip netns add "$ns" 2>/dev/null; then
	echo "SKIP: 'ip netns add $ns' failed: no network namespaces here"
	exit 77
fi
out=$(mktemp -d /tmp/tnconf.XXXXXX)
trap 'ip netns del "$ns" 2>/dev/null; rm -rf "$out"' EXIT
ip -n "$ns" link set lo up || { echo "FAIL: cannot bring lo up in $ns"; exit 1; }
ip netns exec "$ns" sysctl -q -w net.ipv4.ping_group_range="0 2147483647" ||
	echo "note: could not open net.ipv4.ping_group_range in $ns; ping cases will differ"

# --- the reference --------------------------------------------------------
if ! ip netns exec "$ns" "$libc_bin" "$@" > "$out/linux.txt" 2> "$out/linux.err"; then
	grep -E ': (TIMEOUT|CRASHED|EXIT)' "$out/linux.txt"
	cat "$out/linux.err"
	echo "FAIL: the Linux side (the reference) did not run cleanly"
	exit 1
fi
summary="$(cut -d' ' -f1 "$out/linux.txt" | sort -u | wc -l) cases, $(wc -l < "$out/linux.txt") lines"
if [ "${TN_CONF_LINUX_ONLY:-0}" = 1 ]; then
	cat "$out/linux.txt"
	echo "== Linux only: $summary"
	exit 0
fi
if [ -z "$tuxnet_bin" ]; then
	echo "SKIP: Linux side ran ($summary); no tuxnet side: include/tuxnet/tuxnet.h" \
		"does not declare the socket calls yet"
	exit 77
fi
missing=$("$tuxnet_bin" -m)
if printf '%s\n' "$missing" | grep -qx tn_socket; then
	echo "SKIP: Linux side ran ($summary); libtuxnet does not define tn_socket yet"
	exit 77
fi

# --- the comparison ---------------------------------------------------------
# The tuxnet side needs no namespace, but running it in the same one keeps
# the two environments alike (and it sends nothing to the host either way).
ip netns exec "$ns" "$tuxnet_bin" "$@" > "$out/tuxnet.txt" 2> "$out/tuxnet.err"

if cmp -s "$out/linux.txt" "$out/tuxnet.txt"; then
	echo "== conformance: $(cut -d' ' -f1 "$out/linux.txt" | sort -u | wc -l) cases," \
		"$(wc -l < "$out/linux.txt") lines, tuxnet matches Linux"
	exit 0
fi

# A case differs when any of its lines do; the first field names the case
# ("case-name step: ..." or "case-name: MISSING ...").
case_of() { sed -E 's/^([^ :]+).*/\1/'; }
diff "$out/linux.txt" "$out/tuxnet.txt" | sed -n 's/^[<>] //p' | case_of | sort -u \
	> "$out/cases.txt"
total=$(cut -d' ' -f1 "$out/linux.txt" | case_of | sort -u | wc -l)
echo "== conformance: $(wc -l < "$out/cases.txt") of $total cases differ from Linux"
[ -n "$missing" ] && echo "   libtuxnet lacks:" $missing
echo "   (< Linux, > tuxnet; each case's differing lines)"
while read -r c; do
	echo
	echo "--- $c"
	diff <(grep -E "^$c[ :]" "$out/linux.txt") <(grep -E "^$c[ :]" "$out/tuxnet.txt") |
		grep -E '^[<>]'
done < "$out/cases.txt"
if [ -s "$out/tuxnet.err" ]; then
	echo
	echo "--- tuxnet stderr"
	head -n 40 "$out/tuxnet.err"
fi
exit 1
