// server.cc: the Beast acceptor and sessions; limits, timeouts, connection cap and drain.
#include "api/http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace folio::api::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Session;

namespace {

// The session whose request this thread is dispatching, and where an answer
// given before dispatch returns goes.
struct Dispatching {
  const Session* session = nullptr;
  std::optional<Response>* answer = nullptr;
};
thread_local Dispatching t_dispatching;

}  // namespace

// The server's state, shared with its sessions.
struct ServerCore {
  ServerOptions options;
  std::unique_ptr<Service> service;  // outlives the io_context and every session
  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::atomic<bool> draining{false};
  std::mutex stop_mu;
  bool stopped = false;  // guarded by stop_mu
  asio::io_context ioc;  // after the members its handlers use: destroyed first
  tcp::acceptor acceptor{ioc};
  std::uint16_t port = 0;
  std::vector<std::thread> threads;

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void unregister(Session* s);
  void stop();
  void run_io();
};

struct Server::Impl : ServerCore {};

// One client connection: read a request, have the Service answer it, write
// the response, repeat while keep-alive. Runs on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore& hub)
      : stream_(std::move(socket)),
        buffer_(hub.options.max_header_bytes + hub.options.max_body_bytes + 1024),
        hub_(hub) {}
  ~Session() { hub_.unregister(this); }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }
  // Over the connection limit: one 503, then close.
  void refuse() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->state_ = State::kBusy;
      self->answer(overloaded_response(503, "too many connections"));
    });
  }
  // Stopping: an idle (reading) connection is closed now, a busy one after its response.
  void drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kReading) self->close();
    });
  }

 private:
  enum class State { kReading, kBusy, kClosed };

  void read();
  void on_read(beast::error_code ec);
  void answer(Response r);
  void on_write(beast::error_code ec, bool need_eof);
  void start_stream(Response r);
  void pull();
  void on_piece(Service::Piece piece);
  void close();
  Request to_request() const;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  ServerCore& hub_;
  State state_ = State::kReading;
  bool keep_alive_ = false;
  bool head_ = false;
  // A streamed answer in progress: its body, the piece being written, the
  // time by which it must be complete.
  std::shared_ptr<BodyStream> body_;
  std::string piece_;
  std::chrono::steady_clock::time_point deadline_;
};

void Session::read() {
  state_ = State::kReading;
  keep_alive_ = false;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(hub_.options.max_header_bytes));
  parser_->body_limit(hub_.options.max_body_bytes);
  stream_.expires_after(hub_.options.read_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void Session::on_read(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  state_ = State::kBusy;
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return answer(error_response(431, "headers_too_large", "request headers are too large"));
  }
  if (ec == bhttp::error::body_limit) {
    return answer(error_response(413, "body_too_large", "request body is too large"));
  }
  if (ec && ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return answer(error_response(400, "bad_request", "malformed HTTP request"));
  }
  if (ec) return close();  // closed by the client, timed out, reset
  keep_alive_ = parser_->get().keep_alive();
  head_ = parser_->get().method() == bhttp::verb::head;
  // An answer given during dispatch (cache hit, refusal) is written at once,
  // on this strand; one from a worker is posted back to it.
  std::optional<Response> at_once;
  t_dispatching = {this, &at_once};
  hub_.service->dispatch(to_request(), [self = shared_from_this()](Response r) {
    if (t_dispatching.session == self.get()) {
      t_dispatching.answer->emplace(std::move(r));
      return;
    }
    asio::post(self->stream_.get_executor(),
               [self, r = std::move(r)]() mutable { self->answer(std::move(r)); });
  });
  t_dispatching = {};
  if (at_once) answer(std::move(*at_once));
}

Request Session::to_request() const {
  const auto& req = parser_->get();
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  if (auto it = req.find(bhttp::field::authorization); it != req.end()) r.authorization = std::string(it->value());
  return r;
}

void Session::answer(Response r) {
  if (state_ == State::kClosed) return;
  if (r.stream) return start_stream(std::move(r));
  auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(r.status), 11);
  res->set(bhttp::field::server, "folio");
  res->set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res->set(name, value);
  res->body() = std::move(r.body);
  res->keep_alive(keep_alive_ && !hub_.draining);
  res->prepare_payload();
  if (head_) res->body().clear();  // Content-Length stays that of the GET
  stream_.expires_after(hub_.options.write_timeout);
  bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
    self->on_write(ec, res->need_eof());
  });
}

// The header with Transfer-Encoding: chunked, then one chunk per piece, each
// made on a worker only once the previous one is written: memory holds one
// piece, a worker is never held while the client reads, and a client that
// does not read within write_timeout (or an answer that takes longer than the
// export time limit) is disconnected, the body left unterminated.
void Session::start_stream(Response r) {
  auto res = std::make_shared<bhttp::response<bhttp::empty_body>>(static_cast<bhttp::status>(r.status), 11);
  res->set(bhttp::field::server, "folio");
  res->set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res->set(name, value);
  res->keep_alive(keep_alive_ && !hub_.draining);
  keep_alive_ = res->keep_alive();
  res->chunked(true);
  if (!head_) body_ = std::move(r.stream);
  deadline_ = std::chrono::steady_clock::now() + hub_.options.service.export_time_limit;
  auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*res);
  stream_.expires_after(hub_.options.write_timeout);
  bhttp::async_write_header(stream_, *sr, [self = shared_from_this(), res, sr](beast::error_code ec, std::size_t) {
    if (ec || !self->body_) return self->on_write(ec, !self->keep_alive_);  // HEAD: the header only
    self->pull();
  });
}

void Session::pull() {
  if (state_ == State::kClosed) return;
  if (std::chrono::steady_clock::now() > deadline_) {
    std::cerr << "folio serve: export cut short after the export time limit\n";
    return close();
  }
  hub_.service->next_piece(body_, [self = shared_from_this()](Service::Piece piece) {
    asio::post(self->stream_.get_executor(),
               [self, piece = std::move(piece)]() mutable { self->on_piece(std::move(piece)); });
  });
}

void Session::on_piece(Service::Piece piece) {
  if (state_ == State::kClosed) return;
  if (piece.failed) return close();
  stream_.expires_after(hub_.options.write_timeout);
  if (piece.last) {
    body_.reset();
    piece_.clear();
    return asio::async_write(stream_, bhttp::make_chunk_last(),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->on_write(ec, !self->keep_alive_);
                             });
  }
  piece_ = std::move(piece.bytes);
  asio::async_write(stream_, bhttp::make_chunk(asio::buffer(piece_)),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->close();
                      self->pull();
                    });
}

void Session::on_write(beast::error_code ec, bool need_eof) {
  if (ec || need_eof || hub_.draining) return close();
  read();
}

void Session::close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();
}

void ServerCore::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void ServerCore::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (!ec && !draining) {
    auto session = std::make_shared<Session>(std::move(socket), *this);
    bool over;
    {
      std::lock_guard<std::mutex> lock(mu);
      over = sessions.size() >= options.max_connections;
      sessions.emplace(session.get(), session);
    }
    service->connection_opened();
    over ? session->refuse() : session->start();
  }
  accept();
}

void ServerCore::unregister(Session* s) {
  service->connection_closed();
  std::lock_guard<std::mutex> lock(mu);
  sessions.erase(s);
  cv.notify_all();
}

void ServerCore::run_io() {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      // A handler threw: log and keep serving (handlers are written not to).
      std::cerr << "folio serve: I/O handler failed: " << e.what() << "\n";
    }
  }
}

void ServerCore::stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu);
    if (stopped) return;
    stopped = true;
  }
  draining = true;
  asio::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [p, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->drain();
  live.clear();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, options.drain_timeout, [this] { return sessions.empty(); });
  }
  ioc.stop();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
  service->stop();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

model::Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options) {
  auto service = Service::open(options.service);
  if (!service.ok()) return service.error();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->service = std::move(service.value());
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) return model::Err(model::Code::kInvalidArgument, "bad bind address " + options.host);
  tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return model::Err(model::Code::kIOError,
                      "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->accept();
  std::size_t n = std::max<std::size_t>(1, options.io_threads);
  for (std::size_t i = 0; i < n; ++i) impl->threads.emplace_back([p = impl.get()] { p->run_io(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& h = impl_->options.host;
  std::string host = h.find(':') != std::string::npos ? "[" + h + "]" : h;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

model::Status Server::reload_config() { return impl_->service->reload_config(); }

void Server::stop() {
  if (impl_) impl_->stop();
}

}  // namespace folio::api::http
