#!/usr/bin/env bash
# Installs a logtail build tree into a temporary prefix, builds the example observer plugin
# (examples/observer_plugin) as its own project against the installed tree, loads it into the
# installed `logtail` command and checks every event it emits, byte for byte.
#
#   run_plugin_test.sh BUILD_DIR PLUGIN_DIR CXX [SANITIZER_FLAGS]
#
# SANITIZER_FLAGS (a sanitized build's compile and link flags, as one string) go to the
# plugin's compile and link, since it links logtail's static library, which then needs its
# runtime.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR PLUGIN_DIR CXX [SANITIZER_FLAGS]" >&2
  exit 2
fi
build_dir=$1
plugin_dir=$2
cxx=$3
sanitizer_flags=${4:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() {
  echo "plugin test: $*" >&2
  exit 1
}

# Runs "$@" quietly; on failure shows its output and stops.
quiet() {
  "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log" >&2; fail "failed: $*"; }
}

read -r -a flags <<<"$sanitizer_flags"

quiet cmake --install "$build_dir" --prefix "$prefix"
logtail=$prefix/bin/logtail
[ -x "$logtail" ] || fail "the install prefix has no bin/logtail"

# The plugin, from the installed package only.
quiet cmake -S "$plugin_dir" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_CXX_FLAGS="${flags[*]}" -DCMAKE_SHARED_LINKER_FLAGS="${flags[*]}" \
  -DCMAKE_MODULE_LINKER_FLAGS="${flags[*]}"
found=$(sed -n 's/^logtail_DIR:PATH=//p' "$work/build/CMakeCache.txt")
case "$found" in
  "$prefix"/*) ;;
  *) fail "find_package found logtail at '$found', not in $prefix" ;;
esac
quiet cmake --build "$work/build" -j 2
plugin=$work/build/libslow_requests.so
[ -f "$plugin" ] || fail "the build made no libslow_requests.so"

# Of logtail, the plugin exports its entry point only: its copy of the library stays private.
# (The C++ standard library's vague-linkage symbols are exported whatever the settings.)
if [ -z "$sanitizer_flags" ] && command -v nm >/dev/null; then
  exported=$(nm -D --defined-only "$plugin" | awk '{print $3}' | grep -i logtail | sort)
  [ "$exported" = "logtail_plugin_v1" ] ||
    fail "the plugin exports logtail symbols besides its entry point: $exported"
fi

# A log with latencies on both sides of the 500ms limit, and lines that only look like
# they carry one. The expected events are written alongside, as the jsonl sink renders them
# without their "ts" field.
log=$work/app.log
expected=$work/expected.jsonl
: >"$log"
: >"$expected"
offset=0
add_line() {  # TEXT [LATENCY]: the line, and the latency its event carries if it has one
  local text=$1 latency=${2:-}
  printf '%s\n' "$text" >>"$log"
  if [ -n "$latency" ]; then
    printf '{"source":"%s","offset":%d,"observer":"slow_requests","kind":"slow_request",%s\n' \
      "$log" "$offset" \
      "\"severity\":\"warning\",\"message\":\"$text\",\"fields\":{\"latency_ms\":$latency,\"limit_ms\":500}}" \
      >>"$expected"
  fi
  offset=$((offset + ${#text} + 1))
}
for i in $(seq 1 400); do
  ms=$(((i * 7919) % 1000))
  text="2026-11-22T22:45:19Z INFO GET /orders/$i status=200 latency_ms=$ms"
  if [ "$ms" -gt 500 ]; then add_line "$text" "$ms"; else add_line "$text"; fi
done
add_line "edge: latency_ms=500 is at the limit, not above it"
add_line "edge: latency_ms=501 is just above it" 501
add_line "edge: max_latency_ms=9000 is another field"
add_line "edge: latency_ms=slow is no number"
add_line "edge: latency_ms=750.5 keeps its whole milliseconds" 750
add_line "edge: no latency here"
add_line "latency_ms=9001 at the start of the line" 9001
count=$(wc -l <"$expected")

status=0
"$logtail" --plugin "$plugin" --observer slow_requests=500ms --from beginning --once "$log" \
  >"$work/out.jsonl" 2>"$work/err.txt" || status=$?
[ "$status" = 0 ] || { cat "$work/err.txt" >&2; fail "logtail --plugin exited with $status"; }
sed 's/^{"ts":"[^"]*",/{/' "$work/out.jsonl" >"$work/got.jsonl"
if ! cmp -s "$expected" "$work/got.jsonl"; then
  diff "$expected" "$work/got.jsonl" | head -20 >&2
  head -5 "$work/err.txt" >&2
  fail "the events differ from the expected ones (< expected, > got)"
fi
echo "plugin test: slow_requests emitted the $count expected events"

# The plugin's own error for a bad ARG reaches the user as one line, exit status 2.
status=0
"$logtail" --plugin "$plugin" --observer slow_requests=-5ms --once "$log" \
  >"$work/out2.jsonl" 2>"$work/err2.txt" || status=$?
[ "$status" = 2 ] || fail "a bad ARG exited with $status, expected 2"
want="logtail: observer 'slow_requests': invalid duration '-5ms': must not be negative, e.g. \
'0s' or '2s'"
got=$(cat "$work/err2.txt")
[ "$got" = "$want" ] || fail "a bad ARG said '$got', expected '$want'"
echo "plugin test: a bad ARG is refused with the plugin's message"
