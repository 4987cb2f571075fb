#include "logtail/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "logtail/observers.h"
#include "logtail/sinks.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

class NamedObserver final : public LineObserver {
 public:
  explicit NamedObserver(std::string arg) : arg_(std::move(arg)) {}
  std::string_view name() const override { return "named"; }
  const std::string& arg() const { return arg_; }

 private:
  std::string arg_;
};

// A factory that remembers the ARG it was given in the observer it builds.
ObserverFactory keeping_arg() {
  return [](std::string_view arg) -> Result<std::unique_ptr<LineObserver>> {
    return std::unique_ptr<LineObserver>(std::make_unique<NamedObserver>(std::string(arg)));
  };
}

SinkFactory counting_sink() {
  return [](std::string_view) -> Result<std::shared_ptr<Sink>> {
    return std::shared_ptr<Sink>(std::make_shared<sinks::Counting>());
  };
}

// Records what an observer emits, as the engine's emitter would receive it.
class KeepingEmitter final : public Emitter {
 public:
  using Emitter::emit;
  void emit(const Event& event) override { events.emplace_back(event); }
  std::vector<OwnedEvent> events;

 protected:
  std::string_view current_source() const override { return "logs/app.log"; }
};

class RegistryTest : public ::testing::Test {
 protected:
  Registry registry_;
  test::TempDir dir_;
};

TEST_F(RegistryTest, AcceptsNamesOfLowercaseLettersDigitsUnderscoreAndDash) {
  for (const char* name : {"a", "lines", "slow_requests", "http-5xx", "0", "a_b-c9"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(registry_.add_observer(name, keeping_arg()).ok());
    EXPECT_TRUE(registry_.add_sink(name, counting_sink()).ok());
  }
}

TEST_F(RegistryTest, RejectsInvalidNamesNamingThem) {
  for (const char* name : {"", "Lines", "a b", "a.b", "a=b", "caf\xc3\xa9", "a/b", "-\n"}) {
    SCOPED_TRACE(name);
    const Status o = registry_.add_observer(name, keeping_arg());
    EXPECT_EQ(o.kind(), StatusKind::invalid_argument);
    EXPECT_EQ(o.message(), std::string("observer name '") + name +
                               "' is not valid; use lowercase letters, digits, '_' and '-'");
    const Status s = registry_.add_sink(name, counting_sink());
    EXPECT_EQ(s.kind(), StatusKind::invalid_argument);
    EXPECT_EQ(s.message(), std::string("sink name '") + name +
                               "' is not valid; use lowercase letters, digits, '_' and '-'");
  }
  EXPECT_TRUE(registry_.observer_names().empty());
  EXPECT_TRUE(registry_.sink_names().empty());
}

TEST_F(RegistryTest, RejectsAnEmptyFactory) {
  const Status s = registry_.add_observer("x", nullptr);
  EXPECT_EQ(s.kind(), StatusKind::invalid_argument);
  EXPECT_EQ(s.message(), "observer 'x' has no factory; pass a callable that builds it");
}

TEST_F(RegistryTest, DuplicateNameIsAnErrorNamingIt) {
  ASSERT_TRUE(registry_.add_observer("slow", keeping_arg()).ok());
  const Status o = registry_.add_observer("slow", keeping_arg());
  EXPECT_EQ(o.kind(), StatusKind::already_exists);
  EXPECT_EQ(o.message(),
            "observer 'slow' is already registered; register it once or pick another name");

  ASSERT_TRUE(registry_.add_sink("pager", counting_sink()).ok());
  const Status s = registry_.add_sink("pager", counting_sink());
  EXPECT_EQ(s.kind(), StatusKind::already_exists);
  EXPECT_EQ(s.message(),
            "sink 'pager' is already registered; register it once or pick another name");

  // Observers and sinks are separate name spaces.
  EXPECT_TRUE(registry_.add_sink("slow", counting_sink()).ok());
}

TEST_F(RegistryTest, UnknownNameListsTheKnownOnesSorted) {
  for (const char* name : {"c", "a", "b"}) {
    ASSERT_TRUE(registry_.add_observer(name, keeping_arg()).ok());
    ASSERT_TRUE(registry_.add_sink(name, counting_sink()).ok());
  }
  auto o = registry_.make_observer("foo");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().kind(), StatusKind::not_found);
  EXPECT_EQ(o.status().message(), "unknown observer 'foo'; known observers: a, b, c");

  auto s = registry_.make_sink("foo=bar");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().kind(), StatusKind::not_found);
  EXPECT_EQ(s.status().message(), "unknown sink 'foo'; known sinks: a, b, c");

  EXPECT_EQ(registry_.observer_names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(registry_.sink_names(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(RegistryTest, UnknownNameInAnEmptyRegistrySaysNoneAreRegistered) {
  auto o = registry_.make_observer("lines");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "unknown observer 'lines'; no observers are registered");
  auto s = registry_.make_sink("jsonl");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "unknown sink 'jsonl'; no sinks are registered");
}

TEST_F(RegistryTest, SpecSplitsAtTheFirstEquals) {
  ASSERT_TRUE(registry_.add_observer("x", keeping_arg()).ok());
  struct Case {
    const char* spec;
    const char* arg;
  };
  const Case cases[] = {
      {"x", ""},
      {"x=", ""},
      {"x=2s", "2s"},
      {"x=a=b", "a=b"},
      {"x==", "="},
      {"x=/var/log/app.log", "/var/log/app.log"},
      {"x= spaced out ", " spaced out "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    auto made = registry_.make_observer(c.spec);
    ASSERT_TRUE(made.ok()) << made.status().message();
    EXPECT_EQ(static_cast<NamedObserver&>(**made).arg(), c.arg);
  }
}

TEST_F(RegistryTest, SpecWithoutANameIsAnError) {
  ASSERT_TRUE(registry_.add_observer("x", keeping_arg()).ok());
  for (const char* spec : {"", "=", "=x"}) {
    SCOPED_TRACE(spec);
    auto made = registry_.make_observer(spec);
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(made.status().message(),
              std::string("observer spec '") + spec + "' has no name; write NAME or NAME=ARG");
  }
}

TEST_F(RegistryTest, FactoryErrorsComeBackUnchanged) {
  auto picky = [](std::string_view arg) -> Result<std::unique_ptr<LineObserver>> {
    return Status(StatusKind::invalid_argument,
                  "picky wants 'yes', not '" + std::string(arg) + "'");
  };
  ASSERT_TRUE(registry_.add_observer("picky", picky).ok());
  auto made = registry_.make_observer("picky=no");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(made.status().message(), "picky wants 'yes', not 'no'");
}

TEST_F(RegistryTest, FactoryThatThrowsOrBuildsNothingIsAnError) {
  ASSERT_TRUE(registry_
                  .add_observer("throws",
                                [](std::string_view) -> Result<std::unique_ptr<LineObserver>> {
                                  throw std::runtime_error("out of patience");
                                })
                  .ok());
  ASSERT_TRUE(registry_
                  .add_sink("null",
                            [](std::string_view) -> Result<std::shared_ptr<Sink>> {
                              return std::shared_ptr<Sink>();
                            })
                  .ok());
  auto thrown = registry_.make_observer("throws");
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.status().kind(), StatusKind::internal);
  EXPECT_EQ(thrown.status().message(), "observer 'throws': its factory threw: out of patience");

  auto null = registry_.make_sink("null=1");
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.status().kind(), StatusKind::internal);
  EXPECT_EQ(null.status().message(), "sink 'null': its factory returned nothing");
}

TEST_F(RegistryTest, CoreBuiltinsArePresent) {
  ASSERT_TRUE(add_core_builtins(registry_).ok());
  EXPECT_EQ(registry_.observer_names(), (std::vector<std::string>{"lines"}));
  EXPECT_EQ(registry_.sink_names(), (std::vector<std::string>{"count", "jsonl"}));

  auto lines = registry_.make_observer("lines");
  ASSERT_TRUE(lines.ok()) << lines.status().message();
  EXPECT_EQ((*lines)->name(), "lines");

  auto count = registry_.make_sink("count");
  ASSERT_TRUE(count.ok()) << count.status().message();
  EXPECT_EQ((*count)->name(), "count");
  EXPECT_NE(dynamic_cast<sinks::Counting*>(count->get()), nullptr);

  for (const char* spec : {"jsonl", "jsonl=", "jsonl=-"}) {
    SCOPED_TRACE(spec);
    auto out = registry_.make_sink(spec);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ((*out)->name(), "jsonl");
  }

  // Adding them twice is the duplicate error, not a silent replacement.
  const Status again = add_core_builtins(registry_);
  EXPECT_EQ(again.kind(), StatusKind::already_exists);
  EXPECT_EQ(again.message(),
            "observer 'lines' is already registered; register it once or pick another name");
}

TEST_F(RegistryTest, JsonlSinkArgumentIsAFileToAppendTo) {
  ASSERT_TRUE(add_core_builtins(registry_).ok());
  const auto file = dir_.file("out.jsonl");
  auto sink = registry_.make_sink("jsonl=" + file.string());
  ASSERT_TRUE(sink.ok()) << sink.status().message();
  EXPECT_TRUE(std::filesystem::exists(file));

  const auto missing = dir_.file("no/such/dir/out.jsonl");
  auto bad = registry_.make_sink("jsonl=" + missing.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), StatusKind::not_found);
  EXPECT_EQ(bad.status().message(),
            "cannot open jsonl output '" + missing.string() +
                "': No such file or directory; check that its directory exists and is writable");
}

TEST_F(RegistryTest, BuiltinsWithoutArgumentsRejectOne) {
  ASSERT_TRUE(add_core_builtins(registry_).ok());
  auto lines = registry_.make_observer("lines=all");
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(lines.status().message(),
            "observer 'lines' takes no argument, not 'all'; write just lines");

  auto count = registry_.make_sink("count=5");
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(count.status().message(), "sink 'count' takes no argument, not '5'; write just count");
}

TEST_F(RegistryTest, LinesObserverEmitsEveryLineAsAnInfoEvent) {
  auto observer = observers::lines();
  ASSERT_NE(observer, nullptr);
  EXPECT_EQ(observer->name(), "lines");

  const std::string bytes = std::string("first\nsecond\r\n\nlong-line-cut") + '\0' + "x\n";
  const Line lines[] = {
      Line(std::string_view(bytes).substr(0, 5), 100),
      Line(std::string_view(bytes).substr(6, 6), 106),
      Line(std::string_view(bytes).substr(14, 0), 114),
      Line(std::string_view(bytes).substr(15, 15), 115, /*truncated=*/true),
  };
  KeepingEmitter out;
  observer->on_batch(LineBatch("logs/app.log", bytes, 100, lines), out);
  observer->on_line(Line("single", 7), out);

  struct Expected {
    std::string message;
    std::uint64_t offset;
    bool truncated;
  };
  const Expected expected[] = {
      {"first", 100, false},
      {"second", 106, false},
      {"", 114, false},
      {std::string("long-line-cut") + '\0' + "x", 115, true},
      {"single", 7, false},
  };
  ASSERT_EQ(out.events.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const Event& e = out.events[i].view();
    EXPECT_EQ(e.kind, "line");
    EXPECT_EQ(e.severity, Severity::info);
    EXPECT_EQ(e.message, expected[i].message);
    EXPECT_EQ(e.offset, expected[i].offset);
    EXPECT_EQ(e.truncated, expected[i].truncated);
    EXPECT_EQ(e.source, "logs/app.log");
    EXPECT_TRUE(e.fields.empty());
  }
}

TEST_F(RegistryTest, EmitterCarriesMessageAndFieldsOfALine) {
  KeepingEmitter out;
  const Line line("GET /slow 2300ms", 42, /*truncated=*/true);
  out.emit(Severity::warning, "slow_request", line, "slow request: 2300ms",
           {{"latency_ms", "2300"}, {"path", "/slow"}});
  ASSERT_EQ(out.events.size(), 1u);
  const Event& e = out.events[0].view();
  EXPECT_EQ(e.kind, "slow_request");
  EXPECT_EQ(e.severity, Severity::warning);
  EXPECT_EQ(e.message, "slow request: 2300ms");
  EXPECT_EQ(e.offset, 42u);
  EXPECT_TRUE(e.truncated);
  EXPECT_EQ(e.source, "logs/app.log");
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0].key, "latency_ms");
  EXPECT_EQ(e.fields[0].value, "2300");
  EXPECT_EQ(e.fields[1].key, "path");
  EXPECT_EQ(e.fields[1].value, "/slow");
}

}  // namespace
}  // namespace logtail
