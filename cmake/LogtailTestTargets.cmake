# Test programs all include GoogleTest and the same few standard headers. One precompiled
# header, made once by a small program of its own (logtail_test_pch), serves every test
# program: those headers are parsed once for the whole build, rather than once per file, or
# once per test program (there are ten). The sharing works because every test program is
# compiled the same way (an executable linking logtail_test_support); only macros that those
# headers never mention differ between them.
option(LOGTAIL_TEST_PCH "Precompile the headers common to the test programs" ON)

set(LOGTAIL_TEST_PCH_HEADERS
    <gtest/gtest.h> <fmt/format.h> <algorithm> <chrono> <filesystem> <functional>
    <memory> <string> <string_view> <vector>)

# The program that owns the shared precompiled header. Created on first use, so it may name
# logtail_test_support before tests/ defines it.
function(logtail_test_pch_owner)
  if(TARGET logtail_test_pch)
    return()
  endif()
  set(main ${PROJECT_BINARY_DIR}/logtail_test_pch_main.cc)
  file(CONFIGURE OUTPUT ${main} CONTENT "int main() { return 0; }\n")
  add_executable(logtail_test_pch ${main})
  target_compile_options(logtail_test_pch PRIVATE ${LOGTAIL_TEST_OPTIMIZATION})
  target_link_libraries(logtail_test_pch PRIVATE logtail_test_support)
  target_precompile_headers(logtail_test_pch PRIVATE ${LOGTAIL_TEST_PCH_HEADERS})
endfunction()

# Test code is compiled at -O1 in the optimized builds: the library and the programs under
# test keep their -O2, and the tests, most of what the build compiles, take a third less time
# to compile.
set(LOGTAIL_TEST_OPTIMIZATION $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-O1>)

# The settings of every test program and of the test helpers' library. A test program uses
# the shared header; the library (compiled as position-independent code for a library, which
# a header precompiled for programs does not fit) gets one of its own.
function(logtail_test_target target)
  target_compile_options(${target} PRIVATE ${LOGTAIL_TEST_OPTIMIZATION})
  if(NOT LOGTAIL_TEST_PCH)
    return()
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    logtail_test_pch_owner()
    target_precompile_headers(${target} REUSE_FROM logtail_test_pch)
  else()
    target_precompile_headers(${target} PRIVATE ${LOGTAIL_TEST_PCH_HEADERS})
  endif()
endfunction()
