#!/bin/bash
# 1,000 concurrent Linux connections to tuxnet's httpd over a TAP (root only).
#
# httpd (tools/cmd/httpd.c) is tuxnet's event-driven server: one job that
# polls its listener and up to 1,024 connections. A Python client in the
# test's namespace opens 1,000 TCP connections at once (non-blocking
# connects), then sends one HTTP/1.1 keep-alive request on each, checks
# every answer (status 200, the body byte for byte) while holding all of
# them open, and only then tells tuxnet to count: tuxnet's `ss -t -n` must
# show 1,000 established connections to port 8080. Then the client closes
# everything. Bounded: 60 s for the client, 120 s for tuxnet.
# docs/interop.md ("1,000 connections") has the same by hand.
TN_CASE=conns
. "$(dirname "$0")/common.sh"
need python3
N=${TN_INTEROP_CONNS:-1000}

mkdir -p "$tmp/www"
python3 -c 'import sys; sys.stdout.write("".join("line %04d of the page\n" % i for i in range(200)))' \
	> "$tmp/www/page.txt"

cat > "$tmp/many.py" << 'PY'
# many.py N ADDR PORT FILE BARRIER_PORT COUNTED: N concurrent keep-alive
# connections, one GET each, every answer checked; then connect to
# BARRIER_PORT (tuxnet's nc -l) and hold everything until COUNTED exists.
import os, resource, selectors, socket, sys, time

n, addr, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
body = open(sys.argv[4], "rb").read()
barrier, counted = int(sys.argv[5]), sys.argv[6]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 64)), hard))
deadline = time.monotonic() + 45
sel = selectors.DefaultSelector()
socks = []
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((addr, port))
    socks.append(s)
    sel.register(s, selectors.EVENT_WRITE, i)
# Connected: writable without error. Then the request.
req = b"GET /page.txt HTTP/1.1\r\nHost: %s\r\n\r\n" % addr.encode()
head_want = b"HTTP/1.1 200 OK\r\n"
bufs = [b""] * n
pending = n
connected = 0
while pending and time.monotonic() < deadline:
    for key, ev in sel.select(timeout=1):
        i, s = key.data, key.fileobj
        if ev & selectors.EVENT_WRITE:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                sys.exit("connection %d: %s" % (i, os.strerror(err)))
            connected += 1
            s.send(req)
            sel.modify(s, selectors.EVENT_READ, i)
            continue
        data = s.recv(65536)
        if not data:
            sys.exit("connection %d: closed by tuxnet before the answer" % i)
        bufs[i] += data
        head, sep, rest = bufs[i].partition(b"\r\n\r\n")
        if sep and len(rest) >= len(body):
            if not head.startswith(head_want) or rest != body:
                sys.exit("connection %d: wrong answer: %r" % (i, bufs[i][:80]))
            sel.unregister(s)
            pending -= 1
if pending:
    sys.exit("%d of %d answers missing after 45 s (%d connected)" % (pending, n, connected))
print("answered: %d of %d, all open" % (n, n), flush=True)
b = socket.create_connection((addr, barrier), timeout=10)
b.sendall(b"all answered\n")
b.close()
while not os.path.exists(counted) and time.monotonic() < deadline + 10:
    time.sleep(0.05)
for s in socks:
    s.close()
print("closed", flush=True)
PY

tn_start conns -t 120 \
	"httpd -p 8080 -d $tmp/www &" \
	"echo serving" \
	"nc -l -p 7777" \
	"ss -t -n" \
	"echo counted" \
	"nstat -a TcpActiveOpens TcpPassiveOpens TcpExtListenOverflows TcpExtListenDrops TcpExtTCPAbortOnData" \
	"sleep 1d" || finish
tn_await conns '^serving$' 10 || fail "httpd did not start"

nsx timeout 60 python3 "$tmp/many.py" "$N" $TN 8080 "$tmp/www/page.txt" 7777 "$tmp/counted" \
	> "$tmp/many.out" 2>&1 &
pypid=$!
if tn_await conns '^counted$' 60; then
	est=$(grep -cE "^ESTAB .* $TN:8080 " "$tmp/conns.out")
	[ "$est" = "$N" ] && ok "tuxnet's ss: $est established connections to :8080" ||
		fail "tuxnet's ss shows $est established connections to :8080, not $N"
else
	fail "tuxnet never counted: $(tail -3 "$tmp/many.out")"
fi
touch "$tmp/counted"
wait "$pypid" || fail "client: exit status $?: $(tail -3 "$tmp/many.out")"
grep -q "^answered: $N of $N" "$tmp/many.out" && ok "$N concurrent requests answered" ||
	fail "client: $(tail -3 "$tmp/many.out")"
grep -q '^closed$' "$tmp/many.out" || fail "client did not close"

tn_await conns 'TcpPassiveOpens' 10
grep -E '^Tcp' "$tmp/conns.out" | sed 's/^/  tuxnet: /'
tn_stop
[ "$fails" -gt 0 ] && tn_show conns
finish "$N concurrent keep-alive connections to tuxnet's httpd in $NS"
