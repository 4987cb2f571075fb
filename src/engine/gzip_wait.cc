// Compressed rotated files found at start-up are opened only once their gzip stream is
// whole. A compressor may still be writing one when the engine starts (the checkpointed file
// was rotated and is being compressed); reading it then would hit the end of what has been
// written so far, and the lines after it would be lost. It is looked at every tick: while it
// grows it is waited for; once its size holds still it is decompressed to its end to see
// whether the stream is complete. One that stays incomplete without growing for
// rotate_grace is damaged: it is read as far as it goes and the rest reported lost.
#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"

namespace logtail {

using detail::Stream;

bool Engine::Impl::open_compressed(Stream& s) {
  const std::string& path = s.owner ? s.owner->path : s.file_path;
  const auto now = std::chrono::steady_clock::now();
  const auto info = detail::stat_path(s.file_path);
  const std::uint64_t size = info.ok() ? info->size : 0;
  const bool first_look = s.gz_seen_since == std::chrono::steady_clock::time_point{};
  if (!first_look && size != s.gz_seen_size) {
    s.gz_seen_size = size;
    s.gz_seen_since = now;
    return false;  // still growing
  }
  auto complete = info.ok() ? gzip_complete(s.file_path) : Result<bool>(info.status());
  if (complete.ok() && !*complete) {
    if (first_look) {
      s.gz_seen_size = size;
      s.gz_seen_since = now;
      diag(DiagnosticKind::file_opened, Severity::notice, path,
           fmt::format("{} is still being written (its gzip stream has no end yet); it is read "
                       "once complete, before the newer files of {}",
                       s.file_path, path));
      return false;
    }
    if (now - s.gz_seen_since < options_.rotate_grace) return false;
    diag(DiagnosticKind::io_error, Severity::error, path,
         fmt::format("{} has not grown for {} ms and its gzip stream has no end; reading it as "
                     "far as it goes",
                     s.file_path, options_.rotate_grace.count()));
  }
  s.gz_pending = false;
  auto gz = GzipReader::open(s.file_path, s.read_offset);
  if (!gz.ok()) {
    diag(DiagnosticKind::io_error, Severity::error, path,
         fmt::format("{}; the lines after offset {} in it are lost", gz.status().message(),
                     s.read_offset));
    close_finished(s);
    return false;
  }
  s.gz = std::move(*gz);
  return true;
}

}  // namespace logtail
