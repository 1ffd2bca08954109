// served_archive.cc: the access-test archive, tokens, and the in-process server.
#include "tests/api/http/served_archive.h"

#include <jwt.h>

#include <boost/json.hpp>
#include <ctime>
#include <stdexcept>

namespace folio::testing {

namespace {

std::vector<index::ListConfig> lists() {
  return {{"pub", "Public list", "", {"public"}},
          {"pro", "Pro list", "", {"tier:pro"}},
          {"core", "Core team", "", {"group:core"}},
          {"closed", "Closed list", "", {}}};
}

std::string date(int year) { return "01 Mar " + std::to_string(year) + " 12:00:00 +0000"; }

void import_messages(const ArchiveFixture& a) {
  a.import({make_message("pub1@x", "Public release notes", "The alpha release is out.", {}, date(2015)),
            make_message("pub2@x", "Re: Public release notes", "Thanks for alpha.", {"pub1@x"}, date(2016))},
           "pub");
  a.import({make_message("core1@x", "Core secret plan", "zanzibarword alpha internal", {}, date(2014)),
            make_message("core2@x", "Re: Public release notes", "zanzibarword alpha reply", {"pub1@x"},
                         date(2016))},
           "core");
  std::string cross = make_message("cross1@x", "Crossed alpha", "alpha everywhere", {}, date(2017));
  a.import({cross}, "pub");
  a.import({cross}, "core");
  a.import({make_message("pro1@x", "Pro notes", "tierword alpha", {}, date(2013))}, "pro");
  a.import({make_message("closed1@x", "Closed notes", "closedword alpha", {}, date(2012))}, "closed");
}

std::string b64url(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += t[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    for (int s = 18; s >= 6; s -= 6) out += t[(v >> s) & 63];
  }
  return out;
}

std::string grants_json(const std::vector<std::string>& grants) {
  boost::json::array a;
  for (const auto& g : grants) a.emplace_back(g);
  return boost::json::serialize(boost::json::object{{"grants", a}});
}

}  // namespace

ServedArchive::ServedArchive() : archive_(lists()) {
  import_messages(archive_);
  restart(options());
}

ServedArchive::~ServedArchive() = default;

http::ServerOptions ServedArchive::options() const {
  http::ServerOptions o;
  o.service.home = archive_.home().root();
  o.service.jwt_secret = kJwtSecret;
  o.service.workers = 2;
  o.host = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.drain_timeout = std::chrono::seconds(10);
  return o;
}

void ServedArchive::restart(http::ServerOptions o) {
  server_.reset();
  o.service.home = archive_.home().root();
  o.host = "127.0.0.1";
  o.port = 0;
  auto s = http::Server::start(o);
  if (!s.ok()) throw std::runtime_error(s.error().to_string());
  server_ = std::move(s.value());
}

std::string make_token(const std::vector<std::string>& grants, long exp_in, std::optional<long> nbf_in,
                       const std::string& secret) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  long now = static_cast<long>(std::time(nullptr));
  jwt_add_grants_json(jwt, grants_json(grants).c_str());
  if (exp_in != 0) jwt_add_grant_int(jwt, "exp", now + exp_in);
  if (nbf_in) jwt_add_grant_int(jwt, "nbf", now + *nbf_in);
  jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
              static_cast<int>(secret.size()));
  char* s = jwt_encode_str(jwt);
  std::string out = s ? s : "";
  free(s);
  jwt_free(jwt);
  return out;
}

std::string alg_none_token(const std::vector<std::string>& grants) {
  boost::json::object claims{{"exp", static_cast<std::int64_t>(std::time(nullptr)) + 3600}};
  boost::json::array a;
  for (const auto& g : grants) a.emplace_back(g);
  claims["grants"] = a;
  return b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64url(boost::json::serialize(claims)) + ".";
}

std::string without_timing(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return body;
  v.as_object().erase("took_ms");
  v.as_object().erase("cached");
  return boost::json::serialize(v);
}

}  // namespace folio::testing
