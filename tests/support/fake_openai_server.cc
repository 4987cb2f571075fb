#include "support/fake_openai_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "json_escape.h"

namespace logtail::test {
namespace {

// Bounds how long a connection may take to send its request, so a broken client cannot
// keep a test waiting forever; far above anything a working one needs.
constexpr int kRequestDeadlineMs = 30000;
// Bounds a request's size, for the same reason.
constexpr std::size_t kMaxRequestBytes = 16 << 20;

[[noreturn]] void fail(std::string_view what) {
  throw std::runtime_error("FakeOpenAiServer: " + std::string(what) + ": " +
                           std::strerror(errno));
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a client that gave up must not kill the test with SIGPIPE.
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; nothing to tell it
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string render(const FakeReply& reply) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                    std::string(reason_phrase(reply.status)) + "\r\n";
  out += "Content-Type: " + reply.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  out += "Connection: close\r\n";
  for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  out += reply.body;
  return out;
}

// Parses the request line and headers in `head` (without the blank line). False when they
// are malformed.
bool parse_head(std::string_view head, RecordedRequest& request) {
  std::size_t eol = head.find("\r\n");
  const std::string_view first = head.substr(0, eol);
  const std::size_t sp1 = first.find(' ');
  const std::size_t sp2 = first.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  request.method = std::string(first.substr(0, sp1));
  request.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 2);
    eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    request.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                 std::string(trim(line.substr(colon + 1))));
  }
  return true;
}

}  // namespace

FakeReply FakeReply::answer(int status, std::string body, HttpHeaders headers) {
  FakeReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = std::move(headers);
  return reply;
}

FakeReply FakeReply::chat(std::string_view content) {
  return answer(200, chat_completion_body(content));
}

FakeReply FakeReply::audio(std::string bytes, std::string content_type) {
  FakeReply reply = answer(200, std::move(bytes));
  reply.content_type = std::move(content_type);
  return reply;
}

FakeReply FakeReply::garbage() {
  FakeReply reply = answer(200, "<html><body>502 upstream hiccup, {not json</body></html>");
  reply.content_type = "text/html";
  return reply;
}

FakeReply FakeReply::close_without_answer() {
  FakeReply reply;
  reply.kind = Kind::close;
  return reply;
}

FakeReply FakeReply::never_answer() {
  FakeReply reply;
  reply.kind = Kind::hang;
  return reply;
}

FakeReply FakeReply::slow(std::chrono::milliseconds delay, FakeReply reply) {
  reply.delay = delay;
  return reply;
}

std::string chat_completion_body(std::string_view content, std::string_view finish_reason) {
  std::string out =
      R"({"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,)"
      R"("model":"fake-model","choices":[{"index":0,"message":{"role":"assistant","content":")";
  append_json_escaped(out, content);
  out += R"("},"finish_reason":")";
  append_json_escaped(out, finish_reason);
  out += R"("}],"usage":{"prompt_tokens":10,"completion_tokens":10,"total_tokens":20}})";
  return out;
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

FakeOpenAiServer::FakeOpenAiServer(std::vector<FakeReply> script)
    : script_(std::make_move_iterator(script.begin()), std::make_move_iterator(script.end())) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe2");
  stop_read_ = pipe_fds[0];
  stop_write_ = pipe_fds[1];

  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the kernel picks a free port
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
  if (::listen(listen_fd_, 16) != 0) fail("listen");
  socklen_t len = sizeof addr;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    fail("getsockname");
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeOpenAiServer::~FakeOpenAiServer() {
  // Closing the pipe's write end makes its read end readable in every thread's poll().
  ::close(stop_write_);
  acceptor_.join();
  // The acceptor has ended, so no thread is added any more.
  for (std::thread& t : connections_) t.join();
  ::close(listen_fd_);
  ::close(stop_read_);
}

std::string FakeOpenAiServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeOpenAiServer::add(FakeReply reply) {
  std::lock_guard lock(mu_);
  script_.push_back(std::move(reply));
}

std::vector<RecordedRequest> FakeOpenAiServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t FakeOpenAiServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

std::vector<std::string> FakeOpenAiServer::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

void FakeOpenAiServer::note_error(std::size_t connection, std::string_view what) {
  std::lock_guard lock(mu_);
  errors_.push_back("connection " + std::to_string(connection) + ": " + std::string(what));
}

bool FakeOpenAiServer::wait_readable(int fd) const {
  pollfd fds[2] = {{fd, POLLIN, 0}, {stop_read_, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, kRequestDeadlineMs);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (fds[1].revents != 0) return false;
    return true;
  }
}

bool FakeOpenAiServer::wait_for(std::chrono::milliseconds delay) const {
  const auto until = std::chrono::steady_clock::now() + delay;
  pollfd fd{stop_read_, POLLIN, 0};
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    // A negative timeout would mean "forever": a held reply waits exactly that way.
    const int timeout = delay.count() < 0 ? -1 : static_cast<int>(std::max<long>(0, left.count()));
    const int n = ::poll(&fd, 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) return false;
    if (n == 0 && timeout >= 0 && std::chrono::steady_clock::now() >= until) return true;
  }
}

void FakeOpenAiServer::accept_loop() {
  std::size_t connection = 0;
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connection;
    std::lock_guard lock(mu_);
    connections_.emplace_back([this, fd, connection] { serve(fd, connection); });
  }
}

FakeReply FakeOpenAiServer::next_reply(RecordedRequest request) {
  std::lock_guard lock(mu_);
  requests_.push_back(std::move(request));
  if (script_.empty()) {
    return FakeReply::answer(
        500, R"({"error":{"message":"fake server: no reply scripted for request )" +
                 std::to_string(requests_.size()) + R"("}})");
  }
  FakeReply reply = std::move(script_.front());
  script_.pop_front();
  return reply;
}

void FakeOpenAiServer::serve(int fd, std::size_t connection) {
  std::string data;
  std::size_t head_end = std::string::npos;
  std::size_t body_size = 0;
  RecordedRequest request;
  char buffer[16 * 1024];
  for (;;) {
    if (head_end != std::string::npos && data.size() >= head_end + 4 + body_size) break;
    if (data.size() > kMaxRequestBytes || !wait_readable(fd)) {
      if (!data.empty()) note_error(connection, "no complete request");
      ::close(fd);
      return;
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!data.empty()) note_error(connection, "closed before a complete request");
      ::close(fd);
      return;
    }
    data.append(buffer, static_cast<std::size_t>(n));
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      if (!parse_head(std::string_view(data).substr(0, head_end), request)) {
        note_error(connection, "malformed request head");
        ::close(fd);
        return;
      }
      if (const auto length = request.header("Content-Length")) {
        const char* end = length->data() + length->size();
        if (std::from_chars(length->data(), end, body_size).ptr != end) {
          note_error(connection, "bad Content-Length");
          ::close(fd);
          return;
        }
      }
      if (const auto expect = request.header("Expect"); expect && iequals(*expect, "100-continue"))
        send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    }
  }
  request.body = data.substr(head_end + 4, body_size);
  const FakeReply reply = next_reply(std::move(request));

  switch (reply.kind) {
    case FakeReply::Kind::close:
      break;
    case FakeReply::Kind::hang:
      (void)wait_for(std::chrono::milliseconds(-1));
      break;
    case FakeReply::Kind::answer:
      if (reply.delay.count() <= 0 || wait_for(reply.delay)) {
        send_all(fd, render(reply));
        ::shutdown(fd, SHUT_WR);
      }
      break;
  }
  ::close(fd);
}

}  // namespace logtail::test
