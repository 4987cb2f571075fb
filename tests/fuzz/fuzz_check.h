// FUZZ_CHECK: the fuzz targets' invariant check. A failed check prints what was expected and
// aborts, which libFuzzer reports as a crash and saves the input that caused it. Unlike
// assert it stays on in every build type, since a fuzzer that checks nothing finds nothing.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                        \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,     \
                   #condition);                                                      \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)
