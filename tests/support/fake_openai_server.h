// FakeOpenAiServer: a real HTTP/1.1 server on 127.0.0.1 for testing the OpenAI backend over
// real sockets, answering each request as a script says.
//
// It listens on an ephemeral port, reads one request per connection (headers and a
// Content-Length body), records it, and answers with the next reply of the script: an
// answer (after an optional delay), garbage, a connection closed without an answer, or no
// answer at all until the server stops. Each connection has a thread of its own, so a reply
// that is held does not stop the server from taking the client's next attempt. When the
// script runs out, requests get a 500 saying so, which fails a test that sent more than it
// expected.
//
// Owner: the test. Threads: the methods may be called from any thread. The destructor
// wakes every waiting thread through a pipe and joins them, so it never hangs on a held
// connection. Setup failures throw std::runtime_error, which fails the test with the reason.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace logtail::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct FakeReply {
  enum class Kind {
    answer,  // a complete response, after `delay`
    close,   // read the request, then close the connection without a byte of answer
    hang,    // read the request, then hold the connection open until the server stops
  };
  Kind kind = Kind::answer;
  int status = 200;
  std::string content_type = "application/json";
  HttpHeaders headers;  // added to the response's own headers
  std::string body;
  std::chrono::milliseconds delay{0};

  static FakeReply answer(int status, std::string body, HttpHeaders headers = {});
  // 200 with a chat-completions body whose choices[0].message.content is `content`.
  static FakeReply chat(std::string_view content);
  // 200 with a binary body, as the speech endpoint answers: `bytes` of `content_type`.
  static FakeReply audio(std::string bytes, std::string content_type = "audio/wav");
  // 200 with a body that is not JSON.
  static FakeReply garbage();
  static FakeReply close_without_answer();
  static FakeReply never_answer();
  // `reply`, sent only after `delay` (or never, when the server stops first).
  static FakeReply slow(std::chrono::milliseconds delay, FakeReply reply);
};

// A chat-completions response body carrying `content` as the assistant's message.
std::string chat_completion_body(std::string_view content, std::string_view finish_reason = "stop");

struct RecordedRequest {
  std::string method;
  std::string target;  // "/v1/chat/completions"
  HttpHeaders headers;
  std::string body;
  // The value of the first header named `name` (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

class FakeOpenAiServer {
 public:
  explicit FakeOpenAiServer(std::vector<FakeReply> script = {});
  ~FakeOpenAiServer();
  FakeOpenAiServer(const FakeOpenAiServer&) = delete;
  FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT/v1", the base URL a backend is given.
  std::string base_url() const;

  // Appends a reply to the script.
  void add(FakeReply reply);

  // The complete requests received so far, in order.
  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  // Connections that did not carry a well-formed request: "connection 2: ...".
  std::vector<std::string> errors() const;

 private:
  void accept_loop();
  void serve(int fd, std::size_t connection);
  // Waits until `fd` is readable (true) or the server stops (false).
  bool wait_readable(int fd) const;
  // Waits for `delay` (true) unless the server stops first (false).
  bool wait_for(std::chrono::milliseconds delay) const;
  FakeReply next_reply(RecordedRequest request);
  void note_error(std::size_t connection, std::string_view what);

  int listen_fd_ = -1;
  int stop_read_ = -1;   // readable (end of file) once stop_write_ is closed
  int stop_write_ = -1;
  int port_ = 0;
  std::thread acceptor_;

  mutable std::mutex mu_;
  std::deque<FakeReply> script_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::string> errors_;
  std::vector<std::thread> connections_;
};

}  // namespace logtail::test
