// Fuzz target: the rules file parser. Arbitrary text must parse or fail with an error that
// names the origin with a line and column; whatever parses must also compile, since
// parse_rules promises to check everything compile_rules does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "logtail/observers/rules.h"
#include "rules/rule_eval.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace rules = logtail::observers::rules;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = logtail::observers::parse_rules(text, "fuzz.json");
  if (!parsed.ok()) {
    const std::string& message = parsed.status().message();
    FUZZ_CHECK(message.rfind("fuzz.json:", 0) == 0);
    FUZZ_CHECK(message.find('\n') == std::string::npos);
    return 0;
  }
  auto compiled = rules::compile_rules(*parsed);
  FUZZ_CHECK(compiled.ok());
  FUZZ_CHECK(compiled->size() == parsed->size());
  return 0;
}
