#!/usr/bin/env bash
# Runs every fuzz target (or those named) for a bounded time each:
#
#   fuzz/run.sh                 # every target, 60 s each
#   FUZZ_SECONDS=600 fuzz/run.sh page_facts warc
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The seeds in
# fuzz/seeds/<target>/ are read, never written: what libFuzzer finds goes to a corpus under
# target/fuzz-corpus/ (ignored by git). A crash is written to fuzz/artifacts/<target>/ and
# stops the run with a non-zero exit: turn it into a regression test (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(dates charset sites indicators cases_manual page_facts warc)
fi
for t in "${targets[@]}"; do
  corpus="../target/fuzz-corpus/$t"
  mkdir -p "$corpus"
  echo "== $t (${seconds} s)"
  cargo +nightly fuzz run "$t" "$corpus" "seeds/$t" -- \
    -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
  if ls "artifacts/$t"/crash-* "artifacts/$t"/oom-* "artifacts/$t"/timeout-* >/dev/null 2>&1; then
    echo "$t: crash found, see fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
