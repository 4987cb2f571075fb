#include "sdl_audio.h"

#include <SDL2/SDL.h>
#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace logtail {
namespace {

// Whether an SdlAudio exists. SDL's own state is what this guards; see sdl_audio.h.
std::mutex claim_mu;
bool claimed = false;

std::string sdl_error() {
  const char* e = SDL_GetError();
  return e != nullptr && e[0] != '\0' ? std::string(e) : std::string("no reason given");
}

std::string driver_label(const std::string& driver) {
  return driver.empty() ? std::string("SDL's default audio driver")
                        : fmt::format("SDL's '{}' audio driver", driver);
}

void release_claim() {
  std::lock_guard lock(claim_mu);
  claimed = false;
}

// libasound's error handler type, declared here so that ALSA is not a build dependency.
using AlsaErrorHandler = void (*)(const char* file, int line, const char* function, int err,
                                  const char* fmt, ...);

extern "C" void ignore_alsa_error(const char*, int, const char*, int, const char*, ...) {}

// SDL's ALSA driver loads libasound, whose default error handler prints on standard error
// ("cannot find card '0'" on a machine without sound), and the library never prints. SDL
// already reports every failure that matters through its own error. So when libasound is
// present, it gets a handler that drops its messages, for the life of the process: the
// handler is process-wide, and ALSA prints later too (an underrun). The handle is never
// closed, so SDL's own dlopen of the same library finds this instance.
void quiet_alsa() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* alsa = ::dlopen("libasound.so.2", RTLD_LAZY | RTLD_LOCAL);
    if (alsa == nullptr) return;
    using SetHandler = int (*)(AlsaErrorHandler);
    auto set = reinterpret_cast<SetHandler>(::dlsym(alsa, "snd_lib_error_set_handler"));
    if (set != nullptr) set(&ignore_alsa_error);
  });
}

}  // namespace

Result<std::unique_ptr<SdlAudio>> SdlAudio::open(const std::string& driver,
                                                 const std::string& disk_file, int sample_rate,
                                                 int channels) {
  {
    std::lock_guard lock(claim_mu);
    if (claimed) {
      return Status(StatusKind::busy,
                    "SDL's audio is already in use by another SDL output in this process; SDL "
                    "audio is process-wide, so destroy that output first (or write WAV files)");
    }
    if (SDL_WasInit(SDL_INIT_AUDIO) != 0) {
      return Status(StatusKind::busy,
                    "SDL's audio is already initialised by the host in this process; an SDL "
                    "output needs it for itself (write WAV files instead)");
    }
    claimed = true;
  }
  // SDL 2 reads the disk driver's file name from the environment only.
  if (!disk_file.empty()) ::setenv("SDL_DISKAUDIOFILE", disk_file.c_str(), 1);
  // A named driver overrides SDL_AUDIODRIVER; "" leaves SDL's choice (and that variable) be.
  if (!driver.empty()) {
    SDL_SetHintWithPriority(SDL_HINT_AUDIODRIVER, driver.c_str(), SDL_HINT_OVERRIDE);
  }
  quiet_alsa();
  const int init = SDL_InitSubSystem(SDL_INIT_AUDIO);
  if (!driver.empty()) SDL_ResetHint(SDL_HINT_AUDIODRIVER);
  if (init != 0) {
    const std::string why = sdl_error();
    release_claim();
    return Status(StatusKind::unavailable,
                  fmt::format("{} could not start: {}", driver_label(driver), why));
  }
  // SDL_mixer loads its MP3 decoder on demand; without it MP3 clips fail in load().
  Mix_Init(MIX_INIT_MP3);
  // SDL's disk driver logs the file it writes to at "critical" priority, which SDL prints on
  // standard error; the library never prints, so SDL's audio messages are held back while
  // the device opens. The host's own setting is restored right after.
  const SDL_LogPriority log_priority = SDL_LogGetPriority(SDL_LOG_CATEGORY_AUDIO);
  SDL_LogSetPriority(SDL_LOG_CATEGORY_AUDIO, SDL_NUM_LOG_PRIORITIES);
  const int opened = Mix_OpenAudioDevice(sample_rate, AUDIO_S16SYS, channels, 1024, nullptr, 0);
  SDL_LogSetPriority(SDL_LOG_CATEGORY_AUDIO, log_priority);
  if (opened != 0) {
    const std::string why = sdl_error();
    Mix_Quit();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    release_claim();
    return Status(StatusKind::unavailable,
                  fmt::format("{} could not open an audio device: {}", driver_label(driver), why));
  }
  Mix_AllocateChannels(1);
  std::unique_ptr<SdlAudio> audio(new SdlAudio());
  const char* current = SDL_GetCurrentAudioDriver();
  audio->driver_ = current != nullptr ? current : driver;
  audio->rate_ = sample_rate;
  audio->channels_ = channels;
  audio->bytes_per_frame_ = channels * 2;
  return audio;
}

SdlAudio::~SdlAudio() {
  Mix_HaltChannel(-1);
  Mix_CloseAudio();
  Mix_Quit();
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
  release_claim();
}

Result<MixChunk> SdlAudio::load(const SpeechAudio& audio) const {
  if (audio.bytes.size() > static_cast<std::size_t>(INT32_MAX)) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("a {} clip of {} bytes is too large to play", to_string(audio.format),
                              audio.bytes.size()));
  }
  SDL_RWops* rw = SDL_RWFromConstMem(audio.bytes.data(), static_cast<int>(audio.bytes.size()));
  if (rw == nullptr) {
    return Status(StatusKind::internal, fmt::format("SDL could not read a clip from memory: {}",
                                                    sdl_error()));
  }
  MixChunk chunk(Mix_LoadWAV_RW(rw, 1));  // 1: SDL closes `rw`
  if (!chunk) {
    return Status(StatusKind::corrupt,
                  fmt::format("SDL_mixer could not decode a {} clip of {} bytes: {}",
                              to_string(audio.format), audio.bytes.size(), sdl_error()));
  }
  return chunk;
}

std::chrono::milliseconds SdlAudio::length(const Mix_Chunk& chunk) const {
  const auto frames = static_cast<std::int64_t>(chunk.alen) / bytes_per_frame_;
  return std::chrono::milliseconds(frames * 1000 / rate_);
}

Result<PcmAudio> decode_with_sdl(const SpeechAudio& audio, int sample_rate) {
  Result<std::unique_ptr<SdlAudio>> sdl = SdlAudio::open("dummy", "", sample_rate, 1);
  if (!sdl.ok()) {
    return Status(sdl.status().kind(), fmt::format("cannot decode a {} clip: {}",
                                                   to_string(audio.format),
                                                   sdl.status().message()));
  }
  Result<MixChunk> chunk = (*sdl)->load(audio);
  if (!chunk.ok()) return chunk.status();
  PcmAudio pcm;
  pcm.sample_rate = sample_rate;
  pcm.channels = 1;
  pcm.samples.resize((*chunk)->alen / 2);
  std::memcpy(pcm.samples.data(), (*chunk)->abuf, pcm.samples.size() * 2);
  return pcm;
}

}  // namespace logtail
