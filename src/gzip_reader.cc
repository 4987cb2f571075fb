#include "gzip_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "errno_status.h"

namespace logtail {

namespace {

// zlib's own input buffer (8 KiB by default); a large one means few read(2) calls on big
// rotated files.
constexpr unsigned kZlibBuffer = 256 * 1024;
// gzread counts in int; larger requests are split.
constexpr std::size_t kMaxReadChunk = std::size_t{1} << 30;

gzFile as_gz(void* file) { return static_cast<gzFile>(file); }

Status corrupt(const std::filesystem::path& path, std::string_view why) {
  return Status(StatusKind::corrupt,
                fmt::format("compressed file {} cannot be read: {}; a file still being "
                            "compressed looks like this until it is complete, otherwise it is "
                            "damaged and should be moved out of the log directory",
                            path.string(), why));
}

// Opens `path` for gzread, refusing input that is not gzip data: zlib would otherwise copy
// it through as if it were the uncompressed content.
Result<gzFile> open_gz(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const StatusKind kind = err == ENOENT   ? StatusKind::not_found
                            : err == EACCES ? StatusKind::permission_denied
                                            : StatusKind::io_error;
    return Status(kind, fmt::format("cannot open {}: {}", path.string(), errno_text(err)));
  }
  // zlib would read an empty file as empty content, but no gzip stream is empty: this is a
  // compression that has only just begun, or one that never finished.
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size == 0) {
    ::close(fd);
    return corrupt(path, "it is empty");
  }
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    ::close(fd);
    return Status(StatusKind::io_error,
                  fmt::format("cannot read {}: zlib could not allocate its state", path.string()));
  }
  // Must come before the first read, which gzdirect() below is.
  gzbuffer(file, kZlibBuffer);
  if (gzdirect(file) == 1) {
    gzclose(file);
    return corrupt(path, "it is not gzip data");
  }
  return file;
}

// One gzread, with zlib's end-of-input states told apart: a stream cut short (a file still
// being written, or truncated) is Z_BUF_ERROR, and must not pass for a clean end.
Result<std::size_t> read_some(gzFile file, const std::filesystem::path& path, char* buffer,
                              std::size_t size) {
  const int n = gzread(file, buffer, static_cast<unsigned>(std::min(size, kMaxReadChunk)));
  const int read_errno = errno;
  int err = Z_OK;
  const char* message = gzerror(file, &err);
  if (n < 0 || (n == 0 && err != Z_OK)) {
    if (err == Z_ERRNO) {
      return Status(StatusKind::io_error,
                    fmt::format("cannot read {}: {}", path.string(), errno_text(read_errno)));
    }
    if (err == Z_BUF_ERROR) return corrupt(path, "the compressed stream ends early (truncated)");
    return corrupt(path, message != nullptr && *message != '\0' ? message : "bad gzip data");
  }
  return static_cast<std::size_t>(n);
}

}  // namespace

GzipReader::GzipReader(void* file, std::filesystem::path path, std::uint64_t offset)
    : file_(file), path_(std::move(path)), offset_(offset) {}

GzipReader::~GzipReader() { gzclose(as_gz(file_)); }

Result<std::unique_ptr<GzipReader>> GzipReader::open(const std::filesystem::path& path,
                                                     std::uint64_t offset) {
  auto file = open_gz(path);
  if (!file.ok()) return file.status();
  // Owns the gzFile from here on, so every early return closes it.
  std::unique_ptr<GzipReader> reader(new GzipReader(*file, path, 0));
  // gzip has no index: reaching an offset means decompressing everything before it.
  std::string discard(64 * 1024, '\0');
  while (reader->offset_ < offset) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(offset - reader->offset_, discard.size()));
    auto n = reader->read(discard.data(), want);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return Status(StatusKind::not_found,
                    fmt::format("compressed file {} holds {} bytes uncompressed, fewer than the "
                                "offset {} to resume at: it is not the file that was read",
                                path.string(), reader->offset_, offset));
    }
  }
  return reader;
}

Result<std::size_t> GzipReader::read(char* buffer, std::size_t size) {
  if (size == 0) return std::size_t{0};
  auto n = read_some(as_gz(file_), path_, buffer, size);
  if (n.ok()) offset_ += *n;
  int err = Z_OK;
  gzerror(as_gz(file_), &err);
  cut_short_ = !n.ok() && err == Z_BUF_ERROR;
  return n;
}

Result<std::string> gzip_prefix(const std::filesystem::path& path, std::size_t max) {
  auto reader = GzipReader::open(path, 0);
  if (!reader.ok()) return reader.status();
  std::string prefix(max, '\0');
  std::size_t have = 0;
  while (have < max) {
    auto n = (*reader)->read(prefix.data() + have, max - have);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    have += *n;
  }
  prefix.resize(have);
  return prefix;
}

Result<bool> gzip_complete(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && st.st_size == 0) return false;
  auto reader = GzipReader::open(path, 0);
  if (!reader.ok()) return reader.status();
  std::string discard(256 * 1024, '\0');
  for (;;) {
    auto n = (*reader)->read(discard.data(), discard.size());
    if (!n.ok()) {
      if ((*reader)->cut_short()) return false;
      return n.status();
    }
    if (*n == 0) return true;
  }
}

}  // namespace logtail
