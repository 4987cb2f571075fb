#!/usr/bin/env bash
# The library never prints: no object in logtail's static libraries may refer to standard
# output or standard error (stdout, stderr, std::cout, std::cerr, std::clog) or to the calls
# that write there (printf, puts, perror, putchar, fmt::print). Writing to a file the host
# named (fwrite to a FILE* it opened) is fine; the summary sinks that print on request use
# write(2) on the descriptor they were given.
#
#   check_no_print.sh LIBRARY.a...
set -euo pipefail

if ! command -v nm >/dev/null; then
  echo "check_no_print: nm (binutils) is needed" >&2
  exit 1
fi
forbidden=' (stdout|stderr|_IO_2_1_stdout_|_IO_2_1_stderr_|std::cout|std::cerr|std::clog|printf|vprintf|puts|perror|putchar|fmt::v[0-9]+::v?print\(.*FILE|fmt::v[0-9]+::v?print\((fmt|std::basic))\b'
status=0
for lib in "$@"; do
  found=$(nm -C -A --undefined-only "$lib" | grep -E "$forbidden" || true)
  if [ -n "$found" ]; then
    echo "check_no_print: $lib writes to standard output or error; report through the diagnostics callback instead:" >&2
    echo "$found" >&2
    status=1
  fi
done
[ "$status" -ne 0 ] || echo "check_no_print: $# libraries checked, none prints"
exit "$status"
