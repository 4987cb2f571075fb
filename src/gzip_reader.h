// GzipReader: reads a .gz rotated file as its uncompressed bytes, through zlib.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "logtail/status.h"

namespace logtail {

class GzipReader {
 public:
  // Opens `path` and positions it at uncompressed `offset` (by decompressing and discarding).
  // An offset past the end is a not_found error (the content is not the one expected).
  static Result<std::unique_ptr<GzipReader>> open(const std::filesystem::path& path,
                                                  std::uint64_t offset);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Reads up to `size` uncompressed bytes; 0 at the end. A corrupt or truncated stream is a
  // corrupt error naming the file.
  Result<std::size_t> read(char* buffer, std::size_t size);
  std::uint64_t offset() const { return offset_; }
  // The last read failed because the compressed stream stops before its end: a file still
  // being written, or one cut short.
  bool cut_short() const { return cut_short_; }

 private:
  GzipReader(void* file, std::filesystem::path path, std::uint64_t offset);
  void* file_;  // gzFile
  std::filesystem::path path_;
  std::uint64_t offset_;
  bool cut_short_ = false;
};

// Reads the first min(size, max) uncompressed bytes of a .gz file (for fingerprints).
Result<std::string> gzip_prefix(const std::filesystem::path& path, std::size_t max);

// Whether `path` holds whole gzip streams, decompressing it to its end: false when it is
// empty or its stream stops early (still being written, or cut short); an error when it is
// damaged or cannot be read.
Result<bool> gzip_complete(const std::filesystem::path& path);

}  // namespace logtail
