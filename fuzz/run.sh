#!/usr/bin/env bash
# Run the libFuzzer targets of a fuzz build: fuzz/run.sh BUILD smoke|long [TARGET...]
#
#   smoke  a few seconds per target, starting from the seed corpus (the
#          `make test` gate: about 25 s in all)
#   long   FUZZ_SECONDS per target (default 300)
#
# The seeds are copied into a scratch directory so that what the fuzzer finds
# never lands in the source tree. A crash, a sanitizer report, a leak or a
# timeout is a finding: the input is kept under BUILD/fuzz-findings/ and the
# script exits non-zero.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: fuzz/run.sh BUILD smoke|long [TARGET...]}
mode=${2:?usage: fuzz/run.sh BUILD smoke|long [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_rx fuzz_arp fuzz_eth)

# Seconds per target. The receive path gets the most: it is the one with
# state, and the parser targets saturate within seconds.
seconds_for() {
	case "$mode" in
	smoke) [ "$1" = fuzz_rx ] && echo 15 || echo 5 ;;
	long) echo "${FUZZ_SECONDS:-300}" ;;
	*) echo "fuzz/run.sh: unknown mode '$mode' (smoke|long)" >&2; exit 2 ;;
	esac
}

max_len_for() {
	[ "$1" = fuzz_rx ] && echo 4096 || echo 256
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tuxnet-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
findings="$build/fuzz-findings"
status=0

run_target() {
	local t=$1 bin="$build/fuzz/$1" secs log
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin not built (make fuzz-build)" >&2
		return 1
	fi
	secs=$(seconds_for "$t")
	mkdir -p "$scratch/$t/corpus" "$scratch/$t/artifacts"
	if [ -d "$here/corpus/$t" ]; then
		cp "$here/corpus/$t"/* "$scratch/$t/corpus/"
	fi
	log="$scratch/$t/log"
	if "$bin" "$scratch/$t/corpus" \
		-max_total_time="$secs" -max_len="$(max_len_for "$t")" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$scratch/$t/artifacts/" >"$log" 2>&1; then
		echo "fuzz: $t ok (${secs}s): $(grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)' "$log" | tail -1)"
		return 0
	fi
	echo "fuzz: $t FOUND SOMETHING; log tail:" >&2
	tail -40 "$log" >&2
	mkdir -p "$findings/$t"
	cp "$scratch/$t/artifacts"/* "$log" "$findings/$t/" 2>/dev/null || true
	echo "fuzz: reproduce with: $bin $findings/$t/<artifact>" >&2
	return 1
}

for t in "${targets[@]}"; do
	run_target "$t" || status=1
done
exit $status
