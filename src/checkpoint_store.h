// The default CheckpointStore's internals, exposed for tests: the file system it uses and
// the clock that names a reset file can be replaced.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "logtail/checkpoint.h"
#include "logtail/status.h"
#include "platform/fs.h"

namespace logtail {

// open_file_checkpoint_store(dir) on `fs`, which must outlive the store.
Result<std::unique_ptr<CheckpointStore>> open_file_checkpoint_store(
    const std::filesystem::path& dir, platform::Fs& fs);

// reset_checkpoint_state(dir) on `fs`, naming the moved file after `now`.
Status reset_checkpoint_state(const std::filesystem::path& dir, platform::Fs& fs,
                              std::chrono::system_clock::time_point now);

}  // namespace logtail
