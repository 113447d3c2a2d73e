#!/bin/bash
# The scenarios of tests/linux/ written as a Linux user types them, checked
# against Linux (docs/scenarios.md, "Checked against Linux"):
#
# 1. tuxnet's output, normalized (MACs, timings, qdisc handles), must be the
#    output Linux printed for the same lines (NAME.linux, recorded with
#    `scripts/linux-diff.sh -m record` in namespaces of its own), or differ
#    from it exactly as NAME.known says (a deviation docs/deviations.md
#    explains). No root needed.
# 2. As root, Linux itself runs every scenario again (in a private mount and
#    network namespace; nothing touches the root namespace) and must still
#    print the recording: so the recordings stay Linux's, not ours.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
diff_tool=$TN_SOURCE_DIR/scripts/linux-diff.sh
scenarios=("$TN_SOURCE_DIR"/tests/linux/*.tn)
fails=0

out=$(bash "$diff_tool" -t "$TN_TOOL" -m golden "${scenarios[@]}")
echo "$out"
n_same=$(echo "$out" | grep -c '^same')
if echo "$out" | grep -qE '^(DIFFERS|BROKEN)'; then
	echo "FAIL: tuxnet differs from the recorded Linux output"
	fails=$((fails + 1))
fi
# Every scenario but those Linux here cannot run must have been compared.
[ "$n_same" -ge 15 ] || { echo "FAIL: only $n_same scenarios compared"; fails=$((fails + 1)); }

if [ "$(id -u)" = 0 ] && unshare --mount --net true 2> /dev/null; then
	out=$(bash "$diff_tool" -t "$TN_TOOL" -m relinux "${scenarios[@]}")
	echo "$out"
	if echo "$out" | grep -qE '^(DIFFERS|BROKEN)'; then
		echo "FAIL: Linux here prints something else than the recordings"
		fails=$((fails + 1))
	fi
else
	echo "note: not root (or no unshare): Linux itself was not run; the recordings were used"
fi

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "ok"
