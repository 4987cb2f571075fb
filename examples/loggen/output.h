// Output: a buffered, append-only log file that can rotate itself the way logrotate's
// rename-and-create does (FILE -> FILE.1 -> FILE.2 -> FILE.3, then a new FILE).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace loggen {

class Output {
 public:
  enum class Result { ok, closed, error };  // closed: the reader went away (EPIPE)

  // "-" is standard output. `keep`: rotated files kept, FILE.1 .. FILE.keep. On failure
  // returns nullptr and sets `error`.
  static std::unique_ptr<Output> open(const std::string& path, int keep, std::string& error);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // Room for `n` more bytes at the end of the buffer; commit() what was written there.
  char* tail(std::size_t n);
  void commit(std::size_t n) { used_ += n; }
  std::size_t buffered() const { return used_; }

  // write(2)s everything buffered.
  Result flush(std::string& error);
  // Flushes, renames the file along the chain and opens a new one.
  Result rotate(std::string& error);

 private:
  Output(std::string path, int fd, int keep) : path_(std::move(path)), fd_(fd), keep_(keep) {}

  std::string path_;
  int fd_;
  int keep_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

}  // namespace loggen
