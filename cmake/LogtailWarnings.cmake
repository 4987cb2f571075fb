# Warnings are errors for logtail's own code; consumers of the installed package are not
# affected (the target is not exported).
add_library(logtail_warnings INTERFACE)
target_compile_options(logtail_warnings INTERFACE -Wall -Wextra -Werror)

if(LOGTAIL_SANITIZE)
  # g++ 12 reports false "may be used uninitialized" warnings inside std::regex and
  # std::variant when sanitizer instrumentation is on.
  target_compile_options(logtail_warnings INTERFACE -Wno-maybe-uninitialized)
  add_compile_options(-fsanitize=${LOGTAIL_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${LOGTAIL_SANITIZE})
endif()
