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

// The line with its variable parts masked. Deterministic and stable across versions:
// template ids derive from it, so a change here is a change of every id (a test pins some).
//
// Runs of white space become one space; leading and trailing white space go. At the start
// of a token (after anything but a letter, digit, '_' or the '>' closing a mask) these are
// recognised, first match wins:
//   <STR>   a "double" or 'single' quoted string (backslash escapes honoured) whose opening
//           quote follows no letter or digit (so the apostrophe in "can't" is text); a quoted
//           string directly followed by ':' is a key ("level": in JSON) and stays
//   <PATH>  paths starting with '/', './', '../' or '~/', and URLs (scheme://...), up to white
//           space, a quote, < > , ; or a closing bracket; trailing . : ! ? stay outside
//   <UUID>  8-4-4-4-12 hex digits
//   <TS>    ISO dates and times: 2026-11-26, 2026-11-26T10:15:02.123Z, 2026-11-26 10:15:02,5,
//           +01:00 offsets; a bare time 10:15:02 or 10:15:02.123
//   <IP>    IPv4 with an optional :port (10.0.0.1:8080); IPv6 (fe80::1, ::1, full form)
//   <HEX>   0x1f; a run of hex digits holding both letters and digits that is at least 8
//           long (deadbeef42) or starts with a digit and has a digit after a letter (7f3a9c)
//   <N>     numbers: 42, -3 (the '-' after no letter or digit), 1.5, 1.2.3; a number keeps a
//           letter suffix as its unit (250ms -> <N>ms)
// Words that hold digits after a letter (http2, user42, v1, sha256) are names and stay as
// they are; so do letters outside these forms. No number, id, address or time starts right
// after a '.' (v1.2.3, com.shop.v2 stay whole).
std::string mask_line(std::string_view line);

// A stable 64-bit id of a template's text (FNV-1a); the same text gives the same id on every
// platform and in every version.
std::uint64_t template_id(std::string_view masked);

// Groups masked lines whose token sequences differ in only a few positions into one
// template (the differing tokens become <*>), with counts. Tokens are the masked line split
// at spaces. Lines with different level words (debug, info, notice, warn, warning, error,
// err, fatal, critical, crit, in any case and wrapped in punctuation like [ERROR] or
// level=error) never share a template, so an error is never hidden in an info template.
class TemplateIndex {
 public:
  struct Options {
    // Two sequences of the same length join when at least this share of tokens is equal
    // (a <*> position counts as equal).
    double similarity = 0.7;
    // Least-recently-used templates are forgotten past this many, so memory stays bounded;
    // a forgotten template seen again is new again. At least 1.
    std::size_t max_templates = 10000;
  };
  struct Match {
    std::uint64_t id;      // template_id of the template's first form; never changes
    std::string text;      // the template as grouped so far
    std::uint64_t count;   // lines that matched it, this one included
    bool first;            // the first line of a never-seen template
  };

  TemplateIndex();
  explicit TemplateIndex(Options options);
  ~TemplateIndex();
  TemplateIndex(const TemplateIndex& other);
  TemplateIndex& operator=(const TemplateIndex& other);
  TemplateIndex(TemplateIndex&& other) noexcept;
  TemplateIndex& operator=(TemplateIndex&& other) noexcept;

  // Masks `line` and files it under its template.
  Match add(std::string_view line);
  std::size_t size() const;

 private:
  struct Entry;
  void evict();
  Options options_;
  std::vector<Entry> entries_;
  // Candidates by shape (token count and level words): only these are compared.
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_shape_;
  std::uint64_t clock_ = 0;
};

}  // namespace logtail
