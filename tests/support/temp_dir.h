// TempDir: a fresh directory for one test, removed with everything in it when the test ends.
//
// Created under the system's temporary directory ($TMPDIR when set). File helpers take names
// relative to the directory ("a.log", "sub/b.log"; missing parent directories are created)
// and throw std::runtime_error on failure, which fails the test with the reason.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace logtail::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the directory; nothing is created.
  std::filesystem::path file(std::string_view name) const;

  // Replaces the file's contents with `bytes` (creating it).
  void write(std::string_view name, std::string_view bytes) const;
  // Appends `bytes` to the file (creating it), in one write as a logging process would.
  void append(std::string_view name, std::string_view bytes) const;
  // The whole contents of the file.
  std::string read(std::string_view name) const;

 private:
  void remove() noexcept;
  std::filesystem::path path_;
};

}  // namespace logtail::test
