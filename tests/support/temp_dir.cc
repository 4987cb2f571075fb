#include "support/temp_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace logtail::test {
namespace {

[[noreturn]] void fail(std::string_view what, const std::filesystem::path& path, int err) {
  throw std::runtime_error(std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

void make_parent(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) fail("cannot create the directory of", path, ec.value());
}

void write_all(const std::filesystem::path& path, std::string_view bytes, int flags) {
  make_parent(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
  if (fd < 0) fail("cannot open", path, errno);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail("cannot write", path, err);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0) fail("cannot close", path, errno);
}

}  // namespace

TempDir::TempDir() {
  std::error_code ec;
  // Reads $TMPDIR (and its usual aliases) at run time, falling back to the system default.
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) fail("no temporary directory; set TMPDIR:", "", ec.value());
  std::string templ = (base / "logtail-test-XXXXXX").string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) fail("cannot create a directory in", base, errno);
  path_ = buf.data();
}

TempDir::~TempDir() { remove(); }

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void TempDir::remove() noexcept {
  if (path_.empty()) return;
  std::error_code ec;  // best effort: a failed clean-up must not fail or abort the test
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

std::filesystem::path TempDir::file(std::string_view name) const { return path_ / name; }

void TempDir::write(std::string_view name, std::string_view bytes) const {
  write_all(file(name), bytes, O_TRUNC);
}

void TempDir::append(std::string_view name, std::string_view bytes) const {
  write_all(file(name), bytes, O_APPEND);
}

std::string TempDir::read(std::string_view name) const {
  const std::filesystem::path path = file(name);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path, errno);
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail("cannot read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace logtail::test
