# Writes the first ```cpp block of a Markdown file to a C++ source, so the README's
# embedding example is compiled like any other code and cannot drift from the API.
#
#   cmake -DREADME=README.md -DOUTPUT=readme_example.cc -P extract_readme_example.cmake
#
# A #line directive makes compiler errors point at the README's own lines.
if(NOT README OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DREADME=FILE -DOUTPUT=FILE -P ${CMAKE_CURRENT_LIST_FILE}")
endif()

file(READ "${README}" text)
set(fence "```cpp\n")
string(FIND "${text}" "${fence}" begin)
if(begin EQUAL -1)
  message(FATAL_ERROR "${README}: no ```cpp block found; the embedding example in it is "
                      "compiled as a test, so keep it in a ```cpp block")
endif()

string(SUBSTRING "${text}" 0 ${begin} before)
string(REGEX MATCHALL "\n" newlines "${before}")
list(LENGTH newlines fence_line_index)
math(EXPR fence_line "${fence_line_index} + 1")
math(EXPR first_code_line "${fence_line} + 1")

string(LENGTH "${fence}" fence_length)
math(EXPR code_begin "${begin} + ${fence_length}")
string(SUBSTRING "${text}" ${code_begin} -1 rest)
string(FIND "${rest}" "\n```" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${README}: the ```cpp block at line ${fence_line} is not closed")
endif()
math(EXPR end "${end} + 1")
string(SUBSTRING "${rest}" 0 ${end} code)

get_filename_component(readme_name "${README}" NAME)
file(WRITE "${OUTPUT}" "#line ${first_code_line} \"${readme_name}\"\n${code}")
