# tests/interop/common.sh: what every interoperability test shares. Sourced
# by tests/interop/test_*.sh, never run by itself.
#
# Each test makes its own network namespace (tnio-NAME-PID) and runs
# `tuxnet run --realtime` inside it, so the TAP's host side appears there
# and nowhere else; addresses are set only inside it. On exit, failure and
# signals included, the trap kills every process left in the namespace (all
# of them started by the test), deletes the namespace and the scratch
# directory. Every tuxnet run and every Linux tool is bounded by `timeout`.
# Tests skip with status 77 (and a message saying why) without root,
# /dev/net/tun, the tuxnet tool or a Linux tool they need.
#
# The Linux side is 10.77.0.1 on the host device (tap0 unless told), tuxnet
# is 10.77.0.2 on tn0.
set -u

TN_BUILD_DIR=${TN_BUILD_DIR:-build}
TN_TOOL=${TN_TOOL:-$TN_BUILD_DIR/tuxnet}
TN_STREAM=${TN_STREAM:-$TN_BUILD_DIR/tests/tn-interop-stream}
LX=10.77.0.1
TN=10.77.0.2

skip() {
	echo "SKIP: $*"
	exit 77
}

# need TOOL...: skip unless each TOOL is on the PATH.
need() {
	local t
	for t in "$@"; do
		command -v "$t" > /dev/null || skip "$t is not installed"
	done
}

[ "$(id -u)" = 0 ] || skip "needs root (a network namespace and a TAP device)"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing (no TUN/TAP support here)"
[ -x "$TN_TOOL" ] || skip "no tuxnet tool at $TN_TOOL (build first)"
need ip timeout
TN_STDBUF=
command -v stdbuf > /dev/null && TN_STDBUF="stdbuf -oL"
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")

# need_stream: the pattern/digest helper (tests/interop/stream.c).
need_stream() {
	[ -x "$TN_STREAM" ] || skip "no $TN_STREAM (build the tests first)"
	TN_STREAM=$(cd "$(dirname "$TN_STREAM")" && pwd)/$(basename "$TN_STREAM")
}

# Sizes: modest by default for CI, 1 GiB with TN_INTEROP_BIG=1.
if [ "${TN_INTEROP_BIG:-0}" = 1 ]; then
	BIG=$((1024 * 1024 * 1024))
	T_BIG=900
else
	BIG=$((64 * 1024 * 1024))
	T_BIG=120
fi

NS=tnio-${TN_CASE:-x}-$$
tmp=$(mktemp -d /tmp/tn-interop.XXXXXX)
tnpid=

cleanup() {
	local p
	disown -a 2> /dev/null		# no "Killed" notices for what we kill here
	for p in $(ip netns pids "$NS" 2> /dev/null); do
		kill -KILL "$p" 2> /dev/null
	done
	if [ -n "$tnpid" ]; then
		kill -KILL "$tnpid" 2> /dev/null
		wait "$tnpid" 2> /dev/null
	fi
	ip netns del "$NS" 2> /dev/null
	if [ -n "${TN_INTEROP_KEEP:-}" ]; then
		echo "note: scratch files kept in $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
ok() {
	echo "ok: $*"
}

# nsx CMD...: CMD inside the test's namespace.
nsx() {
	ip netns exec "$NS" "$@"
}

# nstat keeps its history per user in /tmp unless told: keep this test's own.
export NSTAT_HISTORY=$tmp/nstat.history

ip netns add "$NS" || { echo "FAIL: cannot create namespace $NS"; exit 1; }
nsx ip link set lo up

# tn_start NAME [-d HOSTDEV] [-t SECS] LINE...: run a scenario in the namespace,
# in the background: the tap lines (tn0 = 10.77.0.2/24 on a TAP whose host
# side is HOSTDEV, tap0 by default), then the LINEs. Its standard output goes
# to $tmp/NAME.out, its diagnostics to $tmp/NAME.err; tnpid is its pid, killed
# after SECS (default 120). Waits for HOSTDEV, then gives it 10.77.0.1/24 and
# brings it up. Returns 1 (the scenario's output in NAME.err) when HOSTDEV
# never appears.
tn_start() {
	local name=$1 dev=tap0 secs=120
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-d) dev=$2; shift 2 ;;
		-t) secs=$2; shift 2 ;;
		*) break ;;
		esac
	done
	{
		echo "ip link add tn0 type tap hostdev $dev"
		echo "ip addr add $TN/24 dev tn0"
		echo "ip link set tn0 up"
		printf '%s\n' "$@"
	} > "$tmp/$name.tn"
	# Line-buffered (stdbuf) so that the test can watch the output as it comes.
	(cd "$tmp" && exec timeout -s KILL "$secs" ip netns exec "$NS" $TN_STDBUF "$TN_TOOL" \
		run --realtime "$name.tn") > "$tmp/$name.out" 2> "$tmp/$name.err" &
	tnpid=$!
	TN_DEV=$dev
	for _ in $(seq 100); do
		nsx ip link show "$dev" > /dev/null 2>&1 && break
		kill -0 "$tnpid" 2> /dev/null || break
		sleep 0.05
	done
	if ! nsx ip link show "$dev" > /dev/null 2>&1; then
		fail "$name: $dev never appeared: $(head -3 "$tmp/$name.err")"
		return 1
	fi
	nsx ip addr add "$LX/24" dev "$dev"
	nsx ip link set "$dev" up
}

# tn_gate: a scenario line that holds the scenario until the Linux side
# answers (10.77.0.1 configured and up), instead of guessing with sleep.
TN_GATE="ping -q -c 1 -w 10 $LX"

# tn_wait NAME: wait for the scenario to end (bounded by its timeout);
# its exit status.
tn_wait() {
	local st
	wait "$tnpid"
	st=$?
	tnpid=
	return $st
}

# tn_stop NAME: SIGTERM (a serving run ends with 0), then wait.
tn_stop() {
	kill -TERM "$tnpid" 2> /dev/null
	tn_wait
}

# tn_await NAME REGEX [SECS]: until the scenario's output has a line matching
# REGEX (default 10 s).
tn_await() {
	local i n=$(( ${3:-10} * 20 ))
	for i in $(seq $n); do
		grep -qE "$2" "$tmp/$1.out" "$tmp/$1.err" 2> /dev/null && return 0
		kill -0 "$tnpid" 2> /dev/null || break
		sleep 0.05
	done
	grep -qE "$2" "$tmp/$1.out" "$tmp/$1.err" 2> /dev/null
}

# wait_listen PORT [tcp|udp]: until a Linux socket listens on PORT in the namespace.
wait_listen() {
	local opt=-ltnH
	[ "${2:-tcp}" = udp ] && opt=-lunH
	for _ in $(seq 100); do
		nsx ss $opt "sport = :$1" 2> /dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# tn_show NAME: the scenario's output, for a failure report.
tn_show() {
	echo "--- tuxnet $1: stdout (last lines)"
	tail -20 "$tmp/$1.out" 2> /dev/null
	echo "--- tuxnet $1: stderr"
	tail -20 "$tmp/$1.err" 2> /dev/null
}

# finish SUMMARY: the exit status of the test.
finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "PASS: $*"
	exit 0
}
