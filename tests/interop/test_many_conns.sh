#!/bin/bash
# 1,000 concurrent Linux connections to a tuxnet epoll server over a TAP
# (root only).
#
# The server is tn-epoll-server (examples/api/tap_epoll_server.c): a program
# on tuxnet's public API that builds its own TAP world and serves every
# connection from one thread with tn_epoll_wait (level-triggered), echoing
# what each sends; its control port answers `ss`/`nstat` lines with the
# stack's own output. A Python client in the test's namespace opens 1,000
# TCP connections at once (non-blocking connects), sends each its own
# request and checks every echo byte for byte while holding all of them
# open, then asks the control port for `ss -t -n`: tuxnet must show 1,000
# established connections to port 8080. Then the client closes everything,
# the server is stopped with SIGTERM and must exit 0 with the TAP gone.
# Bounded: 60 s for the client, 120 s for the server.
# docs/interop.md ("1,000 connections") has the same by hand.
TN_CASE=conns
. "$(dirname "$0")/common.sh"
need python3
N=${TN_INTEROP_CONNS:-1000}
SRV=${TN_EPOLL_SERVER:-$TN_BUILD_DIR/examples/api/tn-epoll-server}
[ -x "$SRV" ] || skip "no $SRV (build first)"

cat > "$tmp/many.py" << 'PY'
# many.py N ADDR PORT CTLPORT SSFILE: N concurrent connections, one request
# each, every echo checked while all are open; then tuxnet's `ss -t -n`
# (asked on CTLPORT) into SSFILE; then close them all.
import os, resource, selectors, socket, sys, time

n, addr, port, ctl, ssfile = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 64)), hard))
deadline = time.monotonic() + 45
sel = selectors.DefaultSelector()
socks, reqs = [], []
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((addr, port))
    socks.append(s)
    # Each request names its connection, so a mixed-up answer is seen.
    reqs.append(("connection %04d of %d: " % (i, n) + "abcdefghij" * (i % 7 + 1) + "\n").encode())
    sel.register(s, selectors.EVENT_WRITE, i)
bufs = [b""] * n
pending, connected = n, 0
while pending and time.monotonic() < deadline:
    for key, ev in sel.select(timeout=1):
        i, s = key.data, key.fileobj
        if ev & selectors.EVENT_WRITE:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                sys.exit("connection %d: %s" % (i, os.strerror(err)))
            connected += 1
            s.send(reqs[i])
            sel.modify(s, selectors.EVENT_READ, i)
            continue
        data = s.recv(65536)
        if not data:
            sys.exit("connection %d: closed by tuxnet before the answer" % i)
        bufs[i] += data
        if len(bufs[i]) >= len(reqs[i]):
            if bufs[i] != reqs[i]:
                sys.exit("connection %d: wrong answer: %r" % (i, bufs[i][:80]))
            sel.unregister(s)
            pending -= 1
if pending:
    sys.exit("%d of %d answers missing after 45 s (%d connected)" % (pending, n, connected))
print("answered: %d of %d, all open" % (n, n), flush=True)
c = socket.create_connection((addr, ctl), timeout=10)
c.sendall(b"ss -t -n\n")
out = b""
while True:
    d = c.recv(65536)
    if not d:
        break
    out += d
c.close()
open(ssfile, "wb").write(out)
for s in socks:
    s.close()
print("closed", flush=True)
PY

# The server builds tn0 (10.77.0.2/24) on a TAP whose host side is tap0.
(exec timeout -s KILL 120 ip netns exec "$NS" $TN_STDBUF "$SRV" -t 110) \
	> "$tmp/srv.out" 2> "$tmp/srv.err" &
tnpid=$!
for _ in $(seq 100); do
	grep -q '^tn-epoll-server: listening' "$tmp/srv.out" && break
	kill -0 "$tnpid" 2> /dev/null || break
	sleep 0.05
done
if ! grep -q '^tn-epoll-server: listening' "$tmp/srv.out"; then
	fail "tn-epoll-server did not start: $(head -3 "$tmp/srv.err")"
	finish
fi
nsx ip addr add "$LX/24" dev tap0
nsx ip link set tap0 up

nsx timeout 60 python3 "$tmp/many.py" "$N" $TN 8080 7777 "$tmp/ss.txt" > "$tmp/many.out" 2>&1 ||
	fail "client: exit status $?: $(tail -3 "$tmp/many.out")"
grep -q "^answered: $N of $N" "$tmp/many.out" && ok "$N concurrent requests echoed" ||
	fail "client: $(tail -3 "$tmp/many.out")"
est=$(grep -cE "^ESTAB .* $TN:8080 " "$tmp/ss.txt" 2> /dev/null)
[ "$est" = "$N" ] && ok "tuxnet's ss: $est established connections to :8080" ||
	fail "tuxnet's ss shows ${est:-no} established connections to :8080, not $N"
grep -q '^closed$' "$tmp/many.out" || fail "client did not close"

# What the stack counted, through the same control port.
nsx timeout 15 python3 - "$TN" > "$tmp/nstat.txt" 2>&1 << 'PY' || true
import socket, sys
c = socket.create_connection((sys.argv[1], 7777), timeout=10)
c.sendall(b"nstat -a TcpPassiveOpens TcpExtListenOverflows TcpExtListenDrops\n")
while True:
    d = c.recv(4096)
    if not d:
        break
    sys.stdout.write(d.decode())
PY
grep -E '^Tcp' "$tmp/nstat.txt" | sed 's/^/  tuxnet: /'

kill -TERM "$tnpid" 2> /dev/null
tn_wait
st=$?
[ "$st" = 0 ] && ok "tn-epoll-server exited 0 on SIGTERM" ||
	fail "tn-epoll-server exited $st on SIGTERM: $(tail -3 "$tmp/srv.err")"
grep -qE "^tn-epoll-server: stopped by a signal; $N connections, at most $N at once" "$tmp/srv.out" &&
	ok "$(tail -1 "$tmp/srv.out")" || fail "server summary: $(tail -1 "$tmp/srv.out")"
nsx ip link show tap0 > /dev/null 2>&1 && fail "tap0 is still there after the server exited"
if [ "$fails" -gt 0 ]; then
	echo "--- tn-epoll-server: stdout"; tail -5 "$tmp/srv.out"
	echo "--- tn-epoll-server: stderr"; tail -20 "$tmp/srv.err"
fi
finish "$N concurrent connections to tuxnet's epoll server in $NS"
