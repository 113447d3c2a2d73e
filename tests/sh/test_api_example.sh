#!/bin/bash
# The public API as a user meets it: install the build into a temporary
# prefix, compile examples/api/udp_echo.c against it with nothing but
# `pkg-config --cflags --libs tuxnet`, run it, and check that the three
# echoes crossed the veth pair between its two namespaces. Also compile
# examples/api/tap_epoll_server.c the same way (it needs root and a TAP to
# run: tests/interop/test_many_conns.sh runs the build tree's copy).
# Skips (77) with the reason when a tool is missing or the library does not
# provide the calls the example needs yet.
set -u

TN_BUILD_DIR=${TN_BUILD_DIR:-build}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CC=${CC:-cc}
example=$TN_SOURCE_DIR/examples/api/udp_echo.c

for tool in pkg-config "$CC" nm; do
	command -v "$tool" > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[ -f "$TN_BUILD_DIR/CMakeCache.txt" ] || { echo "SKIP: no build at $TN_BUILD_DIR"; exit 77; }

tmp=$(mktemp -d /tmp/tn-api-example.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$TN_BUILD_DIR" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log"
	echo "FAIL: cmake --install into a temporary prefix"
	exit 1
}
libdir=$(dirname "$(find "$tmp/prefix" -name 'tuxnet.pc' | head -n 1)")/..
libdir=$(cd "$libdir" && pwd)
export PKG_CONFIG_PATH=$libdir/pkgconfig

# The calls the example makes; until the socket layer exports them all the
# example cannot link, which is a skip, not a failure.
needed="tn_stack_create tn_command tn_stack_start_thread tn_setns tn_socket tn_bind
        tn_connect tn_setsockopt tn_send tn_recv tn_sendto tn_recvfrom tn_close
        tn_stack_destroy tn_listen tn_accept4 tn_epoll_create1 tn_epoll_ctl tn_epoll_wait"
exported=$(nm -D --defined-only "$libdir/libtuxnet.so" 2>/dev/null | awk '{print $3}')
lacking=""
for f in $needed; do
	printf '%s\n' "$exported" | grep -qx "$f" || lacking="$lacking $f"
done
if [ -n "$lacking" ]; then
	echo "SKIP: libtuxnet.so does not export yet:$lacking"
	exit 77
fi

flags=$(pkg-config --cflags --libs tuxnet) || { echo "FAIL: pkg-config tuxnet"; exit 1; }
# shellcheck disable=SC2086
if ! "$CC" -std=c11 -Wall -Wextra -Werror -o "$tmp/udp_echo" "$example" $flags \
	-lpthread -Wl,-rpath,"$libdir" 2> "$tmp/cc.log"; then
	cat "$tmp/cc.log"
	echo "FAIL: the example does not compile against the installed library ($flags)"
	exit 1
fi

# shellcheck disable=SC2086
if ! "$CC" -std=c11 -Wall -Wextra -Werror -o "$tmp/tap_epoll_server" \
	"$TN_SOURCE_DIR/examples/api/tap_epoll_server.c" $flags -lpthread \
	-Wl,-rpath,"$libdir" 2> "$tmp/cc.log"; then
	cat "$tmp/cc.log"
	echo "FAIL: tap_epoll_server.c does not compile against the installed library ($flags)"
	exit 1
fi

timeout 60 "$tmp/udp_echo" > "$tmp/out" 2> "$tmp/err"
rc=$?
fails=0
for i in 1 2 3; do
	grep -qxF "echo: hello $i from the client namespace" "$tmp/out" || {
		echo "FAIL: echo $i missing"
		fails=$((fails + 1))
	}
done
grep -qxF "udp_echo: ok" "$tmp/out" || fails=$((fails + 1))
if [ "$rc" -ne 0 ] || [ "$fails" -ne 0 ]; then
	echo "--- stdout"; cat "$tmp/out"
	echo "--- stderr"; cat "$tmp/err"
	echo "FAIL: udp_echo exited $rc with $fails missing line(s)"
	exit 1
fi
cat "$tmp/out"
echo "ok"
