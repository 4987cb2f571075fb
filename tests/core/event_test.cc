#include "logtail/event.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace logtail {
namespace {

class EventTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(EventTest, SeverityNames) {
  const std::vector<std::pair<Severity, std::string_view>> names = {
      {Severity::debug, "debug"},     {Severity::info, "info"},   {Severity::notice, "notice"},
      {Severity::warning, "warning"}, {Severity::error, "error"}, {Severity::critical, "critical"},
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(names[i].first), i) << "severities are in order";
    EXPECT_EQ(to_string(names[i].first), names[i].second);
    EXPECT_EQ(parse_severity(names[i].second), names[i].first);
  }
  // A severity added without a name shows up here.
  EXPECT_EQ(to_string(static_cast<Severity>(names.size())), "unknown");
}

TEST_F(EventTest, ParseSeverity) {
  const std::vector<std::pair<std::string_view, std::optional<Severity>>> cases = {
      {"debug", Severity::debug},      {"DEBUG", Severity::debug},
      {"Info", Severity::info},        {"notice", Severity::notice},
      {"warning", Severity::warning},  {"warn", Severity::warning},
      {"WARN", Severity::warning},     {"error", Severity::error},
      {"err", Severity::error},        {"ERR", Severity::error},
      {"critical", Severity::critical}, {"crit", Severity::critical},
      {"fatal", Severity::critical},   {"FATAL", Severity::critical},
      {"", std::nullopt},              {"inf", std::nullopt},
      {"warnings", std::nullopt},      {" info", std::nullopt},
      {"info ", std::nullopt},         {"unknown", std::nullopt},
      {"e", std::nullopt},             {std::string_view("info\0", 5), std::nullopt},
  };
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(parse_severity(text), want) << "'" << text << "'";
  }
}

// Builds an Event whose views point into buffers the test then destroys.
struct Source {
  std::string source = "/var/log/app.log";
  std::string observer = "obs";
  std::string kind = "k";
  std::string message = "m";  // short: lives inside the string object
  std::string key1 = "a", value1 = "1";
  std::string key2 = "a key long enough to be stored on the heap, not inline";
  std::string value2 = "v";
  std::vector<Field> fields;

  Event event() {
    fields = {{key1, value1}, {key2, value2}};
    Event e;
    e.time = Clock::time_point(std::chrono::seconds(1700000000));
    e.source = source;
    e.offset = 4242;
    e.observer = observer;
    e.kind = kind;
    e.severity = Severity::error;
    e.message = message;
    e.truncated = true;
    e.fields = fields;
    return e;
  }
};

void expect_contents(const OwnedEvent& o) {
  const Event& e = o.view();
  EXPECT_EQ(e.time, Clock::time_point(std::chrono::seconds(1700000000)));
  EXPECT_EQ(e.source, "/var/log/app.log");
  EXPECT_EQ(e.offset, 4242u);
  EXPECT_EQ(e.observer, "obs");
  EXPECT_EQ(e.kind, "k");
  EXPECT_EQ(e.severity, Severity::error);
  EXPECT_EQ(e.message, "m");
  EXPECT_TRUE(e.truncated);
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0].key, "a");
  EXPECT_EQ(e.fields[0].value, "1");
  EXPECT_EQ(e.fields[1].key, "a key long enough to be stored on the heap, not inline");
  EXPECT_EQ(e.fields[1].value, "v");
  EXPECT_EQ(o->message, "m");
}

// True when some view of `o` points into the bytes of the object at `p` (a dead or moved
// object): the bug this checks for reads correct-looking bytes until the memory is reused.
bool views_point_into(const OwnedEvent& o, const void* p, std::size_t size) {
  const auto* lo = static_cast<const char*>(p);
  const auto* hi = lo + size;
  auto inside = [&](std::string_view v) { return v.data() >= lo && v.data() < hi; };
  const Event& e = o.view();
  bool any = inside(e.source) || inside(e.observer) || inside(e.kind) || inside(e.message);
  for (const Field& f : e.fields) any = any || inside(f.key) || inside(f.value);
  return any;
}

// True when a view of `a` and the matching view of `b` point at the same bytes: copies must
// own theirs, heap-allocated strings included.
bool shares_bytes(const OwnedEvent& a, const OwnedEvent& b) {
  const Event& x = a.view();
  const Event& y = b.view();
  auto same = [](std::string_view u, std::string_view v) {
    return !u.empty() && u.data() == v.data();
  };
  bool any = same(x.source, y.source) || same(x.observer, y.observer) || same(x.kind, y.kind) ||
             same(x.message, y.message);
  for (std::size_t i = 0; i < x.fields.size() && i < y.fields.size(); ++i) {
    any = any || same(x.fields[i].key, y.fields[i].key) ||
          same(x.fields[i].value, y.fields[i].value);
  }
  return any;
}

TEST_F(EventTest, OwnsItsBytes) {
  auto src = std::make_unique<Source>();
  const OwnedEvent owned(src->event());
  src.reset();
  expect_contents(owned);
}

TEST_F(EventTest, EmptyEvent) {
  const OwnedEvent empty;
  EXPECT_TRUE(empty.view().message.empty());
  EXPECT_TRUE(empty.view().fields.empty());
  const OwnedEvent from_empty{Event{}};
  EXPECT_TRUE(from_empty.view().source.empty());
  EXPECT_TRUE(from_empty.view().fields.empty());
  EXPECT_EQ(from_empty.view().severity, Severity::info);
}

TEST_F(EventTest, CopyRebindsViews) {
  Source src;
  auto original = std::make_unique<OwnedEvent>(src.event());
  const OwnedEvent copy(*original);
  EXPECT_FALSE(views_point_into(copy, original.get(), sizeof(OwnedEvent)));
  EXPECT_FALSE(shares_bytes(copy, *original));
  original.reset();
  expect_contents(copy);
}

TEST_F(EventTest, CopyAssignRebindsViews) {
  Source src;
  auto original = std::make_unique<OwnedEvent>(src.event());
  OwnedEvent target;
  target = *original;
  EXPECT_FALSE(views_point_into(target, original.get(), sizeof(OwnedEvent)));
  EXPECT_FALSE(shares_bytes(target, *original));
  original.reset();
  expect_contents(target);

  const OwnedEvent& alias = target;
  target = alias;  // self-assignment keeps everything
  expect_contents(target);
}

TEST_F(EventTest, MoveRebindsViews) {
  Source src;
  auto original = std::make_unique<OwnedEvent>(src.event());
  const OwnedEvent moved(std::move(*original));
  EXPECT_FALSE(views_point_into(moved, original.get(), sizeof(OwnedEvent)));
  // Reuse the moved-from object, then destroy it: the new one must not notice.
  *original = OwnedEvent(Event{});
  original.reset();
  expect_contents(moved);
}

TEST_F(EventTest, MoveAssignRebindsViews) {
  Source src;
  auto original = std::make_unique<OwnedEvent>(src.event());
  Event old;
  old.message = "old";
  OwnedEvent target(old);
  target = std::move(*original);
  EXPECT_FALSE(views_point_into(target, original.get(), sizeof(OwnedEvent)));
  original.reset();
  expect_contents(target);
}

TEST_F(EventTest, MovedFromStaysUsable) {
  Source src;
  OwnedEvent a(src.event());
  OwnedEvent b(std::move(a));
  // The moved-from object's views are its own (not the new owner's).
  EXPECT_FALSE(views_point_into(a, &b, sizeof b));
  EXPECT_TRUE(a.view().fields.empty());
  a = b;
  expect_contents(a);
  expect_contents(b);
}

TEST_F(EventTest, SurvivesVectorGrowth) {
  std::vector<OwnedEvent> events;
  std::vector<std::string> messages;
  for (int i = 0; i < 200; ++i) {
    // Alternate short and long messages so both inline and heap strings move.
    std::string message = (i % 2 == 0) ? std::to_string(i)
                                        : "a long message number " + std::to_string(i) +
                                              " that does not fit inline";
    const std::string key = "k" + std::to_string(i);
    const Field field{key, message};
    Event e;
    e.message = message;
    e.offset = static_cast<std::uint64_t>(i);
    e.fields = std::span<const Field>(&field, 1);
    events.emplace_back(e);  // reallocations move the earlier events
    messages.push_back(message);
  }
  for (int i = 0; i < 200; ++i) {
    const Event& e = events[static_cast<std::size_t>(i)].view();
    EXPECT_EQ(e.message, messages[static_cast<std::size_t>(i)]);
    EXPECT_EQ(e.offset, static_cast<std::uint64_t>(i));
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].key, "k" + std::to_string(i));
    EXPECT_EQ(e.fields[0].value, messages[static_cast<std::size_t>(i)]);
  }
}

TEST_F(EventTest, FieldsAreIndependentCopies) {
  std::string key = "count";
  std::string value = "42";
  const Field f{key, value};
  Event e;
  e.fields = std::span<const Field>(&f, 1);
  const OwnedEvent owned(e);
  key = "XXXXX";
  value = "99";
  ASSERT_EQ(owned->fields.size(), 1u);
  EXPECT_EQ(owned->fields[0].key, "count");
  EXPECT_EQ(owned->fields[0].value, "42");
}

}  // namespace
}  // namespace logtail
