#!/usr/bin/env bash
# Installs a logtail build tree into a temporary prefix, then builds the consumer project
# against the installed tree twice, through find_package(logtail CONFIG) and through
# pkg-config, and checks that each counts the lines of a generated file.
#
#   run_consumer_test.sh BUILD_DIR PROJECT_DIR CXX [SANITIZER_FLAGS]
#
# SANITIZER_FLAGS (a sanitized build's compile and link flags, as one string) go to the
# consumer's compile and link, since a sanitized static library needs its runtime.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR PROJECT_DIR CXX [SANITIZER_FLAGS]" >&2
  exit 2
fi
build_dir=$1
project_dir=$2
cxx=$3
sanitizer_flags=${4:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() {
  echo "consumer test: $*" >&2
  exit 1
}

# Runs "$@" quietly; on failure shows its output and stops.
quiet() {
  "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log" >&2; fail "failed: $*"; }
}

read -r -a flags <<<"$sanitizer_flags"

quiet cmake --install "$build_dir" --prefix "$prefix"

# The installed package must not point back into the build or source tree.
if grep -rl -e "$(cd "$build_dir" && pwd)" -e "$(cd "$project_dir/../../.." && pwd)/include" \
     "$prefix" --include='*.cmake' --include='*.pc'; then
  fail "installed package files above refer to the build or source tree"
fi

expected=1000
log=$work/app.log
for i in $(seq 1 "$expected"); do
  echo "2026-11-22T22:45:19Z INFO request $i served in 12ms"
done >"$log"

check_count() {
  local how=$1 got=$2
  [ "$got" = "$expected" ] || fail "$how consumer printed '$got', expected $expected"
  echo "consumer test: $how consumer counted $got lines"
}

# Through find_package(logtail CONFIG), from this prefix only.
quiet cmake -S "$project_dir" -B "$work/cmake-build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_CXX_FLAGS="${flags[*]}" -DCMAKE_EXE_LINKER_FLAGS="${flags[*]}"
found=$(sed -n 's/^logtail_DIR:PATH=//p' "$work/cmake-build/CMakeCache.txt")
case "$found" in
  "$prefix"/*) ;;
  *) fail "find_package found logtail at '$found', not in $prefix" ;;
esac
quiet cmake --build "$work/cmake-build" -j 2
check_count cmake "$("$work/cmake-build/logtail_consumer" "$log")"
# The summarizer, when this tree was built with it: one summary covering every line.
if [ -e "$work/cmake-build/logtail_consumer_summary" ]; then
  check_count "cmake (summarizer)" "$("$work/cmake-build/logtail_consumer_summary" "$log")"
elif grep -q 'logtail::summarizer' "$prefix"/lib*/cmake/logtail/logtailTargets.cmake 2>/dev/null; then
  fail "the installed tree has logtail::summarizer, but the consumer did not build against it"
fi

# The speaker, when this tree was built with it: a WAV file of real speech (over 0.5 s at
# espeak's 22050 Hz).
if [ -e "$work/cmake-build/logtail_consumer_speaker" ]; then
  samples=$("$work/cmake-build/logtail_consumer_speaker" "$work/speech")
  [ "$samples" -gt 11025 ] 2>/dev/null ||
    fail "the speaker consumer wrote '$samples' samples, expected over 11025"
  echo "consumer test: cmake (speaker) consumer wrote $samples samples"
elif grep -q 'logtail::speaker' "$prefix"/lib*/cmake/logtail/logtailTargets.cmake \
     2>/dev/null; then
  fail "the installed tree has logtail::speaker, but the consumer did not build against it"
fi

# Through pkg-config, linking the static library with its private dependencies.
pc=$(find "$prefix" -name logtail.pc)
[ -n "$pc" ] || fail "no logtail.pc under the install prefix"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
read -r -a pc_flags <<<"$(pkg-config --cflags --libs --static logtail)"
quiet "$cxx" -std=c++20 "${flags[@]}" "$project_dir/main.cc" -o "$work/pc_consumer" \
  "${pc_flags[@]}"
check_count pkg-config "$("$work/pc_consumer" "$log")"
