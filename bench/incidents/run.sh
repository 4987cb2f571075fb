#!/usr/bin/env bash
# The incidents benchmark: the `incidents` observer through the engine against
# `LC_ALL=C grep -c -E -i` and `rg -c -i` with the same pattern, on the same file, in one run.
#
#   bench/incidents/run.sh [--corpus FILE] [--size SIZE] [--runs N] [--read-chunk SIZE]
#                          [--build-dir DIR] [--rt]
#
# --corpus: the log to scan. When FILE does not exist it is generated there (and kept, so a
# second run reuses it); without --corpus a corpus is generated in a temporary directory and
# deleted afterwards. Either way it comes from
#   logtail-loggen --out FILE --bytes SIZE --rate 0 --incident-bursts --seed 1
# --size: the generated corpus's size (default 1GiB). --runs: runs of each contender (default
# 3; the best counts). --read-chunk: the engine's read_chunk_bytes (default: the engine's
# own). --build-dir: where to build (default build/bench, Release). --rt: run the benchmark
# (and so grep and rg, its children) under SCHED_FIFO (`chrt -f 10`, needs root or
# CAP_SYS_NICE), so that on a machine busy with other work the figures show the programs'
# own speed rather than their share of the cores.
#
# Needs grep and ripgrep (Debian package ripgrep; without it the rg column is left out).
# Prints every run, then a markdown table for docs/benchmarks.md.
set -euo pipefail

corpus=
size=1GiB
runs=3
read_chunk=
prio=()
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$root/build/bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) corpus=${2:?--corpus needs a file}; shift 2 ;;
    --size) size=${2:?--size needs a value, e.g. 1GiB}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --read-chunk) read_chunk=${2:?--read-chunk needs a size, e.g. 1MiB}; shift 2 ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    --rt) prio=(chrt -f 10); shift ;;
    *) echo "run.sh: unknown option '$1'; see the top of bench/incidents/run.sh" >&2; exit 2 ;;
  esac
done
command -v rg >/dev/null || echo "run.sh: rg not found; install ripgrep to compare with it" >&2

jobs=$(nproc 2>/dev/null || echo 2)
echo "== building in $build" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLOGTAIL_BUILD_BENCH=ON \
      -DLOGTAIL_BUILD_TESTS=OFF -DLOGTAIL_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j"$jobs" --target logtail-loggen logtail-bench-incidents >/dev/null

if [[ -z $corpus ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/logtail-bench-incidents-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  corpus=$work/app.log
fi
if [[ ! -e $corpus ]]; then
  echo "== generating $size of log in $corpus" >&2
  "$build/examples/loggen/logtail-loggen" --out "$corpus" --bytes "$size" --rate 0 \
      --incident-bursts --seed 1
fi

args=("$corpus" --runs "$runs")
[[ -n $read_chunk ]] && args+=(--read-chunk "$read_chunk")
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown)
echo "== incidents vs grep and rg" >&2
out=$("${prio[@]}" "$build/bench/incidents/logtail-bench-incidents" "${args[@]}" | tee /dev/stderr)
result=$(grep '^result ' <<<"$out")
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$result" | head -n1; }

echo
machine="$(nproc) cores, $(uname -sr), load average $load at the start"
[[ ${#prio[@]} -gt 0 ]] && machine+=", run under ${prio[*]}"
echo "| what (best of $runs; $machine) | GB/s wall | GB/s CPU |"
echo "| --- | --- | --- |"
echo "| corpus: $(field bytes) bytes, $(field count) matching lines," \
     "counts equal: $(field counts_equal) | | |"
echo "| bare Hyperscan scan, 4 MiB blocks in memory | $(field bare_gbps) | $(field bare_cpu_gbps) |"
echo "| \`incidents\` through the engine, counting sink | $(field logtail_gbps) | $(field logtail_cpu_gbps) |"
echo "| \`LC_ALL=C grep -c -E -i\` | $(field grep_gbps) | $(field grep_cpu_gbps) |"
if command -v rg >/dev/null; then
  echo "| \`rg -c -i\` | $(field rg_gbps) | $(field rg_cpu_gbps) |"
fi
echo "| incidents / grep | $(field vs_grep)x | $(field vs_grep_cpu)x |"
if command -v rg >/dev/null; then
  echo "| incidents / rg | $(field vs_rg)x | $(field vs_rg_cpu)x |"
fi
