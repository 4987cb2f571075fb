// Reading a file's next chunk on a thread of its own while the loop thread hands the current
// chunk to observers: during a catch-up the kernel's copy out of the page cache then overlaps
// the observers' scanning instead of adding to it.
//
// One read at a time, into the ReadAhead's own buffer. Its result is good only for the read it
// was started for: the same stream, generation (a truncated file gets a new one) and offset;
// any other take() throws it away. The thread starts with the first read and sleeps between
// reads, so an engine that only follows growing files never wakes it.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace logtail::detail {

class ReadAhead {
 public:
  // What a read is for.
  struct Key {
    std::uint64_t stream = 0;
    std::uint64_t generation = 0;
    std::uint64_t offset = 0;
    bool operator==(const Key&) const = default;
  };

  ReadAhead() = default;
  ~ReadAhead();  // waits for the read in flight
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Starts reading up to `length` bytes of `fd` at key.offset into buffer()[at...], after
  // making buffer() `size` bytes. The file is duplicated first, so the caller may close `fd`
  // at once. False when nothing was started (the caller reads for itself).
  bool start(Key key, int fd, std::size_t size, std::size_t at, std::size_t length);

  // Waits for the read in flight, if any. The bytes it got when it was started for `key` and
  // succeeded (then they are in buffer()); nullopt otherwise. Either way the ReadAhead is idle
  // afterwards.
  std::optional<std::size_t> take(Key key);

  // The buffer reads go to. Only while idle (after take(), before start()); the caller may
  // swap it with a buffer of its own.
  std::vector<char>& buffer() { return buffer_; }

 private:
  enum class State { idle, reading, done };
  void run();
  State wait_idle_or_done(std::unique_lock<std::mutex>& lock);

  std::vector<char> buffer_;
  std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::idle;
  bool stopping_ = false;
  Key key_;
  int fd_ = -1;
  char* dest_ = nullptr;
  std::size_t length_ = 0;
  ssize_t got_ = 0;
  std::thread thread_;
};

}  // namespace logtail::detail
