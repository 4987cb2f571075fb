#include "rules/json_reader.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace logtail::observers::json {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  ReadResult run() {
    ReadResult r;
    skip_space();
    if (!value(r.value, 0)) {
      r.error = std::move(error_);
      return r;
    }
    skip_space();
    if (i_ != s_.size()) {
      r.error = {i_, "unexpected text after the end of the JSON value"};
      return r;
    }
    r.ok = true;
    return r;
  }

 private:
  bool fail(std::size_t at, std::string reason) {
    error_ = {at, std::move(reason)};
    return false;
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  bool value(Value& v, int depth) {
    if (i_ >= s_.size()) return fail(i_, "unexpected end of text; a JSON value was expected");
    v.offset = i_;
    const char c = s_[i_];
    if (c == '{' || c == '[') {
      if (depth >= kMaxDepth)
        return fail(i_, fmt::format("nesting deeper than {} levels", kMaxDepth));
      return c == '{' ? object(v, depth + 1) : array(v, depth + 1);
    }
    if (c == '"') {
      v.type = Value::Type::string;
      return string(v.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    if (literal("true")) {
      v.type = Value::Type::boolean;
      v.boolean = true;
      return true;
    }
    if (literal("false")) {
      v.type = Value::Type::boolean;
      return true;
    }
    if (literal("null")) return true;
    if (c == '\'') return fail(i_, "strings need double quotes, not single quotes");
    return fail(i_, fmt::format("unexpected character '{}'; a JSON value was expected",
                                printable(c)));
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  static std::string printable(char c) {
    if (c >= 0x20 && c < 0x7F) return std::string(1, c);
    return fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  }

  bool object(Value& v, int depth) {
    v.type = Value::Type::object;
    ++i_;  // '{'
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"')
        return fail(i_, i_ >= s_.size() ? "unexpected end of text inside an object"
                                        : "expected a quoted key");
      Value::Member m;
      m.key_offset = i_;
      if (!string(m.key)) return false;
      if (v.find(m.key) != nullptr)
        return fail(m.key_offset, fmt::format("duplicate key \"{}\"", m.key));
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') return fail(i_, "expected ':' after the key");
      ++i_;
      skip_space();
      if (!value(m.value, depth)) return false;
      v.members.push_back(std::move(m));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        skip_space();
        if (i_ < s_.size() && s_[i_] == '}') return fail(i_, "trailing comma before '}'");
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail(i_, i_ >= s_.size() ? "unexpected end of text; an object is not closed"
                                      : "expected ',' or '}' after an object member");
    }
  }

  bool array(Value& v, int depth) {
    v.type = Value::Type::array;
    ++i_;  // '['
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      skip_space();
      Value item;
      if (!value(item, depth)) return false;
      v.items.push_back(std::move(item));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        skip_space();
        if (i_ < s_.size() && s_[i_] == ']') return fail(i_, "trailing comma before ']'");
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail(i_, i_ >= s_.size() ? "unexpected end of text; an array is not closed"
                                      : "expected ',' or ']' after an array item");
    }
  }

  bool number(Value& v) {
    const std::size_t start = i_;
    std::size_t j = i_;
    if (s_[j] == '-') ++j;
    auto digits = [&] {
      const std::size_t from = j;
      while (j < s_.size() && s_[j] >= '0' && s_[j] <= '9') ++j;
      return j - from;
    };
    const std::size_t int_start = j;
    if (digits() == 0) return fail(start, "a number needs digits");
    if (s_[int_start] == '0' && j - int_start > 1)
      return fail(start, "numbers may not have leading zeros");
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      if (digits() == 0) return fail(j, "expected digits after the decimal point");
    }
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
      ++j;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (digits() == 0) return fail(j, "expected digits in the exponent");
    }
    const auto res = std::from_chars(s_.data() + start, s_.data() + j, v.number);
    if (res.ec != std::errc() || !std::isfinite(v.number))
      return fail(start, "number out of range");
    v.type = Value::Type::number;
    v.text.assign(s_.substr(start, j - start));
    i_ = j;
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(std::size_t at, std::uint32_t& out) {
    if (at + 4 > s_.size()) return fail(at, "\\u needs four hex digits");
    out = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      const char c = s_[k];
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
      else return fail(k, "\\u needs four hex digits");
      out = out * 16 + d;
    }
    return true;
  }

  bool string(std::string& out) {
    const std::size_t start = i_;
    ++i_;  // opening quote
    for (;;) {
      if (i_ >= s_.size()) return fail(start, "string is not closed");
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail(i_, "control character inside a string; escape it (\\n, \\t, \\u00XX)");
      if (c != '\\') {
        out += c;
        ++i_;
        continue;
      }
      if (i_ + 1 >= s_.size()) return fail(start, "string is not closed");
      const char e = s_[i_ + 1];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(i_ + 2, cp)) return false;
          std::size_t used = 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (s_.substr(i_ + 6, 2) != "\\u" || !hex4(i_ + 8, low) || low < 0xDC00 ||
                low > 0xDFFF)
              return fail(i_, "a high surrogate \\u escape needs a low surrogate after it");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            used = 12;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(i_, "a low surrogate \\u escape without a high one before it");
          }
          append_utf8(out, cp);
          i_ += used;
          continue;
        }
        default:
          return fail(i_, fmt::format("invalid escape '\\{}' in a string", printable(e)));
      }
      i_ += 2;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  Error error_;
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (const Member& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

ReadResult read(std::string_view text) { return Reader(text).run(); }

Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t k = 0; k < end; ++k) {
    if (text[k] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

std::string_view type_name(Value::Type type) {
  switch (type) {
    case Value::Type::null: return "null";
    case Value::Type::boolean: return "boolean";
    case Value::Type::number: return "number";
    case Value::Type::string: return "string";
    case Value::Type::array: return "array";
    case Value::Type::object: return "object";
  }
  return "value";
}

}  // namespace logtail::observers::json
