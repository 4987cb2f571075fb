#include "generator.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

namespace loggen {
namespace {

// 2026-11-26T10:00:00Z: where the simulated clock starts.
constexpr std::uint64_t kSimStartUs = 1795687200ULL * 1000000ULL;

constexpr std::string_view kServices[] = {"payments", "orders",  "auth",     "inventory",
                                          "gateway",  "search",  "notifier", "billing"};
constexpr std::size_t kServiceCount = std::size(kServices);

constexpr std::string_view kTables[] = {"orders", "users", "payments", "products",
                                        "sessions", "invoices", "stock_levels"};
constexpr std::string_view kJobs[] = {"invoice-sync", "stock-reconcile", "email-digest",
                                      "session-gc", "search-reindex"};
constexpr std::string_view kEventTypes[] = {"order.created", "order.paid", "user.signed_up",
                                            "stock.low", "invoice.sent"};
constexpr std::string_view kClients[] = {"ios-app/5.2.1", "android-app/5.1.0", "web/2026.11",
                                         "partner-feed/1.4"};
constexpr std::string_view kWords[] = {"shoes", "red+dress", "laptop", "coffee", "usb-c",
                                       "garden+chair", "headphones"};
constexpr std::string_view kQueries[] = {"select_orders_by_user", "update_stock",
                                         "insert_payment", "load_session", "count_invoices"};
constexpr std::string_view kClasses[] = {"RequestHandler", "OrderService", "LedgerCache",
                                         "ConnectionPool", "SegmentWriter", "BatchLoader",
                                         "Router", "JsonCodec"};
constexpr std::string_view kMethods[] = {"handle", "load", "flush", "acquire", "encode",
                                         "dispatch", "reserve", "apply"};
constexpr std::string_view kExceptions[] = {
    "java.lang.NullPointerException: order.customer is null",
    "java.lang.IllegalStateException: cart already checked out",
    "java.util.concurrent.TimeoutException: upstream inventory did not answer in 2000 ms",
    "java.lang.ArrayIndexOutOfBoundsException: index 12 out of bounds for length 12"};

}  // namespace

// Appends to a caller-provided buffer of Generator::kMaxLine bytes; every template is far
// shorter than that, which the destructor's assert checks in debug builds.
class Generator::Writer {
 public:
  explicit Writer(char* out) : begin_(out), p_(out) {}

  void put(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void put(char c) { *p_++ = c; }
  void num(std::uint64_t v) { p_ = std::to_chars(p_, p_ + 20, v).ptr; }
  void hex(std::uint64_t v, int digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) p_[i] = kDigits[v & 15], v >>= 4;
    p_ += digits;
  }
  void fixed(std::uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) p_[i] = static_cast<char>('0' + v % 10), v /= 10;
    p_ += digits;
  }
  std::size_t size() const { return static_cast<std::size_t>(p_ - begin_); }

 private:
  char* begin_;
  char* p_;
};

Generator::Generator(const GeneratorOptions& options)
    : options_(options),
      rng_(options.seed),
      sim_us_(kSimStartUs),
      sim_step_us_(options.rate > 0 ? 1e6 / options.rate : 0) {
  burst_every_ = options.burst_every;
  if (burst_every_ == 0) {
    burst_every_ =
        options.rate > 0 ? std::max<std::uint64_t>(20, std::llround(options.rate * 10)) : 10000;
  }
  for (auto& pid : pids_) pid = static_cast<std::uint32_t>(rng_.between(1000, 65000));
  until_burst_ = next_burst_gap(true);
}

// The first burst comes a little early, so a short demo run shows one.
std::uint64_t Generator::next_burst_gap(bool first) {
  const std::uint64_t every = burst_every_;
  if (first) return rng_.between(every / 4 + 1, every - every / 4);
  return rng_.between(every / 2 + 1, every + every / 2);
}

std::size_t Generator::next(char* out) {
  Writer w(out);
  if (frames_left_ > 0) {
    frame_line(w);
  } else if (restart_pending_) {
    restart_line(w);
  } else if (options_.incident_bursts && burst_left_ > 0 && rng_.chance(500)) {
    incident_line(w);
  } else {
    if (options_.incident_bursts && burst_left_ == 0 && --until_burst_ == 0) {
      burst_kind_ = static_cast<Incident>(rng_.below(4));
      burst_service_ = rng_.below(kServiceCount);
      // A crash takes a service down once or twice; the other incidents repeat for a while.
      burst_left_ = static_cast<std::uint32_t>(burst_kind_ == Incident::out_of_memory
                                                   ? rng_.between(1, 2)
                                                   : rng_.between(3, 30));
    }
    normal_line(w);
  }
  if (options_.timestamp_us) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    w.put(" t_us=");
    w.num(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now).count()));
  }
  if (options_.sequence) {
    w.put(" seq=");
    w.num(seq_);
  }
  w.put('\n');
  ++seq_;
  assert(w.size() <= kMaxLine);
  return w.size();
}

void Generator::timestamp(Writer& w) {
  std::uint64_t us;
  if (options_.wall_clock) {
    us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  } else {
    // A fixed step at a given rate; otherwise a random gap of 0-2 ms, about 1 ms on average.
    double step = sim_step_us_ > 0 ? sim_step_us_ : static_cast<double>(rng_.below(2000));
    sim_frac_ += step;
    const auto whole = static_cast<std::uint64_t>(sim_frac_);
    sim_frac_ -= static_cast<double>(whole);
    sim_us_ += whole;
    us = sim_us_;
  }
  const auto second = static_cast<std::int64_t>(us / 1000000);
  if (second != cached_second_) {
    const std::time_t t = second;
    std::tm tm{};
    gmtime_r(&t, &tm);
    Writer c(cached_prefix_);
    c.fixed(static_cast<std::uint64_t>(tm.tm_year + 1900), 4);
    c.put('-');
    c.fixed(static_cast<std::uint64_t>(tm.tm_mon + 1), 2);
    c.put('-');
    c.fixed(static_cast<std::uint64_t>(tm.tm_mday), 2);
    c.put('T');
    c.fixed(static_cast<std::uint64_t>(tm.tm_hour), 2);
    c.put(':');
    c.fixed(static_cast<std::uint64_t>(tm.tm_min), 2);
    c.put(':');
    c.fixed(static_cast<std::uint64_t>(tm.tm_sec), 2);
    c.put('.');
    cached_second_ = second;
  }
  w.put(std::string_view(cached_prefix_, sizeof cached_prefix_));
  w.fixed(us / 1000 % 1000, 3);
  w.put('Z');
}

// "2026-11-26T10:15:02.123Z INFO  payments[1234]: "
void Generator::header(Writer& w, std::string_view level, std::size_t service) {
  timestamp(w);
  w.put(' ');
  w.put(level);
  w.put(' ');
  w.put(kServices[service]);
  w.put('[');
  w.num(pids_[service]);
  w.put("]: ");
}

void Generator::request_id(Writer& w) { w.hex(rng_.next(), 16); }

void Generator::path(Writer& w) {
  switch (rng_.below(8)) {
    case 0:
    case 1:
      w.put("/api/v1/orders/");
      w.num(rng_.between(1, 999999));
      break;
    case 2:
      w.put("/api/v1/users/");
      w.num(rng_.between(1, 250000));
      w.put("/profile");
      break;
    case 3:
      w.put("/api/v1/products?page=");
      w.num(rng_.between(1, 40));
      break;
    case 4: w.put("/api/v1/cart"); break;
    case 5:
      w.put("/api/v1/payments/");
      w.num(rng_.between(1, 999999));
      w.put("/capture");
      break;
    case 6:
      w.put("/api/v2/search?q=");
      w.put(rng_.pick(kWords));
      break;
    default: w.put("/health"); break;
  }
}

void Generator::normal_line(Writer& w) {
  const std::uint32_t r = rng_.below(1000);
  if (r < 500) {
    request_line(w);
  } else if (r < 620) {
    info_line(w);
  } else if (r < 970) {
    debug_line(w);
  } else {
    warn_line(w);
  }
}

void Generator::request_line(Writer& w) {
  header(w, "INFO ", rng_.below(kServiceCount));
  w.put("request id=");
  request_id(w);
  const std::uint32_t m = rng_.below(100);
  w.put(m < 70 ? " method=GET" : m < 90 ? " method=POST" : m < 95 ? " method=PUT"
                                                                   : " method=DELETE");
  w.put(" path=");
  path(w);
  static constexpr std::uint32_t kStatuses[] = {200, 200, 200, 200, 200, 200, 200, 200,
                                                200, 201, 204, 304, 400, 401, 404};
  w.put(" status=");
  w.num(rng_.pick(kStatuses));
  // A long tail, as real latencies have.
  const std::uint32_t t = rng_.below(1000);
  w.put(" latency_ms=");
  w.num(t < 900 ? rng_.between(1, 40) : t < 990 ? rng_.between(41, 400)
                                                : rng_.between(401, 2000));
}

void Generator::debug_line(Writer& w) {
  header(w, "DEBUG", rng_.below(kServiceCount));
  switch (rng_.below(5)) {
    case 0:
      w.put("cache hit key=user:");
      w.num(rng_.between(1, 250000));
      w.put(" ttl_s=");
      w.num(rng_.between(1, 600));
      break;
    case 1:
      w.put("cache miss key=product:");
      w.num(rng_.between(1, 90000));
      break;
    case 2:
      w.put("db query table=");
      w.put(rng_.pick(kTables));
      w.put(" rows=");
      w.num(rng_.between(0, 500));
      w.put(" took_ms=");
      w.num(rng_.between(0, 25));
      break;
    case 3:
      w.put("pool stats active=");
      w.num(rng_.between(1, 60));
      w.put(" idle=");
      w.num(rng_.between(0, 20));
      w.put(" waiting=0");
      break;
    default:
      w.put("dispatching event type=");
      w.put(rng_.pick(kEventTypes));
      w.put(" id=");
      request_id(w);
      break;
  }
}

void Generator::info_line(Writer& w) {
  header(w, "INFO ", rng_.below(kServiceCount));
  switch (rng_.below(4)) {
    case 0:
      w.put("user login user_id=");
      w.num(rng_.between(1, 250000));
      w.put(rng_.chance(800) ? " method=password" : " method=sso");
      break;
    case 1:
      w.put("job finished name=");
      w.put(rng_.pick(kJobs));
      w.put(" duration_ms=");
      w.num(rng_.between(50, 90000));
      w.put(" items=");
      w.num(rng_.between(0, 20000));
      break;
    case 2:
      w.put("config reloaded version=");
      w.num(rng_.between(100, 999));
      break;
    default:
      w.put("health check ok upstreams=");
      w.num(rng_.between(2, 9));
      break;
  }
}

void Generator::warn_line(Writer& w) {
  header(w, "WARN ", rng_.below(kServiceCount));
  switch (rng_.below(4)) {
    case 0:
      w.put("slow request id=");
      request_id(w);
      w.put(" path=");
      path(w);
      w.put(" latency_ms=");
      w.num(rng_.between(800, 3000));
      break;
    case 1:
      w.put("retrying upstream=");
      w.put(rng_.pick(kServices));
      w.put(" attempt=");
      w.num(rng_.between(2, 4));
      w.put(" after_ms=");
      w.num(rng_.between(50, 800));
      break;
    case 2:
      w.put("connection pool near capacity active=");
      w.num(rng_.between(90, 99));
      w.put(" max=100");
      break;
    default:
      w.put("deprecated api used path=/api/v0/orders client=");
      w.put(rng_.pick(kClients));
      break;
  }
}

void Generator::incident_line(Writer& w) {
  const std::size_t service = burst_service_;
  switch (burst_kind_) {
    case Incident::db_timeout:
      header(w, "ERROR", service);
      w.put("db timeout after ");
      w.num(rng_.pick({1000, 2000, 5000, 5000, 10000}) + rng_.between(0, 30));
      w.put(" ms query=");
      w.put(rng_.pick(kQueries));
      w.put(" host=db-");
      w.num(rng_.between(1, 3));
      break;
    case Incident::out_of_memory:
      header(w, "FATAL", service);
      w.put("out of memory: failed to allocate ");
      w.num(std::uint64_t{1} << rng_.between(20, 30));
      w.put(" bytes rss_mb=");
      w.num(rng_.between(3900, 4096));
      frames_left_ = static_cast<std::uint32_t>(rng_.between(3, 8));
      frame_style_ = Frames::native;
      restart_pending_ = true;
      restart_service_ = service;
      break;
    case Incident::disk_full:
      header(w, "CRITICAL", service);
      w.put("disk full: write to /var/lib/");
      w.put(kServices[service]);
      w.put("/segment-");
      w.num(rng_.between(1, 9999));
      w.put(".dat failed: no space left on device free_bytes=0");
      break;
    case Incident::exception:
      header(w, "ERROR", service);
      w.put("unhandled exception in request id=");
      request_id(w);
      w.put(" path=");
      path(w);
      w.put(": ");
      w.put(rng_.pick(kExceptions));
      frames_left_ = static_cast<std::uint32_t>(rng_.between(4, 12));
      frame_style_ = Frames::java;
      break;
  }
  frame_depth_ = 0;
  frame_service_ = service;
  if (--burst_left_ == 0) until_burst_ = next_burst_gap(false);
}

// "    at payments::LedgerCache::load (ledger_cache.cc:214)" or
// "    at com.shop.payments.LedgerCache.load(LedgerCache.java:214)".
void Generator::frame_line(Writer& w) {
  --frames_left_;
  if (frames_left_ == 0 && frame_depth_ >= 6 && frame_style_ == Frames::java) {
    w.put("    ... ");
    w.num(rng_.between(10, 40));
    w.put(" more");
    return;
  }
  ++frame_depth_;
  const std::string_view cls = rng_.pick(kClasses);
  const std::string_view method = rng_.pick(kMethods);
  const std::string_view service = kServices[frame_service_];
  if (frame_style_ == Frames::java) {
    w.put("    at com.shop.");
    w.put(service);
    w.put('.');
    w.put(cls);
    w.put('.');
    w.put(method);
    w.put('(');
    w.put(cls);
    w.put(".java:");
  } else {
    w.put("    at ");
    w.put(service);
    w.put("::");
    w.put(cls);
    w.put("::");
    w.put(method);
    w.put(" (");
    // CamelCase to snake_case for the file name.
    for (std::size_t i = 0; i < cls.size(); ++i) {
      const char c = cls[i];
      if (c >= 'A' && c <= 'Z') {
        if (i > 0) w.put('_');
        w.put(static_cast<char>(c - 'A' + 'a'));
      } else {
        w.put(c);
      }
    }
    w.put(".cc:");
  }
  w.num(rng_.between(20, 900));
  w.put(')');
}

// After an out-of-memory crash the service comes back under a new pid.
void Generator::restart_line(Writer& w) {
  restart_pending_ = false;
  pids_[restart_service_] = static_cast<std::uint32_t>(rng_.between(1000, 65000));
  header(w, "INFO ", restart_service_);
  w.put("service started version=2.");
  w.num(rng_.between(10, 19));
  w.put(".");
  w.num(rng_.between(0, 9));
  w.put(" after crash");
}

}  // namespace loggen
