#!/usr/bin/env bash
# The logtail demo: builds logtail, writes a log that grows with bursts of incidents and
# rotates once, and follows it with incident_speaker, which finds the incidents, sums up
# each burst in one sentence, prints it and reads it aloud. Without a sound device the
# speech is written as WAV files, and the demo says where.
#
#   bash examples/demo.sh            # about 30 seconds
#   DEMO_SECONDS=10 bash examples/demo.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${DEMO_SECONDS:-30}
build=build/demo
bin=$PWD/$build/bin
speech=$PWD/$build/speech

.ci/install-deps
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOGTAIL_BUILD_TESTS=OFF \
  -DCMAKE_RUNTIME_OUTPUT_DIRECTORY="$bin" >/dev/null
cmake --build "$build" -j "$(nproc)" --target incident_speaker logtail logtail-loggen

work=$(mktemp -d)
loggen_pid=
cleanup() {
  [ -z "$loggen_pid" ] || kill "$loggen_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log=$work/app.log
# The log grows at 20 lines a second with bursts of errors, rotates once about two
# thirds of the way through, and goes on a little longer than the demo watches it.
"$bin/logtail-loggen" --out "$log" --rate 20 --seconds $((seconds + 5)) \
  --rotate-after $((seconds * 20 * 2 / 3)) --incident-bursts --clock wall &
loggen_pid=$!

rm -rf "$speech"
# What watches the log. The same pipeline is `logtail --observer incidents --sink summary
# --sink speak=auto:DIR`.
watcher=("$bin/incident_speaker" --from beginning --audio "auto:$speech" "$log")

echo "==> following $log for ${seconds}s"
# After the given time, timeout sends SIGINT, which stops incident_speaker cleanly: the
# open window is summarized and spoken before it exits. Its exit status is passed on.
status=0
timeout --foreground --preserve-status -s INT "$seconds" "${watcher[@]}" || status=$?
echo "==> incident_speaker stopped (exit status $status)"
if [ -d "$speech" ]; then
  echo "==> no sound device here: the speech is in $(ls "$speech" | wc -l) WAV files in $speech"
fi
exit "$status"
