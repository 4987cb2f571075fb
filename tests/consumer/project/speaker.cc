// Speaks one summary through an installed logtail::speaker into WAV files: espeak makes the
// clip, the wav output writes it. Prints the number of samples in the file written.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <logtail/speaker.h>
#include <logtail/wav.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: logtail_consumer_speaker DIR\n";
    return 2;
  }
  logtail::SpeakerSpec spec;
  spec.audio_output = std::string("wav:") + argv[1];
  auto speaker = logtail::make_speaker(spec);
  if (!speaker.ok()) {
    std::cerr << "logtail_consumer_speaker: " << speaker.status().message() << '\n';
    return 1;
  }
  logtail::Summary summary;
  summary.text = "app.log: 1000 requests served.";
  if (logtail::Status s = (*speaker)->take(summary); !s.ok()) {
    std::cerr << "logtail_consumer_speaker: " << s.message() << '\n';
    return 1;
  }
  (*speaker)->close();
  std::ifstream in(std::string(argv[1]) + "/speech-000001.wav", std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto pcm = logtail::decode_wav(bytes);
  if (!pcm.ok()) {
    std::cerr << "logtail_consumer_speaker: " << pcm.status().message() << '\n';
    return 1;
  }
  std::cout << pcm->samples.size() << '\n';
  return 0;
}
