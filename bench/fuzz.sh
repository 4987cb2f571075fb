#!/usr/bin/env bash
# Builds logtail's libFuzzer targets (tests/fuzz, clang, in build/fuzz) and runs each for a
# set time on a copy of its seed corpus, so the corpus in the repository stays as it is.
#
#   bench/fuzz.sh [--seconds N] [--build-dir DIR] [--jobs N] [--parallel N] [TARGET...]
#
# --seconds: how long each target runs (default 60). --build-dir: where to build (default
# build/fuzz); a directory already configured with LOGTAIL_BUILD_FUZZERS=ON (such as CI's
# sanitizer build) is used as it is configured. --jobs: parallel compile jobs (default 2).
# --parallel: how many targets run at once (default 1). TARGET: splitter, checkpoint_codec,
# rule_parser, rule_eval, incident_report, speech_text (default: all of them).
# Exits non-zero if any target crashes, printing the crashing input's path and the end of the
# fuzzer's report; docs/delivery-semantics.md ("Fuzzing") says how to turn it into a test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/fuzz
seconds=60
jobs=2
parallel=1
targets=()
all=(splitter checkpoint_codec rule_parser rule_eval incident_report speech_text)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --parallel) parallel=${2:?--parallel needs a number}; shift 2 ;;
    -*) echo "fuzz.sh: unknown option '$1'; see the top of bench/fuzz.sh" >&2; exit 2 ;;
    *)
      if [[ ! -d $root/tests/fuzz/corpus/$1 ]]; then
        echo "fuzz.sh: unknown target '$1'; the targets are: ${all[*]}" >&2
        exit 2
      fi
      targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
[[ $build = /* ]] || build=$PWD/$build

# A new build directory builds only the fuzz targets: they compile the sources they exercise
# themselves, so the libraries, tests, examples and optional sinks are all left off.
echo "== building ${targets[*]} in $build" >&2
if ! grep -qs '^LOGTAIL_BUILD_FUZZERS:BOOL=ON$' "$build/CMakeCache.txt"; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DLOGTAIL_BUILD_FUZZERS=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
    -DLOGTAIL_BUILD_TESTS=OFF -DLOGTAIL_BUILD_EXAMPLES=OFF -DLOGTAIL_WITH_SUMMARIZER=OFF \
    -DLOGTAIL_WITH_SPEAKER=OFF -DLOGTAIL_WITH_HYPERSCAN=OFF >/dev/null
fi
cmake --build "$build" -j"$jobs" --target "${targets[@]/%/_fuzz}" >/dev/null

work=$(mktemp -d -t logtail-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT

# Runs target $1 on a copy of its corpus; its exit status goes to $work/$1.status.
run_target() {
  local t=$1 corpus=$work/$1 status=0
  cp -r "$root/tests/fuzz/corpus/$t" "$corpus"
  # Crashing inputs are kept next to the build, outside the temporary directory.
  mkdir -p "$build/fuzz-artifacts/$t"
  "$build/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 \
    -artifact_prefix="$build/fuzz-artifacts/$t/" -print_final_stats=1 "$corpus" \
    >"$build/fuzz-artifacts/$t.log" 2>&1 || status=$?
  echo "$status" >"$work/$t.status"
}

echo "== running each target for ${seconds}s, $parallel at a time" >&2
for t in "${targets[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $parallel ]]; do wait -n || true; done
  run_target "$t" &
done
wait

failed=()
for t in "${targets[@]}"; do
  log=$build/fuzz-artifacts/$t.log
  if [[ $(cat "$work/$t.status" 2>/dev/null) = 0 ]]; then
    echo "== $t:" "$(grep -E '^stat::number_of_executed_units' "$log" || true)" >&2
  else
    failed+=("$t")
    echo "!! $t crashed; the fuzzer's report ends with:" >&2
    grep -v -E '^(INFO|#[0-9])' "$log" | tail -n 25 >&2
    echo "!! crashing input(s):" >&2
    ls -t "$build/fuzz-artifacts/$t"/* 2>/dev/null | head -n 3 | sed 's/^/   /' >&2
    echo "!! reproduce: $build/tests/fuzz/${t}_fuzz <input>; full log: $log" >&2
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "== FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "== all ${#targets[@]} targets ran ${seconds}s without a crash" >&2
