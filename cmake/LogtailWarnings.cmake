# Warnings are errors for logtail's own code; consumers of the installed package are not
# affected (the target is not exported).
add_library(logtail_warnings INTERFACE)
target_compile_options(logtail_warnings INTERFACE -Wall -Wextra -Werror)

# g++ 12 reports false out-of-bounds and overlap warnings inside std::string's inlined
# concatenation at -O2 (GCC bug 105329 and its relatives, fixed in g++ 13); which files trip
# them changes with inlining, so they cannot be worked around line by line.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(logtail_warnings INTERFACE
      -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow)
endif()

if(LOGTAIL_SANITIZE)
  # g++ 12 reports false "may be used uninitialized" warnings inside std::regex and
  # std::variant when sanitizer instrumentation is on.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(logtail_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
  # The flags a program or plugin linking a sanitized logtail needs (the consumer tests pass
  # them on to the projects they build).
  set(LOGTAIL_SANITIZE_FLAGS -fsanitize=${LOGTAIL_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # clang links its sanitizer runtime statically into programs only, which leaves a plugin
    # (a shared module linked with --no-undefined) without it; its shared runtime serves
    # programs and plugins alike. It is not on the loader's path, hence the rpath.
    if(LOGTAIL_SANITIZE MATCHES "address")
      set(runtime_name libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
    elseif(LOGTAIL_SANITIZE MATCHES "thread")
      set(runtime_name libclang_rt.tsan-${CMAKE_SYSTEM_PROCESSOR}.so)
    else()
      set(runtime_name libclang_rt.ubsan_standalone-${CMAKE_SYSTEM_PROCESSOR}.so)
    endif()
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${runtime_name}
                    OUTPUT_VARIABLE runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${runtime}" OR NOT EXISTS "${runtime}")
      message(FATAL_ERROR "LOGTAIL_SANITIZE=${LOGTAIL_SANITIZE} with clang needs the shared "
                          "sanitizer runtime, which ${CMAKE_CXX_COMPILER} does not have: install "
                          "Debian's libclang-rt-dev, or configure with g++")
    endif()
    get_filename_component(runtime_dir "${runtime}" DIRECTORY)
    list(APPEND LOGTAIL_SANITIZE_FLAGS -shared-libsan -Wl,-rpath,${runtime_dir})
  endif()
  add_compile_options(-fsanitize=${LOGTAIL_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(${LOGTAIL_SANITIZE_FLAGS})
endif()
