// `logtail --sink speak` and the incident_speaker example as real processes: what they say
// ends up as real speech in WAV files.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "audio_checks.h"
#include "integration/command_fixture.h"
#include "logtail/wav.h"
#include "support/process.h"
#include "support/wait.h"

namespace logtail::test {
namespace {

constexpr std::string_view kIncidents =
    "2026-11-26 10:00:01 ERROR db timeout after 3000 ms\n"
    "2026-11-26 10:00:01 INFO request served in 12 ms\n"
    "2026-11-26 10:00:02 ERROR db timeout after 3100 ms\n"
    "2026-11-26 10:00:03 FATAL out of memory\n";

// The WAV files in `dir`, in name order, each checked to be speech: long enough for a
// sentence, and not silence.
std::vector<PcmAudio> speech_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    names.push_back(entry.path());
  }
  std::sort(names.begin(), names.end());
  std::vector<PcmAudio> out;
  for (const auto& name : names) {
    Result<PcmAudio> audio = decode_wav(read_file_or_empty(name));
    EXPECT_TRUE(audio.ok()) << name << ": " << audio.status().message();
    if (!audio.ok()) continue;
    EXPECT_GT(audio->duration(), std::chrono::seconds(1)) << name;
    EXPECT_GT(rms(audio->samples), 300.0) << name << " is silence";
    out.push_back(std::move(*audio));
  }
  return out;
}

class SpeakCommandTest : public CommandTest {};

TEST_F(SpeakCommandTest, OnceSpeaksEachSummaryIntoAWavFile) {
  dir_.write("payments.log", kIncidents);
  const Finished run =
      run_to_exit({"--once", "--from", "beginning", "--observer", "incidents", "--sink",
                   "summary", "--sink", "speak=wav:" + path("speech"), path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("3 incidents"), std::string::npos) << run.stdout_text;
  EXPECT_EQ(speech_files(dir_.file("speech")).size(), 1u);
}

// --sink speak alone: the summaries are spoken, not printed.
TEST_F(SpeakCommandTest, SpeakAloneSummarizesWithoutPrinting) {
  dir_.write("payments.log", kIncidents);
  const Finished run =
      run_to_exit({"--once", "--from", "beginning", "--observer", "incidents", "--sink",
                   "speak=wav:" + path("speech"), "--voice", "en-us", "--speech-rate", "220",
                   path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "");
  EXPECT_EQ(speech_files(dir_.file("speech")).size(), 1u);
}

TEST_F(SpeakCommandTest, BadSpeechOptionsAreUsageErrors) {
  dir_.write("app.log", kIncidents);
  const Finished no_sink = run_to_exit({"--voice", "en", path("app.log")});
  EXPECT_TRUE(no_sink.status.exited_with(2)) << no_sink.status.describe();
  EXPECT_NE(no_sink.stderr_text.find("--voice configures the speaker; add --sink speak"),
            std::string::npos)
      << no_sink.stderr_text;
  const Finished bad_output = run_to_exit({"--sink", "speak=speakers", path("app.log")});
  EXPECT_TRUE(bad_output.status.exited_with(2)) << bad_output.status.describe();
  EXPECT_NE(bad_output.stderr_text.find("unknown audio output 'speakers'"), std::string::npos)
      << bad_output.stderr_text;
  const Finished bad_voice =
      run_to_exit({"--sink", "speak=wav:" + path("w"), "--voice", "klingon-xx", path("app.log")});
  EXPECT_FALSE(bad_voice.status.exited_with(0)) << bad_voice.status.describe();
  EXPECT_NE(bad_voice.stderr_text.find("klingon-xx"), std::string::npos) << bad_voice.stderr_text;
}

// The example program: follows the file, prints each summary, speaks it, and stops cleanly
// on SIGINT (Ctrl-C) with exit status 0.
TEST_F(SpeakCommandTest, IncidentSpeakerPrintsSpeaksAndStopsOnInterrupt) {
  dir_.write("payments.log", kIncidents);
  const std::string out = path("speaker-out.txt");
  const std::string err = path("speaker-err.txt");
  std::string error;
  auto process = Process::spawn({INCIDENT_SPEAKER_BIN, "--from", "beginning", "--audio",
                                 "wav:" + path("speech"), path("payments.log")},
                                out, err, &error);
  ASSERT_TRUE(process) << error;
  // The window closes 3 s after the burst; its summary is printed once it is spoken.
  ASSERT_TRUE(wait_until([&] { return read_file_or_empty(out).find("3 incidents") !=
                                      std::string::npos; },
                         std::chrono::seconds(30)))
      << read_file_or_empty(err);
  dir_.append("payments.log", "2026-11-26 10:00:09 CRITICAL disk full\n");
  process->send(SIGINT);
  const auto status = process->wait(kExitDeadline);
  ASSERT_TRUE(status) << "incident_speaker did not stop on SIGINT";
  EXPECT_TRUE(status->exited_with(0)) << status->describe() << ": " << read_file_or_empty(err);
  // The line appended just before the interrupt may or may not have been read by then; if
  // it was, its window was summarized and spoken at the stop.
  const std::string printed = read_file_or_empty(out);
  const std::size_t lines = static_cast<std::size_t>(std::count(printed.begin(),
                                                                printed.end(), '\n'));
  EXPECT_EQ(speech_files(dir_.file("speech")).size(), lines) << printed;
}

}  // namespace
}  // namespace logtail::test
