// http_client.h: a tiny blocking HTTP/1.1 client over POSIX sockets, for talking to the real server in tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace folio::testing {

struct HttpReply {
  int status = 0;                              // 0: no (parsable) response
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // decoded when sent chunked
  std::string raw;                             // the whole response as received
  bool chunked = false;                        // Transfer-Encoding: chunked
  bool complete = false;                       // Content-Length met, or the last chunk seen

  std::string header(const std::string& name) const;
};

// Sends `request` (complete bytes) to 127.0.0.1:`port` and reads until the
// server closes. Every socket operation times out after `timeout_s`.
HttpReply http_exchange(std::uint16_t port, const std::string& request, int timeout_s = 20);

// Connects to 127.0.0.1:`port` with a receive buffer of `rcvbuf` bytes (0:
// the default) and sends `request`; the socket, or -1.
int http_send(std::uint16_t port, const std::string& request, int rcvbuf = 0, int timeout_s = 20);

// GET `target` with "Connection: close" and the given extra headers.
HttpReply http_get(std::uint16_t port, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers = {},
                   const std::string& method = "GET");

// GET with "Authorization: Bearer <token>" (none when token is empty).
HttpReply http_get_as(std::uint16_t port, const std::string& target, const std::string& token);

// Percent-encodes a query-string value or path segment.
std::string url_encode(const std::string& s);

}  // namespace folio::testing
