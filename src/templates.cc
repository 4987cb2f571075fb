#include "logtail/templates.h"

#include <algorithm>
#include <array>

namespace logtail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_digit(c) || is_alpha(c) || c == '_'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// What a recogniser found at a position: `length` bytes (0: nothing) shown as `mask`, or
// copied as they are when mask is empty.
struct Found {
  std::size_t length = 0;
  std::string_view mask;
};

// Reads bytes of one line; every accessor is safe past the end (it reads as '\0').
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  std::size_t size() const { return s_.size(); }
  // Counts consecutive digits from i, at most `max`.
  std::size_t digits(std::size_t i, std::size_t max = SIZE_MAX) const {
    std::size_t n = 0;
    while (n < max && is_digit(at(i + n))) ++n;
    return n;
  }
  std::size_t hex_digits(std::size_t i) const {
    std::size_t n = 0;
    while (is_hex(at(i + n))) ++n;
    return n;
  }
  std::size_t word_end(std::size_t i) const {
    while (is_word(at(i))) ++i;
    return i;
  }
  // True when position i ends a token: the end, or anything but a word character.
  bool ends_word(std::size_t i) const { return !is_word(at(i)); }

 private:
  std::string_view s_;
};

// "..." or '...', backslash escapes honoured. A string followed by ':' is a key and is kept.
Found quoted(const Cursor& c, std::size_t i) {
  const char quote = c.at(i);
  for (std::size_t j = i + 1; j < c.size(); ++j) {
    if (c.at(j) == '\\') {
      ++j;
    } else if (c.at(j) == quote) {
      const std::size_t length = j + 1 - i;
      if (c.at(j + 1) == ':') return {length, {}};
      return {length, "<STR>"};
    }
  }
  return {};
}

bool ends_path(char ch) {
  return ch == '\0' || is_space(ch) || ch == '"' || ch == '\'' || ch == '`' || ch == '<' ||
         ch == '>' || ch == ',' || ch == ';' || ch == ')' || ch == ']' || ch == '}';
}

// From `from` to where a path or URL ends, without trailing sentence punctuation. A URL
// may hold brackets around an IPv6 host (http://[::1]:80/).
std::size_t path_end(const Cursor& c, std::size_t from, bool url = false) {
  std::size_t j = from;
  while (!ends_path(c.at(j)) || (url && c.at(j) == ']')) ++j;
  auto sentence_end = [](char ch) { return ch == '.' || ch == ':' || ch == '!' || ch == '?'; };
  while (j > from && sentence_end(c.at(j - 1))) --j;
  return j;
}

// scheme://... (the scheme as RFC 3986 spells it).
Found url(const Cursor& c, std::size_t i) {
  std::size_t j = i + 1;
  while (is_word(c.at(j)) || c.at(j) == '+' || c.at(j) == '.' || c.at(j) == '-') ++j;
  if (c.at(j) != ':' || c.at(j + 1) != '/' || c.at(j + 2) != '/') return {};
  const std::size_t end = path_end(c, j + 3, true);
  if (end == j + 3) return {};
  return {end - i, "<PATH>"};
}

// /abs, ./rel, ../rel, ~/home: at least one character after the slash.
Found path(const Cursor& c, std::size_t i) {
  std::size_t slash = i;
  if (c.at(i) == '.' && c.at(i + 1) == '/') {
    slash = i + 1;
  } else if (c.at(i) == '.' && c.at(i + 1) == '.' && c.at(i + 2) == '/') {
    slash = i + 2;
  } else if (c.at(i) == '~' && c.at(i + 1) == '/') {
    slash = i + 1;
  } else if (c.at(i) != '/') {
    return {};
  }
  const std::size_t end = path_end(c, slash + 1);
  if (end == slash + 1) return {};
  return {end - i, "<PATH>"};
}

Found uuid(const Cursor& c, std::size_t i) {
  static constexpr std::array<std::size_t, 5> kGroups = {8, 4, 4, 4, 12};
  std::size_t j = i;
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    if (g > 0) {
      if (c.at(j) != '-') return {};
      ++j;
    }
    for (std::size_t k = 0; k < kGroups[g]; ++k, ++j) {
      if (!is_hex(c.at(j))) return {};
    }
  }
  if (!c.ends_word(j)) return {};
  return {j - i, "<UUID>"};
}

// hh:mm[:ss[.frac]] (frac after '.' or ','); returns its length or 0.
std::size_t clock_time(const Cursor& c, std::size_t i, bool need_seconds) {
  const std::size_t h = c.digits(i, 3);
  if (h < 1 || h > 2 || c.at(i + h) != ':' || c.digits(i + h + 1, 3) != 2) return 0;
  std::size_t j = i + h + 3;
  if (c.at(j) == ':' && c.digits(j + 1, 3) == 2) {
    j += 3;
    if ((c.at(j) == '.' || c.at(j) == ',') && c.digits(j + 1) > 0) j += 1 + c.digits(j + 1);
  } else if (need_seconds) {
    return 0;
  }
  return j - i;
}

// Z, +hh, +hhmm, +hh:mm after a time.
std::size_t zone(const Cursor& c, std::size_t j) {
  if (c.at(j) == 'Z') return 1;
  if (c.at(j) != '+' && c.at(j) != '-') return 0;
  if (c.digits(j + 1, 5) == 4) return 5;
  if (c.digits(j + 1, 3) != 2) return 0;
  if (c.at(j + 3) == ':' && c.digits(j + 4, 3) == 2) return 6;
  return 3;
}

// yyyy-mm-dd, optionally followed by [T or space]time and a zone; or a bare hh:mm:ss.
Found timestamp(const Cursor& c, std::size_t i) {
  if (c.digits(i, 5) == 4 && c.at(i + 4) == '-' && c.digits(i + 5, 3) == 2 &&
      c.at(i + 7) == '-' && c.digits(i + 8, 3) == 2) {
    std::size_t j = i + 10;
    if (c.at(j) == 'T' || c.at(j) == ' ') {
      if (const std::size_t t = clock_time(c, j + 1, false); t > 0) {
        j += 1 + t;
        j += zone(c, j);
      }
    }
    if (c.ends_word(j)) return {j - i, "<TS>"};
    return {};
  }
  if (const std::size_t t = clock_time(c, i, true); t > 0 && c.ends_word(i + t) &&
                                                     c.at(i + t) != ':') {
    return {t, "<TS>"};
  }
  return {};
}

// a.b.c.d with an optional :port.
Found ipv4(const Cursor& c, std::size_t i) {
  std::size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (c.at(j) != '.') return {};
      ++j;
    }
    const std::size_t n = c.digits(j, 4);
    if (n < 1 || n > 3) return {};
    j += n;
  }
  if (c.at(j) == '.' && is_digit(c.at(j + 1))) return {};
  if (c.at(j) == ':') {
    const std::size_t port = c.digits(j + 1, 6);
    if (port >= 1 && port <= 5) j += 1 + port;
  }
  if (!c.ends_word(j)) return {};
  return {j - i, "<IP>"};
}

// Groups of at most 4 hex digits between colons, either compressed ("::") or all 8 groups,
// with at least one digit, so C++ scopes ("a::b") and clock times stay text.
Found ipv6(const Cursor& c, std::size_t i) {
  std::size_t j = i, colons = 0, group = 0;
  bool compressed = false, digit = false;
  while (is_hex(c.at(j)) || c.at(j) == ':') {
    if (c.at(j) == ':') {
      ++colons;
      if (c.at(j + 1) == ':') {
        if (compressed) return {};
        compressed = true;
      }
      group = 0;
    } else {
      if (++group > 4) return {};
      digit = digit || is_digit(c.at(j));
    }
    ++j;
  }
  if (!digit || colons < 2 || colons > 7 || (!compressed && colons != 7)) return {};
  if (!c.ends_word(j) || c.at(j) == '.') return {};
  return {j - i, "<IP>"};
}

// The word from i holds only hex digits, letters and digits mixed.
bool mixed_hex_word(const Cursor& c, std::size_t i, std::size_t end) {
  bool letter = false, digit = false;
  for (std::size_t k = i; k < end; ++k) {
    if (!is_hex(c.at(k))) return false;
    (is_digit(c.at(k)) ? digit : letter) = true;
  }
  return letter && digit;
}

Found hex_or_number(const Cursor& c, std::size_t i) {
  if (c.at(i) == '0' && (c.at(i + 1) == 'x' || c.at(i + 1) == 'X')) {
    const std::size_t n = c.hex_digits(i + 2);
    if (n > 0 && c.ends_word(i + 2 + n)) return {2 + n, "<HEX>"};
  }
  const std::size_t word_end = c.word_end(i);
  if (is_alpha(c.at(i))) {
    if (word_end - i >= 8 && mixed_hex_word(c, i, word_end)) return {word_end - i, "<HEX>"};
    return {};
  }
  const bool negative = c.at(i) == '-';
  std::size_t j = negative ? i + 1 : i;
  if (!is_digit(c.at(j))) return {};
  const std::size_t first = c.digits(j);
  j += first;
  bool fraction = false;
  while (c.at(j) == '.' && is_digit(c.at(j + 1))) {
    j += 1 + c.digits(j + 1);
    fraction = true;
  }
  if (c.ends_word(j)) return {j - i, "<N>"};
  const std::size_t rest_end = c.word_end(j);
  bool letters = true;
  for (std::size_t k = j; k < rest_end; ++k) letters = letters && is_alpha(c.at(k));
  // Hex ids win over units when they are long or have digits after a letter (7f3a9c).
  if (!negative && !fraction && mixed_hex_word(c, i, rest_end) &&
      (!letters || rest_end - i >= 8)) {
    return {rest_end - i, "<HEX>"};
  }
  // A letter suffix is a unit, kept as text after the mask: 250ms, 3rd, 1.5s.
  if (letters) return {j - i, "<N>"};
  return {};
}

// The recognisers that may start at i, in order; the first that matches wins.
Found recognise(const Cursor& c, std::size_t i) {
  const char ch = c.at(i);
  const char before = i == 0 ? '\0' : c.at(i - 1);
  // After a word, or after the '>' closing a mask, so that masking a masked line changes
  // nothing ("<N>/x" stays).
  if (is_word(before) || before == '>') return {};
  if (ch == '"' || ch == '\'') return quoted(c, i);
  if (Found f = path(c, i); f.length > 0) return f;
  // Numbers, ids and addresses never start right after a '.', so "v1.2.3" and
  // "com.shop.v2" are not cut in the middle.
  if (before == '.') return {};
  if (is_alpha(ch)) {
    if (Found f = url(c, i); f.length > 0) return f;
  }
  if (is_hex(ch)) {
    if (Found f = uuid(c, i); f.length > 0) return f;
  }
  if (is_digit(ch)) {
    if (Found f = timestamp(c, i); f.length > 0) return f;
    if (Found f = ipv4(c, i); f.length > 0) return f;
  }
  if (is_hex(ch) || ch == ':') {
    if (Found f = ipv6(c, i); f.length > 0) return f;
  }
  if (is_hex(ch) || is_digit(ch) || ch == '-') return hex_or_number(c, i);
  return {};
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (const char ch : bytes) {
    h ^= static_cast<unsigned char>(ch);
    h *= kFnvPrime;
  }
  return h;
}

constexpr std::string_view kWildcard = "<*>";

// The level word a token stands for, lower-cased ("" when it is none): "[ERROR]",
// "level=warn," and "Fatal:" all count.
std::string level_of(std::string_view token) {
  if (const auto eq = token.rfind('='); eq != std::string_view::npos) token.remove_prefix(eq + 1);
  while (!token.empty() && !is_alpha(token.front())) token.remove_prefix(1);
  while (!token.empty() && !is_alpha(token.back())) token.remove_suffix(1);
  if (token.size() < 3 || token.size() > 8) return {};
  std::string lower(token);
  for (char& ch : lower) {
    if (!is_alpha(ch)) return {};
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  static constexpr std::string_view kLevels[] = {"debug", "info",  "notice",   "warn", "warning",
                                                 "error", "err",   "fatal",    "critical",
                                                 "crit"};
  for (const std::string_view level : kLevels) {
    if (lower == level) return lower;
  }
  return {};
}

std::vector<std::string> split_tokens(std::string_view masked) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < masked.size()) {
    const std::size_t space = masked.find(' ', i);
    const std::size_t end = space == std::string_view::npos ? masked.size() : space;
    tokens.emplace_back(masked.substr(i, end - i));
    i = end + 1;
  }
  return tokens;
}

std::string join_tokens(const std::vector<std::string>& tokens) {
  std::string text;
  for (const std::string& t : tokens) {
    if (!text.empty()) text += ' ';
    text += t;
  }
  return text;
}

// Token count and level words: lines that differ in either never share a template.
std::uint64_t shape_of(const std::vector<std::string>& tokens) {
  std::uint64_t h = fnv(kFnvOffset, std::to_string(tokens.size()));
  for (const std::string& t : tokens) {
    if (const std::string level = level_of(t); !level.empty()) h = fnv(h ^ 0xff, level);
  }
  return h;
}

}  // namespace

std::string mask_line(std::string_view line) {
  const Cursor c(line);
  std::string out;
  out.reserve(line.size());
  bool space = false;
  auto put = [&](std::string_view text) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out += text;
  };
  std::size_t i = 0;
  while (i < line.size()) {
    const char ch = line[i];
    if (is_space(ch)) {
      space = true;
      ++i;
      continue;
    }
    if (const Found f = recognise(c, i); f.length > 0) {
      put(f.mask.empty() ? line.substr(i, f.length) : f.mask);
      i += f.length;
      continue;
    }
    // Copy a whole word at once, so nothing is recognised in the middle of one.
    const std::size_t end = is_word(ch) ? c.word_end(i) : i + 1;
    put(line.substr(i, end - i));
    i = end;
  }
  return out;
}

std::uint64_t template_id(std::string_view masked) { return fnv(kFnvOffset, masked); }

struct TemplateIndex::Entry {
  std::uint64_t id = 0;
  std::uint64_t shape = 0;
  std::vector<std::string> tokens;
  std::uint64_t count = 0;
  std::uint64_t last_used = 0;
};

TemplateIndex::TemplateIndex() : TemplateIndex(Options{}) {}
TemplateIndex::TemplateIndex(Options options) : options_(options) {
  options_.max_templates = std::max<std::size_t>(options_.max_templates, 1);
}
TemplateIndex::~TemplateIndex() = default;
TemplateIndex::TemplateIndex(const TemplateIndex& other) = default;
TemplateIndex& TemplateIndex::operator=(const TemplateIndex& other) = default;
TemplateIndex::TemplateIndex(TemplateIndex&& other) noexcept = default;
TemplateIndex& TemplateIndex::operator=(TemplateIndex&& other) noexcept = default;

std::size_t TemplateIndex::size() const { return entries_.size(); }

TemplateIndex::Match TemplateIndex::add(std::string_view line) {
  const std::string masked = mask_line(line);
  std::vector<std::string> tokens = split_tokens(masked);
  const std::uint64_t shape = shape_of(tokens);
  std::vector<std::size_t>& candidates = by_shape_[shape];

  // The most similar template of the same shape, the oldest among equals.
  std::size_t best = SIZE_MAX, best_equal = 0;
  for (const std::size_t index : candidates) {
    const Entry& e = entries_[index];
    if (e.tokens.size() != tokens.size()) continue;  // a hash collision of shapes
    std::size_t equal = 0;
    bool levels_agree = true;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (e.tokens[k] == tokens[k] || e.tokens[k] == kWildcard) {
        ++equal;
      } else if (!level_of(e.tokens[k]).empty() || !level_of(tokens[k]).empty()) {
        levels_agree = false;
        break;
      }
    }
    if (!levels_agree) continue;
    const bool similar = tokens.empty() || static_cast<double>(equal) >=
                                               options_.similarity *
                                                   static_cast<double>(tokens.size());
    if (similar && (best == SIZE_MAX || equal > best_equal)) {
      best = index;
      best_equal = equal;
    }
  }

  if (best != SIZE_MAX) {
    Entry& e = entries_[best];
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (e.tokens[k] != tokens[k]) e.tokens[k] = kWildcard;
    }
    ++e.count;
    e.last_used = ++clock_;
    return {e.id, join_tokens(e.tokens), e.count, false};
  }

  Entry e;
  e.id = template_id(masked);
  e.shape = shape;
  e.tokens = std::move(tokens);
  e.count = 1;
  e.last_used = ++clock_;
  candidates.push_back(entries_.size());
  entries_.push_back(std::move(e));
  Match match{entries_.back().id, masked, 1, true};
  if (entries_.size() > options_.max_templates) evict();
  return match;
}

// Forgets the least recently used tenth at once (at least one template), so a storm of
// novel lines costs amortised constant time rather than a scan per line.
void TemplateIndex::evict() {
  const std::size_t keep = options_.max_templates - options_.max_templates / 10;
  if (entries_.size() <= keep) return;
  std::vector<std::uint64_t> ages;
  ages.reserve(entries_.size());
  for (const Entry& e : entries_) ages.push_back(e.last_used);
  const std::size_t drop = entries_.size() - keep;
  std::nth_element(ages.begin(), ages.begin() + static_cast<std::ptrdiff_t>(drop), ages.end());
  const std::uint64_t oldest_kept = ages[drop];  // clock values are unique
  std::erase_if(entries_, [&](const Entry& e) { return e.last_used < oldest_kept; });
  by_shape_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) by_shape_[entries_[i].shape].push_back(i);
}

}  // namespace logtail
