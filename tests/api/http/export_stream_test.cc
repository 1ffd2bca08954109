// export_stream_test.cc: search.mbox streamed: byte-exact mboxrd over many pieces, the message limit, flat memory, slow readers.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <thread>

#include "index/config.h"
#include "tests/api/http/serve_child.h"
#include "tests/api/http/served_archive.h"
#include "tests/support/build_kind.h"

namespace folio::testing {
namespace {

constexpr const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Message `i` of an export archive: dated i seconds after a fixed time (so
// date order is i descending), a text part with lines mboxrd must quote, and
// a base64 attachment of about `attachment` bytes (stored, not indexed).
std::string export_message(int i, std::size_t attachment, bool crlf = false) {
  std::mt19937 rng(static_cast<unsigned>(i));
  char date[64];
  std::snprintf(date, sizeof date, "Sun, 01 Mar 2015 %02d:%02d:%02d +0000", i / 3600, i / 60 % 60, i % 60);
  std::string m = "From: Sender <s@example.org>\nTo: list@example.org\nSubject: Export " + std::to_string(i) +
                  "\nDate: " + date + "\nMessage-ID: <exp" + std::to_string(i) +
                  "@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n--b0\n"
                  "Content-Type: text/plain\n\nexportword message\nFrom the start of a line\n"
                  ">From an already quoted line\n>>From twice\nFromage stays\n From indented stays\n--b0\n"
                  "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
                  "Content-Disposition: attachment; filename=\"blob.bin\"\n\n";
  for (std::size_t n = 0; n < attachment; n += 77) {
    for (int c = 0; c < 76; ++c) m += kB64[rng() % 64];
    m += '\n';
  }
  m += "--b0--\n";
  if (!crlf) return m;
  std::string out;
  for (char c : m) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// The mboxrd form of one message, written out independently of the server:
// separator, LF endings, one more '>' on every ^>*From  line, blank line.
std::string mboxrd(const std::string& raw) {
  std::string out = "From mboxrd@z Thu Jan  1 00:00:00 1970\n";
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    std::string line = raw.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t q = line.find_first_not_of('>');
    if (q != std::string::npos && line.compare(q, 5, "From ") == 0) out += '>';
    out += line + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out + "\n";
}

// Imports messages 0..n-1 into list "test" in batches; returns their raw forms.
std::vector<std::string> import_export_messages(const ArchiveFixture& a, int n, std::size_t attachment) {
  std::vector<std::string> all;
  for (int start = 0; start < n; start += 200) {
    std::vector<std::string> batch;
    for (int i = start; i < std::min(n, start + 200); ++i) batch.push_back(export_message(i, attachment, i % 7 == 3));
    a.import(batch, "test");
    all.insert(all.end(), batch.begin(), batch.end());
  }
  return all;
}

// An in-process server over `a` with `tune` applied to the fixture's options.
template <typename Tune>
std::unique_ptr<http::Server> serve(const ArchiveFixture& a, Tune tune) {
  http::ServerOptions o;
  o.service.home = a.home().root();
  o.service.workers = 2;
  o.host = "127.0.0.1";
  o.port = 0;  // an ephemeral port: tests run side by side
  o.io_threads = 2;
  tune(o);
  auto s = http::Server::start(o);
  INFO((s.ok() ? std::string() : s.error().to_string()));
  REQUIRE(s.ok());
  return std::move(s.value());
}

TEST_CASE("search.mbox: a large export is sent chunked and is byte-exact mboxrd, newest first", "[http][export]") {
  ArchiveFixture a;
  const int n = 450;  // several search pages (100) and several pieces (64 KiB)
  auto raws = import_export_messages(a, n, 2000);
  auto server = serve(a, [](http::ServerOptions&) {});
  auto r = http_get(server->port(), "/api/v1/search.mbox?q=exportword&limit=1000");
  REQUIRE(r.status == 200);
  CHECK(r.chunked);
  CHECK(r.complete);
  CHECK(r.header("content-type") == "application/mbox");
  CHECK(r.header("content-length").empty());
  std::string expected;
  for (int i = n - 1; i >= 0; --i) expected += mboxrd(raws[static_cast<std::size_t>(i)]);
  CHECK(r.body.size() == expected.size());
  CHECK(r.body == expected);
  // HEAD: the same header, no body.
  auto head = http_get(server->port(), "/api/v1/search.mbox?q=exportword", {}, "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("search.mbox: limit is enforced at max_export_messages", "[http][export]") {
  ArchiveFixture a;
  import_export_messages(a, 160, 100);
  auto server = serve(a, [](http::ServerOptions& o) { o.service.exports.mbox_max_messages = 150; });
  auto count = [](const std::string& body) {
    std::size_t k = 0;
    for (std::size_t p = 0; (p = body.find("From mboxrd@z ", p)) != std::string::npos; ++p) ++k;
    return k;
  };
  auto at = http_get(server->port(), "/api/v1/search.mbox?q=exportword&limit=150");
  REQUIRE(at.status == 200);
  CHECK(count(at.body) == 150);
  CHECK(at.complete);
  CHECK(count(http_get(server->port(), "/api/v1/search.mbox?q=exportword").body) == 150);  // the default
  auto over = http_get(server->port(), "/api/v1/search.mbox?q=exportword&limit=151");
  CHECK(over.status == 400);
  CHECK(over.body.find("limit") != std::string::npos);
  CHECK(count(http_get(server->port(), "/api/v1/search.mbox?q=exportword&limit=7").body) == 7);
  CHECK(count(http_get(server->port(), "/api/v1/search.mbox?q=exportword&limit=0").body) == 0);
}

TEST_CASE("search.mbox: folio serve's memory stays flat on an export far larger than its RSS", "[http][export]") {
  ArchiveFixture a;
  const int n = 1000;
  import_export_messages(a, n, 64 << 10);  // about 66 MB of mboxrd
  ServeChild c;
  spawn_serve(c, a.root());
  auto port = listening_port(first_line(c.out, 20));
  REQUIRE(port != 0);
  // Warm up every code path with a small export, then take the baseline.
  REQUIRE(http_get(port, "/api/v1/search.mbox?q=exportword&limit=20").status == 200);
  std::size_t before = peak_rss_kib(c.pid);
  auto r = http_get(port, "/api/v1/search.mbox?q=exportword&limit=1000");
  std::size_t after = peak_rss_kib(c.pid);
  REQUIRE(r.status == 200);
  CHECK(r.complete);
  CHECK(r.body.size() > 60u << 20);
  INFO("VmHWM before " << before << " KiB, after " << after << " KiB, body " << (r.body.size() >> 10) << " KiB");
  CHECK(before > 0);
  if (folio::testing::kAddressSanitizer) {
    WARN("peak RSS not checked under ASan: its quarantine keeps freed buffers");
    return;
  }
  CHECK(after - before < 8u << 10);  // the whole body held once would be 64 MiB more
}

// Reads from `fd` until EOF or `seconds`; the bytes read.
std::size_t drain(int fd, int seconds) {
  std::size_t total = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  char buf[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  return total;
}

TEST_CASE("search.mbox: a client that stops reading holds no worker and is cut off after write_timeout",
          "[http][export]") {
  ArchiveFixture a;
  import_export_messages(a, 300, 64 << 10);  // about 20 MB: more than the socket buffers hold
  auto server = serve(a, [](http::ServerOptions& o) {
    o.service.workers = 1;
    o.write_timeout = std::chrono::seconds(5);
  });
  int fd = http_send(server->port(), "GET /api/v1/search.mbox?q=exportword HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
  REQUIRE(fd >= 0);
  char first[1024];
  REQUIRE(::recv(fd, first, sizeof first, 0) > 0);
  auto stalled = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The only worker is free: a search is answered well before the stalled
  // export's write times out (were the worker held, it would wait for that).
  CHECK(http_get(server->port(), "/api/v1/search?q=exportword&limit=1").status == 200);
  CHECK(std::chrono::steady_clock::now() - stalled < std::chrono::seconds(3));
  std::this_thread::sleep_until(stalled + std::chrono::seconds(7));
  // Cut off: what is left in the buffers ends at EOF, far short of the body.
  std::size_t rest = drain(fd, 20);
  ::close(fd);
  CHECK(rest < 15u << 20);
}

TEST_CASE("search.mbox: a list hidden while its export is being sent is left out from then on",
          "[http][export]") {
  ArchiveFixture a;
  const int n = 300;  // about 20 MB: the socket buffers hold only part of it
  import_export_messages(a, n, 64 << 10);
  auto server = serve(a, [](http::ServerOptions&) {});
  int fd = http_send(server->port(), "GET /api/v1/search.mbox?q=exportword HTTP/1.1\r\nHost: x\r\n"
                                     "Connection: close\r\n\r\n", 4096);
  REQUIRE(fd >= 0);
  std::string got(65536, '\0');
  ssize_t first = ::recv(fd, got.data(), got.size(), 0);
  REQUIRE(first > 0);
  got.resize(static_cast<std::size_t>(first));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the buffers fill
  auto config = index::load_config(a.home().config_file());
  REQUIRE(config.ok());
  config->find_list("test")->access = {};
  REQUIRE(index::save_config(a.home().config_file(), *config).ok());
  REQUIRE(server->reload_config().ok());
  static char buf[65536];
  for (;;) {
    ssize_t k = ::recv(fd, buf, sizeof buf, 0);
    if (k <= 0) break;
    got.append(buf, static_cast<std::size_t>(k));
  }
  ::close(fd);
  std::size_t sent = 0;
  for (std::size_t p = 0; (p = got.find("From mboxrd@z ", p)) != std::string::npos; ++p) ++sent;
  INFO(sent << " of " << n << " messages sent, " << got.size() << " bytes");
  CHECK(got.find("\r\n0\r\n\r\n") != std::string::npos);  // the body ends properly, only shorter
  CHECK(sent > 0);
  CHECK(sent < n - 50);
}

TEST_CASE("search.mbox: an export still running at export_time_limit is cut off, unterminated",
          "[http][export]") {
  ArchiveFixture a;
  import_export_messages(a, 300, 64 << 10);  // about 20 MB
  auto server = serve(a, [](http::ServerOptions& o) { o.service.export_time_limit = std::chrono::seconds(1); });
  int fd = http_send(server->port(), "GET /api/v1/search.mbox?q=exportword HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
  REQUIRE(fd >= 0);
  // A slow but steady reader: 64 KiB every 20 ms, at most about 3 MB/s.
  std::string got;
  auto start = std::chrono::steady_clock::now();
  static char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60)) break;
  }
  ::close(fd);
  auto took = std::chrono::steady_clock::now() - start;
  INFO("read " << got.size() << " bytes in " << std::chrono::duration<double>(took).count() << " s");
  CHECK(got.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(took < std::chrono::seconds(60));
  CHECK(got.find("\r\n0\r\n\r\n") == std::string::npos);  // no last chunk
  CHECK(got.size() < 15u << 20);
}

}  // namespace
}  // namespace folio::testing
