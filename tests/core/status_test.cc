#include "logtail/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/diagnostic.h"
#include "logtail/version.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

class StatusTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(StatusTest, KindNames) {
  const std::vector<std::string_view> names = {
      "ok",      "invalid_argument", "not_found",   "already_exists",      "permission_denied",
      "io_error", "corrupt",         "busy",        "unavailable",         "failed_precondition",
      "internal",
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(to_string(static_cast<StatusKind>(i)), names[i]);
  }
  EXPECT_EQ(to_string(StatusKind::io_error), "io_error");
  // A kind added without a name (or to this table) shows up here.
  EXPECT_EQ(to_string(static_cast<StatusKind>(names.size())), "unknown");
}

TEST_F(StatusTest, DiagnosticKindNames) {
  const std::vector<std::string_view> names = {
      "file_opened",    "rotation",          "truncation",     "missed_rotation",
      "rotated_drained", "truncated_line",   "permission_denied", "watch_fallback",
      "io_error",       "corrupt_state",     "checkpoint_error", "sink_error",
      "event_dropped",  "grace_expired",     "summary_fallback", "speech_fallback",
      "speech_dropped", "audio_fallback",    "hold_expired",
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(to_string(static_cast<DiagnosticKind>(i)), names[i]);
  }
  EXPECT_EQ(to_string(DiagnosticKind::missed_rotation), "missed_rotation");
  EXPECT_EQ(to_string(static_cast<DiagnosticKind>(names.size())), "unknown");
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), names.size());
}

TEST_F(StatusTest, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.kind(), StatusKind::ok);
  EXPECT_EQ(s.message(), "");
}

TEST_F(StatusTest, ErrorCarriesKindAndMessage) {
  const Status s(StatusKind::not_found, "app.log: no such file; check the path");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), StatusKind::not_found);
  EXPECT_EQ(s.message(), "app.log: no such file; check the path");
  const Status copy = s;
  EXPECT_EQ(copy.kind(), StatusKind::not_found);
  EXPECT_EQ(copy.message(), s.message());
}

TEST_F(StatusTest, ResultWithValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(r.value(), 42);
  EXPECT_TRUE(r.status().ok());
  *r = 7;
  EXPECT_EQ(r.value(), 7);
}

TEST_F(StatusTest, ResultWithError) {
  const Result<int> r = Status(StatusKind::invalid_argument, "bad --cap: use e.g. 1MiB");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(r.status().message(), "bad --cap: use e.g. 1MiB");
}

TEST_F(StatusTest, ResultMovesOutItsValue) {
  Result<std::unique_ptr<std::string>> r = std::make_unique<std::string>("owned");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, "owned");
  std::unique_ptr<std::string> taken = std::move(r).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, "owned");

  Result<std::string> s = std::string("text");
  EXPECT_EQ(s->size(), 4u);
  const std::string moved = std::move(s).value();
  EXPECT_EQ(moved, "text");
}

// A function returning Result can return either a value or a Status.
Result<std::string> lookup(bool found) {
  if (!found) return Status(StatusKind::not_found, "no observer 'x'; known: a, b");
  return std::string("value");
}

TEST_F(StatusTest, ResultFromFunctions) {
  EXPECT_EQ(*lookup(true), "value");
  const auto missing = lookup(false);
  EXPECT_EQ(missing.status().kind(), StatusKind::not_found);
}

TEST_F(StatusTest, Version) {
  EXPECT_STREQ(version(), LOGTAIL_VERSION_STRING);
  const std::string want = std::to_string(LOGTAIL_VERSION_MAJOR) + "." +
                           std::to_string(LOGTAIL_VERSION_MINOR) + "." +
                           std::to_string(LOGTAIL_VERSION_PATCH);
  EXPECT_EQ(std::string(version()), want);
}

}  // namespace
}  // namespace logtail
