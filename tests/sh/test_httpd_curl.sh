#!/bin/bash
# httpd and curl, tuxnet to tuxnet over a veth pair, in virtual time: a
# file, a 404 (and curl -f's exit 22), HEAD, two requests on one kept-alive
# connection (httpd -v logs the same client port twice), a directory's
# index.html, a malformed request (400 via nc), a 10 MB file compared by
# sha256, a refused connection (exit 7) and a connect timeout (exit 28).
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")

tmp=$(mktemp -d /tmp/tn-httpd.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
expect_line() {
	grep -qxF -- "$2" "$1" || fail "$(basename "$1") has no line: $2"
}

mkdir -p "$tmp/www/sub"
printf 'hello world\n' > "$tmp/www/hello.txt"
printf '<h1>index</h1>\n' > "$tmp/www/sub/index.html"
head -c 10485760 /dev/urandom > "$tmp/www/big.bin"

world='ip netns add srv
ip netns add cli
ip -n cli link add veth0 type veth peer name veth1 netns srv
ip -n cli addr add 10.9.0.1/24 dev veth0
ip -n srv addr add 10.9.0.2/24 dev veth1
ip -n cli link set veth0 up
ip -n srv link set veth1 up
ip netns exec srv httpd -p 8080 -d www -v &'

# run NAME LINES...: the world, then the lines, in $tmp; output to NAME.out.
run() {
	local name=$1
	shift
	{ echo "$world"; printf '%s\n' "$@"; } > "$tmp/$name.tn"
	(cd "$tmp" && timeout 120 "$TN_TOOL" run "$name.tn") > "$tmp/$name.out" 2>&1
}

run basic \
	'ip netns exec cli curl -s http://10.9.0.2:8080/hello.txt' \
	'ip netns exec cli curl -I http://10.9.0.2:8080/hello.txt' \
	'ip netns exec cli curl http://10.9.0.2:8080/none' \
	'! ip netns exec cli curl -s -f http://10.9.0.2:8080/none' \
	'ip netns exec cli curl http://10.9.0.2:8080/hello.txt http://10.9.0.2:8080/sub/' ||
	fail "basic: exit status $?: $(tail -3 "$tmp/basic.out")"
out=$tmp/basic.out
expect_line "$out" 'hello world'
expect_line "$out" $'HTTP/1.1 200 OK\r'
expect_line "$out" $'Content-Length: 12\r'
expect_line "$out" '404 Not Found'
expect_line "$out" '<h1>index</h1>'
grep -qE '"HEAD /hello.txt HTTP/1.1" 200 0$' "$out" || fail "basic: HEAD not logged"
[ "$(grep -c '"GET /none HTTP/1.1" 404' "$out")" = 2 ] || fail "basic: 404s not logged twice"
# Keep-alive: the last two requests share one client port.
ports=$(grep -E '"GET /(hello.txt|sub/) ' "$out" | tail -2 | awk '{ print $2 }' | sort -u | wc -l)
[ "$ports" = 1 ] || fail "basic: the two requests used $ports connections"

# A malformed request line gets a 400 and the connection is closed.
run bad "ip netns exec cli nc -e 'GARBAGE' -q 5 10.9.0.2 8080" ||
	fail "bad: exit status $?: $(tail -3 "$tmp/bad.out")"
expect_line "$tmp/bad.out" $'HTTP/1.1 400 Bad Request\r'

# 10 MB, compared by checksum.
run big 'ip netns exec cli curl -s -o big.got http://10.9.0.2:8080/big.bin' ||
	fail "big: exit status $?: $(tail -3 "$tmp/big.out")"
[ "$(sha256sum < "$tmp/www/big.bin")" = "$(sha256sum < "$tmp/big.got" 2> /dev/null)" ] ||
	fail "big: checksum differs"

# curl's exit codes: refused (7), connect timeout (28).
run refused 'ip netns exec cli curl http://10.9.0.2:8081/'
st=$?
[ "$st" = 7 ] || fail "refused: exit status $st, not 7"
expect_line "$tmp/refused.out" \
	"curl: (7) Failed to connect to 10.9.0.2 port 8081 after 0 ms: Couldn't connect to server"
run timeout 'ip netns exec cli curl --connect-timeout 2 http://10.9.0.3:8080/'
st=$?
[ "$st" = 28 ] || fail "timeout: exit status $st, not 28"
grep -q '^curl: (28) Failed to connect to 10.9.0.3 port 8080 after 2000 ms' "$tmp/timeout.out" ||
	fail "timeout: no curl (28) line"

if [ "$fails" -gt 0 ]; then
	echo "$fails failure(s)"
	exit 1
fi
echo "PASS: httpd and curl in virtual time"
exit 0
