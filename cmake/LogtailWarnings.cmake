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
  target_compile_options(logtail_warnings INTERFACE -Wno-maybe-uninitialized)
  add_compile_options(-fsanitize=${LOGTAIL_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${LOGTAIL_SANITIZE})
endif()
