#!/usr/bin/env bash
# The logtail demo: builds logtail, writes a log that grows and rotates for a
# while with bursts of incidents, and follows it with the `logtail` command,
# which finds the incidents and prints one summary sentence per burst.
#
#   bash examples/demo.sh            # about 20 seconds
#   DEMO_SECONDS=5 bash examples/demo.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${DEMO_SECONDS:-20}
build=build/demo
bin=$PWD/$build/bin

.ci/install-deps
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOGTAIL_BUILD_TESTS=OFF \
  -DCMAKE_RUNTIME_OUTPUT_DIRECTORY="$bin" >/dev/null
cmake --build "$build" -j "$(nproc)" --target logtail logtail-loggen

work=$(mktemp -d)
loggen_pid=
cleanup() {
  [ -z "$loggen_pid" ] || kill "$loggen_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log=$work/app.log
# The log grows at 10 lines a second, rotates now and then, and has bursts of
# errors, for a little longer than the demo watches it.
"$bin/logtail-loggen" --out "$log" --rate 10 --seconds $((seconds + 5)) \
  --rotate-after 100 --incident-bursts --clock wall &
loggen_pid=$!

# What watches the log. The one line to change when the demo grows.
watcher=("$bin/logtail" --from beginning --observer incidents --sink summary
  --summary-window 3s "$log")

echo "==> following $log for ${seconds}s"
# After the given time, timeout sends SIGINT, which asks logtail to flush and
# exit 0; logtail's own exit status is passed on.
status=0
timeout --foreground --preserve-status -s INT "$seconds" "${watcher[@]}" || status=$?
echo "==> logtail stopped (exit status $status)"
exit "$status"
