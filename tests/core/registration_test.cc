// LOGTAIL_REGISTER_OBSERVER and add_registered_observers. The observers below are recorded
// by this test binary's own static initialisers, the way a host's source files would record
// theirs.
#include "logtail/registration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "logtail/event.h"
#include "logtail/observer.h"

namespace logtail {
namespace {

constexpr std::string_view kPrefix = "registration_test_";

// Emits each line upper-cased: kind "upper".
class UpperObserver final : public LineObserver {
 public:
  std::string_view name() const override { return "registration_test_upper"; }
  void on_line(const Line& line, Emitter& out) override {
    std::string upper(line.text());
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out.emit(Severity::info, "upper", line, upper);
  }
};

// Emits lines longer than its ARG: kind "long".
class LongerThan final : public LineObserver {
 public:
  explicit LongerThan(std::size_t limit) : limit_(limit) {}
  std::string_view name() const override { return "registration_test_longer"; }
  void on_line(const Line& line, Emitter& out) override {
    if (line.text().size() > limit_) out.emit(Severity::notice, "long", line);
  }

 private:
  std::size_t limit_;
};

}  // namespace

LOGTAIL_REGISTER_OBSERVER("registration_test_upper",
                          [](std::string_view) -> Result<std::unique_ptr<LineObserver>> {
                            return std::unique_ptr<LineObserver>(
                                std::make_unique<UpperObserver>());
                          });

// The factory's body has commas outside any parentheses (the braced Status), which the
// macro must take as one argument.
LOGTAIL_REGISTER_OBSERVER(
    "registration_test_longer",
    [](std::string_view arg) -> Result<std::unique_ptr<LineObserver>> {
      std::size_t limit = 0;
      auto [end, error] = std::from_chars(arg.data(), arg.data() + arg.size(), limit);
      if (arg.empty() || error != std::errc() || end != arg.data() + arg.size()) {
        return Status{StatusKind::invalid_argument,
                      "observer 'registration_test_longer' takes a length in bytes, not '" +
                          std::string(arg) + "'; write registration_test_longer=80"};
      }
      return std::unique_ptr<LineObserver>(std::make_unique<LongerThan>(limit));
    });

namespace {

// Records what an observer emits, as the engine's emitter would receive it.
class RecordingEmitter final : public Emitter {
 public:
  using Emitter::emit;
  void emit(const Event& event) override { events.emplace_back(event); }
  std::vector<OwnedEvent> events;

 protected:
  std::string_view current_source() const override { return "logs/app.log"; }
};

// The names this file recorded, as a registry lists them (another file of the binary may
// record more).
std::vector<std::string> names_of_this_test(const Registry& registry) {
  std::vector<std::string> names = registry.observer_names();
  std::erase_if(names, [](const std::string& n) { return !n.starts_with(kPrefix); });
  return names;
}

ObserverFactory make_upper() {
  return [](std::string_view) -> Result<std::unique_ptr<LineObserver>> {
    return std::unique_ptr<LineObserver>(std::make_unique<UpperObserver>());
  };
}

class RegistrationTest : public ::testing::Test {
 protected:
  // Feeds `text` as one line to the observer `spec` builds; returns what it emitted.
  std::vector<OwnedEvent> feed(std::string_view spec, std::string_view text) {
    auto observer = registry_.make_observer(spec);
    EXPECT_TRUE(observer.ok()) << observer.status().message();
    if (!observer.ok()) return {};
    RecordingEmitter out;
    (*observer)->on_line(Line(text, 42), out);
    return std::move(out.events);
  }

  Registry registry_;
};

TEST_F(RegistrationTest, AddsEveryRecordedObserver) {
  ASSERT_TRUE(add_registered_observers(registry_).ok());
  EXPECT_EQ(names_of_this_test(registry_),
            (std::vector<std::string>{"registration_test_longer", "registration_test_upper"}));

  auto upper = feed("registration_test_upper", "disk almost full");
  ASSERT_EQ(upper.size(), 1u);
  EXPECT_EQ(upper[0]->message, "DISK ALMOST FULL");
  EXPECT_EQ(upper[0]->kind, "upper");
  EXPECT_EQ(upper[0]->offset, 42u);
  EXPECT_EQ(upper[0]->source, "logs/app.log");
}

TEST_F(RegistrationTest, PassesTheArgToTheRecordedFactory) {
  ASSERT_TRUE(add_registered_observers(registry_).ok());
  struct Case {
    std::string_view spec;
    std::string_view line;
    std::size_t events;
  };
  const Case cases[] = {
      {"registration_test_longer=5", "123456", 1},
      {"registration_test_longer=6", "123456", 0},
      {"registration_test_longer=0", "x", 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    auto events = feed(c.spec, c.line);
    ASSERT_EQ(events.size(), c.events);
    if (c.events == 1) {
      EXPECT_EQ(events[0]->kind, "long");
    }
  }
}

TEST_F(RegistrationTest, TheFactorysErrorReachesTheCaller) {
  ASSERT_TRUE(add_registered_observers(registry_).ok());
  auto made = registry_.make_observer("registration_test_longer=wide");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(made.status().message(),
            "observer 'registration_test_longer' takes a length in bytes, not 'wide'; write "
            "registration_test_longer=80");
}

TEST_F(RegistrationTest, KeepsWhatTheRegistryHadBeside) {
  ASSERT_TRUE(registry_.add_observer("mine", make_upper()).ok());
  ASSERT_TRUE(add_registered_observers(registry_).ok());
  const auto names = registry_.observer_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "mine"), names.end());
  EXPECT_EQ(names_of_this_test(registry_).size(), 2u);
}

TEST_F(RegistrationTest, ANameTheRegistryHasIsAnErrorAndAddsNothing) {
  // A host observer already took one of the recorded names.
  ASSERT_TRUE(registry_.add_observer("registration_test_longer", make_upper()).ok());

  Status added = add_registered_observers(registry_);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.kind(), StatusKind::already_exists);
  EXPECT_EQ(added.message(),
            "LOGTAIL_REGISTER_OBSERVER: observer 'registration_test_longer' is already "
            "registered; register it once or pick another name");

  // All or none: the other recorded name was not added, and the host's own factory is the
  // one that answers.
  EXPECT_EQ(registry_.observer_names(), (std::vector<std::string>{"registration_test_longer"}));
  auto events = feed("registration_test_longer", "quiet");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->message, "QUIET");
}

TEST_F(RegistrationTest, AddingTwiceNamesTheFirstDuplicate) {
  ASSERT_TRUE(add_registered_observers(registry_).ok());
  Status again = add_registered_observers(registry_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.kind(), StatusKind::already_exists);
  // Recorded in the order of this file, which no other file of the binary precedes.
  EXPECT_EQ(again.message(),
            "LOGTAIL_REGISTER_OBSERVER: observer 'registration_test_upper' is already "
            "registered; register it once or pick another name");
}

}  // namespace
}  // namespace logtail
