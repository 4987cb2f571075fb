// The command built without the speaker (LOGTAIL_WITH_SPEAKER=OFF): --sink speak says so.
#include "speak_output.h"

namespace logtail::cli {

Result<std::unique_ptr<SpeakOutput>> make_speak_output(std::string_view /*output*/,
                                                       const SpeakOptions& /*options*/,
                                                       DiagnosticHandler /*diagnostics*/) {
  return Status{StatusKind::invalid_argument,
                "this logtail was built without the speaker; build it with "
                "-DLOGTAIL_WITH_SPEAKER=ON to use --sink speak"};
}

}  // namespace logtail::cli
