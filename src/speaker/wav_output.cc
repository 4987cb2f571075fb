// The WAV output: each clip a numbered file, written beside its final name and renamed, so a
// reader never sees half a file.
#include <fmt/format.h>

#include <cstdio>
#include <system_error>

#include "logtail/audio_outputs.h"
#include "logtail/wav.h"
#include "sdl_audio.h"

namespace logtail {
namespace {

namespace fs = std::filesystem;

// The rate MP3 clips are decoded at: OpenAI's speech comes at 24 kHz.
constexpr int kDecodeRate = 24000;

Status io_failure(const fs::path& path, std::string_view what, const std::error_code& ec) {
  return Status(StatusKind::io_error,
                fmt::format("the WAV output cannot {} {}: {}", what, path.string(), ec.message()));
}

// The number in "speech-000042.wav", or 0 for any other name.
std::uint64_t clip_number(const std::string& name) {
  constexpr std::string_view kPrefix = "speech-";
  constexpr std::string_view kSuffix = ".wav";
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return 0;
  }
  std::uint64_t n = 0;
  for (std::size_t i = kPrefix.size(); i < name.size() - kSuffix.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || n > UINT64_MAX / 20) return 0;
    n = n * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return n;
}

Status write_file(const fs::path& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return io_failure(path, "create", std::error_code(errno, std::generic_category()));
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::error_code ignored;
    fs::remove(path, ignored);
    return io_failure(path, "write", std::error_code(written ? errno : write_errno,
                                                     std::generic_category()));
  }
  return {};
}

class WavOutput final : public AudioOutput {
 public:
  WavOutput(fs::path directory, std::uint64_t last) : directory_(std::move(directory)),
                                                      last_(last) {}

  std::string_view name() const override { return "wav"; }

  Status play(const SpeechAudio& audio) override {
    std::string decoded;
    std::string_view bytes = audio.bytes;
    if (audio.format == AudioFormat::wav) {
      // Written as it is, but only if it is a WAV file a player can read.
      if (Result<PcmAudio> pcm = decode_wav(audio.bytes); !pcm.ok()) return pcm.status();
    } else {
      Result<PcmAudio> pcm = decode_with_sdl(audio, kDecodeRate);
      if (!pcm.ok()) return pcm.status();
      decoded = encode_wav(*pcm);
      bytes = decoded;
    }
    const std::string name = fmt::format("speech-{:06}.wav", last_ + 1);
    const fs::path final_path = directory_ / name;
    const fs::path temp_path = directory_ / ("." + name + ".tmp");
    if (Status s = write_file(temp_path, bytes); !s.ok()) return s;
    std::error_code ec;
    fs::rename(temp_path, final_path, ec);
    if (ec) {
      fs::remove(temp_path, ec);
      return io_failure(final_path, "create", ec);
    }
    ++last_;
    return {};
  }

 private:
  fs::path directory_;
  std::uint64_t last_;  // the number of the last clip written
};

}  // namespace

Result<std::unique_ptr<AudioOutput>> make_wav_output(fs::path directory) {
  if (directory.empty()) {
    return Status(StatusKind::invalid_argument,
                  "the WAV output needs a directory to write speech-NNNNNN.wav files into");
  }
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return io_failure(directory, "create the directory", ec);
  if (!fs::is_directory(directory, ec)) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the WAV output's directory {} is not a directory: give a "
                              "directory (it is created if missing)",
                              directory.string()));
  }
  std::uint64_t last = 0;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
    last = std::max(last, clip_number(it->path().filename().string()));
  if (ec) return io_failure(directory, "list", ec);
  return std::unique_ptr<AudioOutput>(std::make_unique<WavOutput>(std::move(directory), last));
}

}  // namespace logtail
