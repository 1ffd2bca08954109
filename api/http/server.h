// server.h: Server, `folio serve`'s HTTP/1.1 front: Beast acceptor, I/O threads, connection limits, graceful stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/service.h"
#include "index/model/result.h"

namespace folio::api::http {

struct ServerOptions {
  ServiceOptions service;
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal
  std::uint16_t port = 8080;       // 0 = an ephemeral port (see Server::port())
  std::size_t io_threads = 2;
  std::size_t max_connections = 1024;  // more are answered 503 and closed
  std::size_t max_header_bytes = 8192;  // more: 431
  std::size_t max_body_bytes = 8192;    // more: 413 (the API takes no bodies)
  // A client must send a whole request within this time of the previous
  // response (or of connecting): slow and idle clients are disconnected.
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds write_timeout{60};
  // How long stop() waits for requests in flight.
  std::chrono::seconds drain_timeout{20};
};

// The HTTP server. start() binds and returns once it accepts. stop()
// closes the listener, closes idle connections, lets requests in flight
// finish (up to drain_timeout), then stops the workers and I/O threads.
// Keep-alive and HEAD are supported; responses carry Content-Length, except
// streamed ones (exports), which are sent chunked, one piece at a time.
// Thread-safe: reload_config() and stop() may be called from any thread.
class Server {
 public:
  // kIOError when the address cannot be bound; errors of Service::open.
  static model::Result<std::unique_ptr<Server>> start(const ServerOptions& options);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:8080/" (IPv6 hosts in brackets).
  std::string url() const;

  model::Status reload_config();
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::api::http
