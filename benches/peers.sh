#!/usr/bin/env bash
# govscore's crawl beside other crawlers, in one run, on one corpus: the crawl bench's
# generated portals (SITES sites × PAGES pages of 15 KB, served by a separate process on
# loopback under the names www.site0000.gov.cn…), politeness off. Each peer that is
# installed crawls every site to depth 3, WIDE processes (or requests) at a time; the script
# prints each one's pages/s and govscore's rate as a share of it. A peer that is not
# installed is named and skipped.
#
#   benches/peers.sh [SITES] [PAGES] [WIDE] [ROUNDS]      (default 100 100 16 5)
#
# GOVSCORE_BIN=path measures another govscore build (an older commit's, to compare). The
# work folder is mktemp's: TMPDIR=/dev/shm keeps every crawler's writes off the disk, whose
# write-back otherwise slows wget's ten thousand files by up to five times from one round
# to the next.
#
# This machine's speed moves by up to a factor of two between runs, for every crawler
# alike, so the peers run in turn, ROUNDS times: each round's ratio is taken within the
# round, and the median of the rounds' ratios is the figure.
#
# Peers: wget (`wget -r`, one process per site, WIDE at once) and spider_cli (`spider`,
# `cargo install spider_cli`, one process per site, with and without its WARC). govscore runs as a user would run it: the release binary's
# `crawl`, WARC and log written, WIDE sites in flight, 4 requests per site.
set -euo pipefail
cd "$(dirname "$0")/.."
SITES=${1:-100}
PAGES=${2:-100}
WIDE=${3:-16}
ROUNDS=${4:-5}

echo "== building govscore and the corpus server (release)"
cargo build --release --quiet --bin govscore
govscore=${GOVSCORE_BIN:-target/release/govscore}
server_bin=$(cargo bench --bench crawl --no-run --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*crawl-[^"]*"' | head -1 | cut -d'"' -f4)
[ -x "$server_bin" ] || { echo "the crawl bench binary was not built" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
coproc SERVER { exec "$server_bin" serve "$PAGES"; }
server_pid=$SERVER_PID
read -r port <&"${SERVER[0]}"
echo "corpus: $SITES sites × $PAGES pages on 127.0.0.1:$port, $WIDE wide, politeness off"

host() { printf 'www.site%04d.gov.cn' "$1"; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v t0="$2" -v t1="$3" 'BEGIN { printf "%.0f", n / (t1 - t0) }'; }
expected=$((SITES * PAGES))
declare -A rates

# govscore: the sites under their own names, resolved to the server.
: > "$work/sites.txt"
resolve=()
for ((i = 0; i < SITES; i++)); do
  echo "http://$(host "$i"):$port/ district 第${i}区" >> "$work/sites.txt"
  resolve+=(--resolve "$(host "$i"):$port:127.0.0.1")
done
round() {
  rm -rf "$work/govscore" "$work/wget" "$work"/spider-*
  t0=$(now)
  "$govscore" crawl --sites "$work/sites.txt" --out "$work/govscore" -q \
    --allow-net 127.0.0.0/8 --delay 0 --sites-in-flight "$WIDE" --per-host 4 \
    --concurrency $((WIDE * 4)) --max-pages "$PAGES" --max-depth 3 --check-links 0 \
    --dns-probe probe.invalid "${resolve[@]}" > /dev/null
  t1=$(now)
  # The pages each site's log says it fetched, not the pages there were to fetch.
  fetched=$(cat "$work"/govscore/log/*.jsonl | grep '"event":"site"' \
    | grep -o '"pages":[0-9]*' | awk -F: '{ n += $2 } END { print n + 0 }')
  rates[govscore]=$(rate "$fetched" "$t0" "$t1")
  echo "govscore: $fetched pages of $expected in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s = ${rates[govscore]} pages/s (WARC and log written)"

  if command -v wget > /dev/null; then
    t0=$(now)
    seq 0 $((SITES - 1)) | xargs -P "$WIDE" -I{} sh -c \
      'wget -q -r -l 3 -e robots=on -P "$0/wget/$1" --header "Host: $(printf www.site%04d.gov.cn "$1"):'"$port"'" "http://127.0.0.1:'"$port"'/" || true' \
      "$work" {}
    t1=$(now)
    fetched=$(find "$work/wget" -type f -name '*.html' | wc -l)
    rates[wget]=$(rate "$fetched" "$t0" "$t1")
    echo "wget -r, $WIDE processes: $fetched pages in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s = ${rates[wget]} pages/s (files written, no WARC)"
  else
    echo "wget: not installed, skipped"
  fi

  if command -v spider > /dev/null; then
    # spider_cli names no host header, so each process crawls the server's default portal
    # (the same pages as every other); the pages it lists (`crawl -o`) are counted. Its WARC
    # (-W) is plain text without digests; govscore's is gzipped per record with sha1 digests.
    for mode in warc bare; do
      mkdir -p "$work/spider-$mode"
      t0=$(now)
      seq 0 $((SITES - 1)) | xargs -P "$WIDE" -I{} sh -c \
        'if [ "$1" = warc ]; then set -- -W "$0/spider-warc/$2.warc"; else set --; fi
         spider --url "http://127.0.0.1:'"$port"'/" --depth 3 "$@" crawl -o 2>/dev/null' \
        "$work" "$mode" {} > "$work/spider-$mode/pages.txt" || true
      t1=$(now)
      fetched=$(grep -c '^http' "$work/spider-$mode/pages.txt" || true)
      rates[spider_cli_$mode]=$(rate "$fetched" "$t0" "$t1")
      echo "spider_cli ($mode), $WIDE processes: $fetched pages in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s = ${rates[spider_cli_$mode]} pages/s"
    done
  else
    echo "spider_cli: not installed (cargo install spider_cli), skipped"
  fi
}

declare -A ratios
for ((r = 1; r <= ROUNDS; r++)); do
  echo "== round $r of $ROUNDS"
  round
  for peer in wget spider_cli_warc spider_cli_bare; do
    if [ -n "${rates[$peer]:-}" ]; then
      ratio=$(awk -v g="${rates[govscore]}" -v p="${rates[$peer]}" 'BEGIN { printf "%.2f", g / p }')
      echo "govscore / $peer: $ratio"
      ratios[$peer]="${ratios[$peer]:-} $ratio"
    fi
  done
done

echo "== over $ROUNDS rounds"
for peer in wget spider_cli_warc spider_cli_bare; do
  if [ -n "${ratios[$peer]:-}" ]; then
    median=$(printf '%s\n' ${ratios[$peer]} | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "govscore / $peer: median $median (rounds:${ratios[$peer]})"
  fi
done
