#!/bin/bash
# The five I/O models (examples/io-models, docs/io-models.md) as a user
# builds them: install the build into a temporary prefix, compile each
# model's server with the shared driver against it with nothing but
# `pkg-config --cflags --libs tuxnet`, and run it with a modest number of
# connections. Each program checks every echoed byte itself and prints its
# costs (calls, EAGAINs, waits, wake-ups, wall time), shown here, never
# compared. Skips (77) with the reason when a tool is missing or the
# library lacks a call the examples need.
set -u

TN_BUILD_DIR=${TN_BUILD_DIR:-build}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CC=${CC:-cc}
NCONN=${TN_IOM_CONNS:-40}
BYTES=${TN_IOM_BYTES:-8192}
src=$TN_SOURCE_DIR/examples/io-models

for tool in pkg-config "$CC" nm; do
	command -v "$tool" > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[ -f "$TN_BUILD_DIR/CMakeCache.txt" ] || { echo "SKIP: no build at $TN_BUILD_DIR"; exit 77; }

tmp=$(mktemp -d /tmp/tn-io-models.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$TN_BUILD_DIR" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log"
	echo "FAIL: cmake --install into a temporary prefix"
	exit 1
}
libdir=$(dirname "$(find "$tmp/prefix" -name 'tuxnet.pc' | head -n 1)")/..
libdir=$(cd "$libdir" && pwd)
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ -f "$tmp/prefix/include/tuxnet/tuxnet_aio.h" ] || { echo "FAIL: tuxnet_aio.h not installed"; exit 1; }

needed="tn_stack_create tn_command tn_stack_start_thread tn_setns tn_socket tn_bind
        tn_listen tn_accept tn_accept4 tn_connect tn_setsockopt tn_send tn_recv tn_close
        tn_fcntl tn_poll tn_epoll_create1 tn_epoll_ctl tn_epoll_wait tn_stack_destroy
        tn_aio_create tn_aio_submit_read tn_aio_submit_write tn_aio_submit_accept
        tn_aio_getevents tn_aio_get_stats tn_aio_destroy"
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
fails=0
run() {   # run NAME ARGS...: one model, its output shown, its bytes checked
	local name=$1; shift
	if ! timeout 120 "$tmp/$name" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
		cat "$tmp/$name.out" "$tmp/$name.err"
		echo "FAIL: $name $*"
		fails=$((fails + 1))
		return
	fi
	grep -q ": ok, $NCONN connections, every byte checked" "$tmp/$name.out" || {
		cat "$tmp/$name.out"
		echo "FAIL: $name did not report every byte checked"
		fails=$((fails + 1))
		return
	}
	grep -E '^(model=|aio:)' "$tmp/$name.out"
}

for model in blocking nonblocking poll epoll sigio aio; do
	# shellcheck disable=SC2086
	if ! "$CC" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$tmp/$model" \
		"$src/$model.c" "$src/iomodel.c" $flags -lpthread -Wl,-rpath,"$libdir" \
		2> "$tmp/cc.log"; then
		cat "$tmp/cc.log"
		echo "FAIL: $model.c does not compile against the installed library ($flags)"
		exit 1
	fi
done

run blocking "$NCONN" "$BYTES"
run nonblocking "$NCONN" "$BYTES"
run poll "$NCONN" "$BYTES"
run epoll lt "$NCONN" "$BYTES"
run epoll et "$NCONN" "$BYTES"
run sigio "$NCONN" "$BYTES"
run aio "$NCONN" "$BYTES"

if [ "$fails" -ne 0 ]; then
	echo "FAIL: $fails model(s)"
	exit 1
fi
echo "ok"
