#!/bin/bash
# tuxnet as a real peer of the Linux kernel over a TAP device (root only).
#
# The test makes its own network namespace tntap-$$ and runs
# `tuxnet run --realtime` inside it, so the TAP's host side (tap0) appears
# there and nowhere else; addresses are set only inside it. Linux's own
# ping, curl and nc then talk to tuxnet (10.77.0.2) from 10.77.0.1: three
# echo replies, a 4 MB file served by tuxnet's httpd compared by checksum,
# a few bytes to tuxnet's `nc -l`. SIGTERM must end tuxnet with status 0
# and take tap0 with it. Then the other way: tuxnet's curl fetches a
# chunked body and the file from a Linux (python3) server. The namespace
# goes on exit, failure included.
# Skips (77) without root or /dev/net/tun. docs/interop.md has the same
# steps by hand.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (a network namespace and a TAP device)"
	exit 77
fi
if [ ! -c /dev/net/tun ]; then
	echo "SKIP: /dev/net/tun is missing (no TUN/TAP support here)"
	exit 77
fi
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
for t in ip ping curl sha256sum timeout; do
	if ! command -v "$t" > /dev/null; then
		echo "SKIP: $t is not installed"
		exit 77
	fi
done
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")

NS=tntap-$$
tmp=$(mktemp -d /tmp/tn-tap.XXXXXX)
tnpid=
cleanup() {
	if [ -n "$tnpid" ] && kill -0 "$tnpid" 2> /dev/null; then
		kill -KILL "$tnpid" 2> /dev/null
		wait "$tnpid" 2> /dev/null
	fi
	ip netns del "$NS" 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
nsx() {
	ip netns exec "$NS" "$@"
}

ip netns add "$NS" || { echo "FAIL: cannot create namespace $NS"; exit 1; }

mkdir -p "$tmp/www"
head -c 4194304 /dev/urandom > "$tmp/www/file"
cat > "$tmp/tap.tn" << EOF
ip link add tn0 type tap hostdev tap0
ip addr add 10.77.0.2/24 dev tn0
ip link set tn0 up
httpd -p 8080 -d $tmp/www -v &
nc -l -k -p 9000 &
EOF

# tuxnet in the test's namespace; bounded however it goes.
(cd "$tmp" && exec timeout -s KILL 120 ip netns exec "$NS" "$TN_TOOL" run --realtime tap.tn) \
	> "$tmp/tuxnet.out" 2>&1 &
tnpid=$!

# Its host side appears in the namespace.
for _ in $(seq 50); do
	nsx ip link show tap0 > /dev/null 2>&1 && break
	sleep 0.1
done
if ! nsx ip link show tap0 > /dev/null 2>&1; then
	echo "FAIL: tap0 never appeared: $(cat "$tmp/tuxnet.out")"
	exit 1
fi
nsx ip link set lo up
nsx ip addr add 10.77.0.1/24 dev tap0
nsx ip link set tap0 up

# ping: Linux's echo requests, tuxnet's replies.
nsx ping -c 3 -i 0.2 -W 2 10.77.0.2 > "$tmp/ping.out" 2>&1 ||
	fail "ping: $(tail -3 "$tmp/ping.out")"
grep -q '3 packets transmitted, 3 received' "$tmp/ping.out" || fail "ping: not 3 of 3 replies"

# curl: a file from tuxnet's httpd, compared by checksum.
nsx timeout 60 curl -s -o "$tmp/file.got" http://10.77.0.2:8080/file ||
	fail "curl: exit status $?"
want=$(sha256sum < "$tmp/www/file")
got=$(sha256sum < "$tmp/file.got" 2> /dev/null)
[ "$want" = "$got" ] || fail "curl: checksum differs"
code=$(nsx timeout 10 curl -s -o /dev/null -w '%{http_code}' http://10.77.0.2:8080/none)
[ "$code" = 404 ] || fail "curl: /none gave '$code', not 404"

# nc: a few bytes to tuxnet's `nc -l -k`, which prints them.
if command -v nc > /dev/null; then
	echo "hello tuxnet $$" | nsx timeout 10 nc -N -w 2 10.77.0.2 9000 || fail "nc: exit status $?"
else
	nsx timeout 10 bash -c "echo 'hello tuxnet $$' > /dev/tcp/10.77.0.2/9000" ||
		fail "bash /dev/tcp: exit status $?"
fi
for _ in $(seq 20); do
	grep -q "hello tuxnet $$" "$tmp/tuxnet.out" && break
	sleep 0.1
done
grep -q "hello tuxnet $$" "$tmp/tuxnet.out" || fail "nc: tuxnet did not print the bytes"

# SIGTERM: a clean end, and the TAP goes with the process.
kill -TERM "$tnpid"
wait "$tnpid"
st=$?
tnpid=
[ "$st" = 0 ] || fail "tuxnet: exit status $st after SIGTERM: $(tail -5 "$tmp/tuxnet.out")"
if nsx ip link show tap0 > /dev/null 2>&1; then
	fail "tap0 still exists after tuxnet ended"
fi

# The other way: tuxnet's curl against a Linux HTTP server (python3),
# a chunked body and the 4 MB file. Skipped without python3.
client_case() {
	cat > "$tmp/srv.py" << 'EOF'
import http.server, os, sys
os.chdir(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if self.path != "/chunked":
            return super().do_GET()
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in [b"hello ", b"chunked ", b"world\n"]:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\n\r\n")
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("0.0.0.0", 8000), H).serve_forever()
EOF
	# Not through nsx: $! must be the server (ip netns exec and timeout
	# exec and forward), and its output must not hold ctest's pipe.
	ip netns exec "$NS" timeout 60 python3 "$tmp/srv.py" "$tmp/www" > "$tmp/py.out" 2>&1 &
	local pypid=$!
	for _ in $(seq 100); do
		nsx bash -c 'echo > /dev/tcp/127.0.0.1/8000' 2> /dev/null && break
		sleep 0.1
	done
	cat > "$tmp/cli.tn" << EOF
ip link add tn0 type tap hostdev tap1
ip addr add 10.78.0.2/24 dev tn0
ip link set tn0 up
sleep 1
curl -s http://10.78.0.1:8000/chunked
curl -s -o $tmp/linux.got http://10.78.0.1:8000/file
EOF
	(cd "$tmp" && exec timeout -s KILL 60 ip netns exec "$NS" "$TN_TOOL" run --realtime cli.tn) \
		> "$tmp/cli.out" 2>&1 &
	tnpid=$!
	for _ in $(seq 50); do
		nsx ip link show tap1 > /dev/null 2>&1 && break
		sleep 0.1
	done
	nsx ip addr add 10.78.0.1/24 dev tap1
	nsx ip link set tap1 up
	wait "$tnpid"
	st=$?
	tnpid=
	kill "$pypid" 2> /dev/null
	wait "$pypid" 2> /dev/null
	[ "$st" = 0 ] || fail "client: exit status $st: $(tail -3 "$tmp/cli.out")"
	grep -qx 'hello chunked world' "$tmp/cli.out" || fail "client: no chunked body"
	[ "$want" = "$(sha256sum < "$tmp/linux.got" 2> /dev/null)" ] ||
		fail "client: checksum of the file from Linux differs"
}
if command -v python3 > /dev/null; then
	client_case
else
	echo "note: python3 missing, tuxnet-to-Linux HTTP case skipped"
fi

if [ "$fails" -gt 0 ]; then
	echo "--- tuxnet output"
	cat "$tmp/tuxnet.out"
	echo "$fails failure(s)"
	exit 1
fi
echo "PASS: ping, curl (4 MB, sha256), nc, SIGTERM; tuxnet curl to Linux (chunked, 4 MB) in $NS"
exit 0
