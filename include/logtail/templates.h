// Line templates: a line reduced to its constant part, so repeats of one kind of message
// can be counted as one. Pure; part of logtail::core because the observers and the
// summarizer both use it.
//
// Thread: free functions are reentrant; a TemplateIndex belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace logtail {

// The line with its variable parts masked: numbers as <N>, hex ids as <HEX>, UUIDs as
// <UUID>, IPv4/IPv6 addresses (with optional port) as <IP>, quoted strings as <STR>,
// file-system paths and URLs as <PATH>, timestamps as <TS>. Runs of white space become one
// space. Deterministic and stable across versions: ids derive from it.
std::string mask_line(std::string_view line);

// A stable 64-bit id of a template's text.
std::uint64_t template_id(std::string_view masked);

// Groups masked lines whose token sequences differ in only a few positions into one
// template (the differing tokens become <*>), with counts.
class TemplateIndex {
 public:
  struct Options {
    // Two sequences of the same length join when at least this share of tokens is equal.
    double similarity = 0.7;
    // Oldest-used templates are forgotten past this many, so memory stays bounded.
    std::size_t max_templates = 10000;
  };
  struct Match {
    std::uint64_t id;      // stable for the template's first form
    std::string text;      // the template as grouped so far
    std::uint64_t count;   // lines that matched it, this one included
    bool first;            // the first line of a never-seen template
  };

  TemplateIndex();
  explicit TemplateIndex(Options options);
  Match add(std::string_view line);
  std::size_t size() const;

 private:
  struct Entry;
  Options options_;
  std::vector<Entry> entries_;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_shape_;
  std::uint64_t clock_ = 0;
};

}  // namespace logtail
