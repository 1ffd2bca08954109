// http_client.cc: connect, write, read to EOF, split status, headers and body.
#include "tests/api/http/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace folio::testing {

namespace {

int connect_local(std::uint16_t port, int timeout_s, int rcvbuf = 0) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Replaces a chunked body by its data; whether the last chunk was there.
bool decode_chunked(std::string& body) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    std::size_t size = std::strtoul(body.c_str() + pos, nullptr, 16);
    if (size == 0) {
      body = std::move(out);
      return true;
    }
    if (eol + 2 + size > body.size()) break;
    out.append(body, eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  body = std::move(out);
  return false;
}

void parse_reply(HttpReply& r) {
  std::size_t end = r.raw.find("\r\n\r\n");
  if (end == std::string::npos || r.raw.compare(0, 9, "HTTP/1.1 ") != 0) return;
  r.status = std::atoi(r.raw.c_str() + 9);
  std::size_t pos = r.raw.find("\r\n") + 2;
  while (pos < end) {
    std::size_t eol = r.raw.find("\r\n", pos);
    std::string line = r.raw.substr(pos, eol - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = eol + 2;
  }
  r.body = r.raw.substr(end + 4);
  r.chunked = r.headers.count("transfer-encoding") && r.headers["transfer-encoding"] == "chunked";
  if (r.chunked) {
    r.complete = decode_chunked(r.body);
  } else {
    auto len = r.headers.find("content-length");
    r.complete = len != r.headers.end() && std::to_string(r.body.size()) == len->second;
  }
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

int http_send(std::uint16_t port, const std::string& request, int rcvbuf, int timeout_s) {
  int fd = connect_local(port, timeout_s, rcvbuf);
  if (fd < 0) return -1;
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // a signal to the test process (SIGCHLD)
    if (n <= 0) break;  // the server may answer and close early (431, 413)
    sent += static_cast<std::size_t>(n);
  }
  return fd;
}

HttpReply http_exchange(std::uint16_t port, const std::string& request, int timeout_s) {
  HttpReply r;
  int fd = http_send(port, request, 0, timeout_s);
  if (fd < 0) return r;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;  // a signal to the test process (SIGCHLD), not the server
    if (n <= 0) break;
    r.raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  parse_reply(r);
  return r;
}

HttpReply http_get(std::uint16_t port, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers, const std::string& method) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  return http_exchange(port, req);
}

HttpReply http_get_as(std::uint16_t port, const std::string& target, const std::string& token) {
  if (token.empty()) return http_get(port, target);
  return http_get(port, target, {{"Authorization", "Bearer " + token}});
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace folio::testing
