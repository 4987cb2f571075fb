#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/ack_hub.h"
#include "logtail/sinks.h"
#include "support/jsonl.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

Clock::time_point at(std::chrono::sys_days day, std::chrono::microseconds since_midnight) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      day.time_since_epoch() + since_midnight));
}

// A fully described event at 2026-11-22 22:45:19.123 UTC.
Event sample_event() {
  Event e;
  e.time = at(std::chrono::year{2026} / 11 / 22, 22h + 45min + 19s + 123ms);
  e.source = "/var/log/app.log";
  e.offset = 1234;
  e.observer = "lines";
  e.kind = "line";
  e.severity = Severity::info;
  e.message = "GET /index.html 200";
  return e;
}

// Settles tickets on this thread at once and counts the outcomes, as the engine would.
class AckCounter {
 public:
  AckCounter()
      : hub_(std::make_shared<detail::AckHub>([this](const detail::Settlement& s) { record(s); },
                                              [] {})) {
    hub_->set_loop_thread(std::this_thread::get_id());
  }
  ~AckCounter() { hub_->detach(); }

  Ticket ticket() { return hub_->make_ticket(0, next_batch_++); }

  int acked = 0;
  int dropped = 0;
  int abandoned = 0;

 private:
  void record(const detail::Settlement& s) {
    if (s.abandoned) {
      ++abandoned;
    } else if (s.dropped) {
      ++dropped;
    } else {
      ++acked;
    }
  }
  std::shared_ptr<detail::AckHub> hub_;
  std::uint64_t next_batch_ = 0;
};

// Hands the sink a real ticket when it defers, and acknowledges otherwise.
class TestDelivery final : public Delivery {
 public:
  explicit TestDelivery(AckCounter& acks) : acks_(acks) {}
  Ticket defer() override {
    deferred = true;
    return acks_.ticket();
  }
  bool deferred = false;

 private:
  AckCounter& acks_;
};

class JsonlTest : public ::testing::Test {
 protected:
  std::shared_ptr<Sink> open_sink(const std::filesystem::path& path) {
    auto sink = sinks::jsonl(path);
    if (!sink.ok()) throw std::runtime_error(sink.status().message());
    return *sink;
  }

  Status consume(Sink& sink, const Event& e) {
    TestDelivery delivery(acks_);
    return sink.consume(e, delivery);
  }

  test::TempDir dir_;
  AckCounter acks_;
};

TEST_F(JsonlTest, RendersEveryFieldInOrder) {
  EXPECT_EQ(sinks::to_json(sample_event()),
            R"({"ts":"2026-11-22T22:45:19.123Z","source":"/var/log/app.log","offset":1234,)"
            R"("observer":"lines","kind":"line","severity":"info",)"
            R"("message":"GET /index.html 200"})");
}

TEST_F(JsonlTest, RendersTruncatedOnlyWhenSet) {
  Event e = sample_event();
  e.truncated = true;
  e.severity = Severity::critical;
  e.offset = 0;
  EXPECT_EQ(sinks::to_json(e),
            R"({"ts":"2026-11-22T22:45:19.123Z","source":"/var/log/app.log","offset":0,)"
            R"("observer":"lines","kind":"line","severity":"critical",)"
            R"("message":"GET /index.html 200","truncated":true})");
}

TEST_F(JsonlTest, RendersEmptyTextAndLargestOffset) {
  Event e;
  e.offset = UINT64_MAX;
  EXPECT_EQ(sinks::to_json(e),
            R"({"ts":"1970-01-01T00:00:00.000Z","source":"","offset":18446744073709551615,)"
            R"("observer":"","kind":"","severity":"info","message":""})");
}

TEST_F(JsonlTest, RendersFieldsAsNumbersWhenTheyAreJsonNumbers) {
  const Field fields[] = {
      {"count", "42"},      {"neg", "-7"},       {"zero", "0"},       {"ratio", "0.25"},
      {"exp", "-1.5e3"},    {"big", "2E+10"},    {"minus0", "-0"},    {"octal", "007"},
      {"plus", "+1"},       {"dot", ".5"},       {"trail", "1."},     {"bare_e", "1e"},
      {"hex", "0x1F"},      {"nan", "NaN"},      {"space", " 1"},     {"empty", ""},
      {"word", "db-7"},     {"quote", "say \"hi\""},
  };
  Event e = sample_event();
  e.fields = fields;
  EXPECT_EQ(sinks::to_json(e),
            R"({"ts":"2026-11-22T22:45:19.123Z","source":"/var/log/app.log","offset":1234,)"
            R"("observer":"lines","kind":"line","severity":"info","message":"GET /index.html 200",)"
            R"("fields":{"count":42,"neg":-7,"zero":0,"ratio":0.25,"exp":-1.5e3,"big":2E+10,)"
            R"("minus0":-0,"octal":"007","plus":"+1","dot":".5","trail":"1.","bare_e":"1e",)"
            R"("hex":"0x1F","nan":"NaN","space":" 1","empty":"","word":"db-7",)"
            R"("quote":"say \"hi\""}})");
  const test::JsonlOutput parsed = test::parse_jsonl(sinks::to_json(e) + "\n");
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  EXPECT_EQ(parsed.records.size(), 1u);
}

TEST_F(JsonlTest, FieldsFollowTruncated) {
  const Field fields[] = {{"n", "1"}};
  Event e = sample_event();
  e.truncated = true;
  e.fields = fields;
  const std::string json = sinks::to_json(e);
  EXPECT_TRUE(json.ends_with(R"(,"truncated":true,"fields":{"n":1}})")) << json;
}

TEST_F(JsonlTest, EscapesControlBytesAndInvalidUtf8) {
  struct Case {
    std::string message;
    std::string json;
  };
  const Case cases[] = {
      {"plain", R"("plain")"},
      {"quote \" and \\ backslash", R"("quote \" and \\ backslash")"},
      {"tab\there\r\n", R"("tab\there\r\n")"},
      {std::string("nul\0byte", 8), R"("nul\u0000byte")"},
      {"\x01\x1f\x7f", R"("\u0001\u001f\u007f")"},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
      {"bad \xff byte", R"("bad \u00ff byte")"},
      {"stray \x80 continuation", R"("stray \u0080 continuation")"},
      {"overlong \xc0\xaf", R"("overlong \u00c0\u00af")"},
      {"cut \xe2\x82", R"("cut \u00e2\u0082")"},
      {"surrogate \xed\xa0\x80", R"("surrogate \u00ed\u00a0\u0080")"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    Event e = sample_event();
    e.message = c.message;
    const std::string json = sinks::to_json(e);
    const std::string tail = ",\"message\":" + c.json + "}";
    EXPECT_TRUE(json.ends_with(tail)) << json;
    // Whatever the input, the output holds no raw control byte, parses as JSON, and gives
    // the line back as documented.
    for (char ch : json) EXPECT_GE(static_cast<unsigned char>(ch), 0x20);
    const test::JsonlOutput parsed = test::parse_jsonl(json + "\n");
    EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
    ASSERT_EQ(parsed.records.size(), 1u);
    EXPECT_EQ(parsed.records[0].message, test::json_round_trip(c.message));
  }
}

TEST_F(JsonlTest, EscapesEveryStringMember) {
  Event e = sample_event();
  e.source = "logs/\"odd\"\n.log";
  e.observer = "ob\\s";
  e.kind = "k\x01";
  const Field fields[] = {{"k\"ey", "v\nal"}};
  e.fields = fields;
  EXPECT_EQ(sinks::to_json(e),
            R"({"ts":"2026-11-22T22:45:19.123Z","source":"logs/\"odd\"\n.log","offset":1234,)"
            R"("observer":"ob\\s","kind":"k\u0001","severity":"info",)"
            R"("message":"GET /index.html 200","fields":{"k\"ey":"v\nal"}})");
}

TEST_F(JsonlTest, FormatsTimestampsInUtcWithMilliseconds) {
  using std::chrono::year;
  struct Case {
    Clock::time_point time;
    const char* ts;
  };
  const Case cases[] = {
      {Clock::time_point{}, "1970-01-01T00:00:00.000Z"},
      {at(year{2026} / 11 / 22, 22h + 45min + 19s + 123ms), "2026-11-22T22:45:19.123Z"},
      {at(year{2026} / 1 / 2, 3h + 4min + 5s + 6ms), "2026-01-02T03:04:05.006Z"},
      {at(year{2024} / 2 / 29, 23h + 59min + 59s + 999ms), "2024-02-29T23:59:59.999Z"},
      {at(year{2000} / 12 / 31, 12h + 30ms), "2000-12-31T12:00:00.030Z"},
      // Below a millisecond is cut, never rounded up into the next one.
      {at(year{2026} / 11 / 22, 22h + 45min + 19s + 123999us), "2026-11-22T22:45:19.123Z"},
      {at(year{1999} / 12 / 31, 23h + 59min + 59s + 999999us), "1999-12-31T23:59:59.999Z"},
      // Before 1970 counts backwards from the epoch and still rounds down.
      {Clock::time_point{} - 1ms, "1969-12-31T23:59:59.999Z"},
      {Clock::time_point{} - 1us, "1969-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ts);
    Event e = sample_event();
    e.time = c.time;
    const std::string json = sinks::to_json(e);
    EXPECT_EQ(json.substr(0, 33), std::string(R"({"ts":")") + c.ts + "\",") << json;
  }
}

TEST_F(JsonlTest, FileSinkAppendsOneLinePerEventAndAcknowledgesOnFlush) {
  const auto path = dir_.file("out.jsonl");
  dir_.write("out.jsonl", "kept\n");
  auto sink = open_sink(path);
  EXPECT_EQ(sink->name(), "jsonl");

  Event e = sample_event();
  TestDelivery delivery(acks_);
  ASSERT_TRUE(sink->consume(e, delivery).ok());
  EXPECT_TRUE(delivery.deferred);
  e.offset = 1254;
  e.message = "second";
  ASSERT_TRUE(consume(*sink, e).ok());

  // Nothing is written or acknowledged before the batch is flushed.
  EXPECT_EQ(dir_.read("out.jsonl"), "kept\n");
  EXPECT_EQ(acks_.acked, 0);

  ASSERT_TRUE(sink->flush().ok());
  EXPECT_EQ(acks_.acked, 2);
  EXPECT_EQ(acks_.abandoned, 0);
  Event first = sample_event();
  EXPECT_EQ(dir_.read("out.jsonl"),
            "kept\n" + sinks::to_json(first) + "\n" + sinks::to_json(e) + "\n");

  // An empty flush and close write nothing more.
  ASSERT_TRUE(sink->flush().ok());
  ASSERT_TRUE(sink->close().ok());
  EXPECT_EQ(acks_.acked, 2);
}

TEST_F(JsonlTest, FileSinkWritesEachEventsOwnTime) {
  auto sink = open_sink(dir_.file("out.jsonl"));
  const Clock::time_point base = sample_event().time;
  // Repeats, steps forward and back, and a change only below the millisecond.
  const Clock::time_point times[] = {base,       base,       base + 1ms, base + 1ms + 500us,
                                     base - 1ms, base + 24h, base,       Clock::time_point{}};
  std::string expected;
  for (const Clock::time_point time : times) {
    Event e = sample_event();
    e.time = time;
    ASSERT_TRUE(consume(*sink, e).ok());
    expected += sinks::to_json(e) + "\n";
  }
  ASSERT_TRUE(sink->flush().ok());
  EXPECT_EQ(dir_.read("out.jsonl"), expected);
  EXPECT_NE(expected.find("2026-11-23T22:45:19.123Z"), std::string::npos);
  EXPECT_NE(expected.find("2026-11-22T22:45:19.122Z"), std::string::npos);
}

TEST_F(JsonlTest, CloseWritesWhatIsBuffered) {
  auto sink = open_sink(dir_.file("out.jsonl"));
  ASSERT_TRUE(consume(*sink, sample_event()).ok());
  ASSERT_TRUE(sink->close().ok());
  EXPECT_EQ(acks_.acked, 1);
  EXPECT_EQ(dir_.read("out.jsonl"), sinks::to_json(sample_event()) + "\n");
}

TEST_F(JsonlTest, BufferedEventsAreNotAcknowledgedWhenTheSinkIsDestroyed) {
  auto sink = open_sink(dir_.file("out.jsonl"));
  ASSERT_TRUE(consume(*sink, sample_event()).ok());
  sink.reset();
  EXPECT_EQ(acks_.acked, 0);
  EXPECT_EQ(acks_.abandoned, 1);
}

TEST_F(JsonlTest, CreatesTheFileWithMode0644) {
  const mode_t old_mask = ::umask(022);
  auto sink = sinks::jsonl(dir_.file("new.jsonl"));
  ::umask(old_mask);
  ASSERT_TRUE(sink.ok()) << sink.status().message();
  struct stat st {};
  ASSERT_EQ(::stat(dir_.file("new.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(JsonlTest, LargeBatchIsWrittenBeforeItsFlush) {
  auto sink = open_sink(dir_.file("out.jsonl"));
  const std::string big(100 * 1024, 'x');
  Event e = sample_event();
  e.message = big;
  const std::size_t line_size = sinks::to_json(e).size() + 1;
  // 1 MiB of output crosses the bound: everything consumed so far is written at once.
  const int to_cross = static_cast<int>((std::size_t{1} << 20) / line_size) + 1;
  for (int i = 0; i < to_cross; ++i) ASSERT_TRUE(consume(*sink, e).ok());
  EXPECT_EQ(acks_.acked, to_cross);
  EXPECT_EQ(std::filesystem::file_size(dir_.file("out.jsonl")), to_cross * line_size);

  ASSERT_TRUE(consume(*sink, e).ok());
  EXPECT_EQ(acks_.acked, to_cross);
  ASSERT_TRUE(sink->flush().ok());
  EXPECT_EQ(acks_.acked, to_cross + 1);
  EXPECT_EQ(std::filesystem::file_size(dir_.file("out.jsonl")), (to_cross + 1) * line_size);
}

TEST_F(JsonlTest, WriteErrorNamesTheFileAndLeavesEventsUnacknowledged) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  auto sink = open_sink("/dev/full");
  ASSERT_TRUE(consume(*sink, sample_event()).ok());
  ASSERT_TRUE(consume(*sink, sample_event()).ok());
  const Status s = sink->flush();
  EXPECT_EQ(s.kind(), StatusKind::io_error);
  EXPECT_EQ(s.message(),
            "cannot write events to '/dev/full': No space left on device; they stay "
            "unacknowledged and come again after a restart");
  EXPECT_EQ(acks_.acked, 0);
  EXPECT_EQ(acks_.abandoned, 2);

  // The sink carries on with the next batch rather than resending the failed one.
  ASSERT_TRUE(consume(*sink, sample_event()).ok());
  EXPECT_FALSE(sink->flush().ok());
  EXPECT_EQ(acks_.abandoned, 3);
}

TEST_F(JsonlTest, OpenFailureNamesThePathAndTheReason) {
  struct Case {
    std::filesystem::path path;
    StatusKind kind;
    const char* reason;
  };
  const Case cases[] = {
      {dir_.file("missing/out.jsonl"), StatusKind::not_found, "No such file or directory"},
      {dir_.path(), StatusKind::io_error, "Is a directory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path.string());
    auto sink = sinks::jsonl(c.path);
    ASSERT_FALSE(sink.ok());
    EXPECT_EQ(sink.status().kind(), c.kind);
    EXPECT_EQ(sink.status().message(),
              "cannot open jsonl output '" + c.path.string() + "': " + c.reason +
                  "; check that its directory exists and is writable");
  }
}

TEST_F(JsonlTest, EmptyPathAndDashMeanStandardOutput) {
  for (const char* path : {"", "-"}) {
    auto sink = sinks::jsonl(path);
    ASSERT_TRUE(sink.ok()) << sink.status().message();
    EXPECT_EQ((*sink)->name(), "jsonl");
    EXPECT_FALSE(std::filesystem::exists(dir_.file("-")));
  }
}

TEST_F(JsonlTest, CallbackSinkCallsTheFunctionAndPassesItsStatus) {
  std::vector<std::string> seen;
  auto sink = sinks::callback([&](const Event& e) -> Status {
    seen.emplace_back(e.message);
    if (e.message == "refuse") return {StatusKind::unavailable, "pager is down"};
    if (e.message == "throw") throw std::runtime_error("boom");
    return {};
  });
  EXPECT_EQ(sink->name(), "callback");
  Event e = sample_event();
  TestDelivery delivery(acks_);
  EXPECT_TRUE(sink->consume(e, delivery).ok());
  EXPECT_FALSE(delivery.deferred);

  e.message = "refuse";
  const Status refused = consume(*sink, e);
  EXPECT_EQ(refused.kind(), StatusKind::unavailable);
  EXPECT_EQ(refused.message(), "pager is down");

  e.message = "throw";
  const Status thrown = consume(*sink, e);
  EXPECT_EQ(thrown.kind(), StatusKind::internal);
  EXPECT_EQ(thrown.message(), "callback sink threw: boom");
  EXPECT_EQ(seen, (std::vector<std::string>{"GET /index.html 200", "refuse", "throw"}));
}

TEST_F(JsonlTest, CountingSinkCountsEventsAndMessageBytes) {
  sinks::Counting counting;
  Event e = sample_event();
  for (const char* message : {"a", "bcd", ""}) {
    e.message = message;
    TestDelivery delivery(acks_);
    ASSERT_TRUE(counting.consume(e, delivery).ok());
    EXPECT_FALSE(delivery.deferred);
  }
  EXPECT_EQ(counting.events(), 3u);
  EXPECT_EQ(counting.bytes(), 4u);
}

}  // namespace
}  // namespace logtail
