// load_plugin on real shared libraries (built from tests/plugin/plugins/*.cc): the good one
// adds its observer and sink, and every broken one is refused with its exact message while
// the registry stays as it was.
#include "logtail/plugin.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <uv.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "logtail/event.h"
#include "logtail/observer.h"
#include "logtail/registry.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

std::filesystem::path plugin(std::string_view name) {
  return std::filesystem::path(LOGTAIL_TEST_PLUGIN_DIR) / (std::string(name) + ".so");
}

const std::string kThisVersion =
    fmt::format("{}.{}", LOGTAIL_VERSION_MAJOR, LOGTAIL_VERSION_MINOR);
const std::string kUseMacro = "define the entry point with LOGTAIL_PLUGIN(name, register_fn)";

class RecordingEmitter final : public Emitter {
 public:
  using Emitter::emit;
  void emit(const Event& event) override { events.emplace_back(event); }
  std::vector<OwnedEvent> events;

 protected:
  std::string_view current_source() const override { return "logs/app.log"; }
};

class NoDelivery final : public Delivery {
 public:
  Ticket defer() override { return {}; }
};

class PluginLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(add_core_builtins(registry_).ok()); }

  // The registry's names, to show that a refused plugin changed nothing.
  std::vector<std::string> all_names() const {
    std::vector<std::string> names = registry_.observer_names();
    for (const std::string& sink : registry_.sink_names()) names.push_back("sink:" + sink);
    return names;
  }

  Registry registry_;
  test::TempDir dir_;
};

TEST_F(PluginLoaderTest, LoadsAGoodPluginAndItsObserverWorks) {
  auto loaded = load_plugin(plugin("good"), registry_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->name, "good");
  EXPECT_EQ(loaded->path, plugin("good"));
  EXPECT_EQ(loaded->built_against, LOGTAIL_VERSION_STRING);
  EXPECT_EQ(loaded->observers, (std::vector<std::string>{"plugin_echo"}));
  EXPECT_EQ(loaded->sinks, (std::vector<std::string>{"plugin_discard"}));
  EXPECT_EQ(registry_.observer_names(), (std::vector<std::string>{"lines", "plugin_echo"}));

  // The plugin's observer, made by the plugin's factory, run by this process.
  auto observer = registry_.make_observer("plugin_echo=echo: ");
  ASSERT_TRUE(observer.ok()) << observer.status().message();
  EXPECT_EQ((*observer)->name(), "plugin_echo");
  RecordingEmitter out;
  const Line lines[] = {Line("first", 0), Line("second", 6)};
  (*observer)->on_batch(LineBatch("logs/app.log", "first\nsecond\n", 0, lines), out);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0]->message, "echo: first");
  EXPECT_EQ(out.events[1]->message, "echo: second");
  EXPECT_EQ(out.events[1]->offset, 6u);
  EXPECT_EQ(out.events[1]->kind, "echo");
  EXPECT_EQ(out.events[1]->severity, Severity::notice);
  EXPECT_EQ(out.events[1]->source, "logs/app.log");
  ASSERT_EQ(out.events[1]->fields.size(), 1u);
  EXPECT_EQ(out.events[1]->fields[0].key, "plugin");
  EXPECT_EQ(out.events[1]->fields[0].value, "good");

  auto sink = registry_.make_sink("plugin_discard");
  ASSERT_TRUE(sink.ok()) << sink.status().message();
  EXPECT_EQ((*sink)->name(), "plugin_discard");
  NoDelivery delivery;
  EXPECT_TRUE((*sink)->consume(out.events[0].view(), delivery).ok());
}

TEST_F(PluginLoaderTest, OnlyMajorAndMinorMustMatch) {
  auto loaded = load_plugin(plugin("other_patch"), registry_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->built_against, kThisVersion + ".999");
  EXPECT_EQ(loaded->observers, (std::vector<std::string>{"plugin_versioned"}));
}

TEST_F(PluginLoaderTest, TheSamePluginLoadsIntoEveryRegistry) {
  Registry other;
  ASSERT_TRUE(load_plugin(plugin("good"), registry_).ok());
  auto again = load_plugin(plugin("good"), other);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(other.observer_names(), (std::vector<std::string>{"plugin_echo"}));
  EXPECT_TRUE(other.make_observer("plugin_echo").ok());
  EXPECT_TRUE(registry_.make_observer("plugin_echo").ok());
}

TEST_F(PluginLoaderTest, LoadingTwiceIntoOneRegistryNamesTheDuplicate) {
  ASSERT_TRUE(load_plugin(plugin("good"), registry_).ok());
  const auto before = all_names();
  auto again = load_plugin(plugin("good"), registry_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().kind(), StatusKind::already_exists);
  EXPECT_EQ(again.status().message(),
            fmt::format("plugin '{}' (good) could not register its observers: observer "
                        "'plugin_echo' is already registered; register it once or pick another "
                        "name",
                        plugin("good").string()));
  EXPECT_EQ(all_names(), before);
  // The first load is untouched by the refused second one.
  EXPECT_TRUE(registry_.make_observer("plugin_echo").ok());
}

TEST_F(PluginLoaderTest, ARelativePathIsAFileNotALibrarySearch) {
  // A bare file name must mean the file in the working directory: dlopen would otherwise
  // look for it in the library search path and not find it.
  std::filesystem::copy_file(plugin("good"), dir_.file("librelative_good.so"));
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  auto loaded = load_plugin("librelative_good.so", registry_);
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->path, "librelative_good.so");
  EXPECT_EQ(loaded->observers, (std::vector<std::string>{"plugin_echo"}));
}

struct Refusal {
  const char* name;
  std::filesystem::path path;
  StatusKind kind;
  std::string message;  // after "plugin 'PATH' "
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class RefusalTest : public PluginLoaderTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(RefusalTest, RefusesWithOneExactLineAndChangesNothing) {
  const Refusal& r = GetParam();
  const auto before = all_names();
  auto loaded = load_plugin(r.path, registry_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().kind(), r.kind) << to_string(loaded.status().kind());
  EXPECT_EQ(loaded.status().message(), fmt::format("plugin '{}' {}", r.path.string(), r.message));
  EXPECT_EQ(all_names(), before);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusalTest,
    ::testing::Values(
        Refusal{"missing", plugin("no_such_plugin"), StatusKind::not_found,
                "does not exist; give the path of a plugin's shared library"},
        Refusal{"no_entry_point", plugin("no_entry"), StatusKind::invalid_argument,
                "is not a logtail plugin: it has no logtail_plugin_v1; " + kUseMacro},
        Refusal{"wrong_abi", plugin("wrong_abi"), StatusKind::failed_precondition,
                "uses plugin ABI 999, this logtail loads ABI 1; rebuild the plugin against this "
                "version"},
        Refusal{"wrong_version", plugin("wrong_version"), StatusKind::failed_precondition,
                "was built against logtail 99.7, this is " + kThisVersion +
                    "; rebuild the plugin against this version"},
        Refusal{"other_minor", plugin("other_minor"), StatusKind::failed_precondition,
                fmt::format("was built against logtail {}.{}, this is {}; rebuild the plugin "
                            "against this version",
                            LOGTAIL_VERSION_MAJOR, LOGTAIL_VERSION_MINOR + 1, kThisVersion)},
        Refusal{"bad_version", plugin("bad_version"), StatusKind::failed_precondition,
                "reports logtail version 'banana', which is not MAJOR.MINOR.PATCH; rebuild the "
                "plugin against this version"},
        Refusal{"no_version", plugin("no_version"), StatusKind::failed_precondition,
                "reports logtail version '', which is not MAJOR.MINOR.PATCH; rebuild the plugin "
                "against this version"},
        Refusal{"no_name", plugin("no_name"), StatusKind::invalid_argument,
                "has no name; " + kUseMacro},
        Refusal{"registration_fails", plugin("failing"), StatusKind::unavailable,
                "(failing) could not register its observers: license server did not answer; "
                "start it or run without this plugin"},
        Refusal{"registration_throws", plugin("throwing"), StatusKind::internal,
                "(failing) could not register its observers: its registration threw: "
                "configuration table is empty"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return std::string(info.param.name); });

// What libuv itself says about a file it cannot load, for the exact expected message.
std::string uv_load_error(const std::filesystem::path& path) {
  uv_lib_t lib{};
  std::string error = "(it loaded)";
  if (uv_dlopen(path.c_str(), &lib) != 0) error = uv_dlerror(&lib);
  uv_dlclose(&lib);
  return error;
}

TEST_F(PluginLoaderTest, AFileThatIsNotASharedObjectIsRefusedWithTheLoadersReason) {
  struct Case {
    const char* name;
    std::string contents;  // empty: a directory
  };
  const Case cases[] = {
      {"text.so", "not a shared object\n"},
      {"empty.so", ""},
      {"directory.so", "<dir>"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto path = dir_.file(c.name);
    if (c.contents == "<dir>") {
      std::filesystem::create_directory(path);
    } else {
      dir_.write(c.name, c.contents);
    }
    const std::string reason = uv_load_error(path);
    ASSERT_NE(reason, "(it loaded)");
    ASSERT_NE(reason.find(path.string()), std::string::npos) << reason;

    const auto before = all_names();
    auto loaded = load_plugin(path, registry_);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(loaded.status().message(),
              fmt::format("plugin '{}' cannot be loaded: {}; give a shared library built as a "
                          "logtail plugin",
                          path.string(), reason));
    EXPECT_EQ(all_names(), before);
  }
}

TEST_F(PluginLoaderTest, AnEmptyPathIsRefused) {
  auto loaded = load_plugin("", registry_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(loaded.status().message(),
            "plugin path is empty; give the path of a plugin's shared library");
}

TEST_F(PluginLoaderTest, ARefusedPluginDoesNotSpoilALaterGoodOne) {
  ASSERT_FALSE(load_plugin(plugin("failing"), registry_).ok());
  ASSERT_FALSE(load_plugin(plugin("wrong_version"), registry_).ok());
  auto loaded = load_plugin(plugin("good"), registry_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(registry_.observer_names(), (std::vector<std::string>{"lines", "plugin_echo"}));
}

}  // namespace
}  // namespace logtail
