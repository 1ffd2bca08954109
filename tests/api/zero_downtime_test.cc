// zero_downtime_test.cc: the HTTP service keeps answering while reindex and compact swap generations.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/api/http/http_client.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using folio::testing::http_get;
using folio::testing::project_data;
using folio::testing::run_folio;

namespace {

// A child process with its stdout on a pipe; killed if still running at the end.
struct Child {
  pid_t pid = -1;
  int out = -1;
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out >= 0) ::close(out);
  }
};

void spawn(Child& c, const std::string& home, const std::vector<std::string>& args) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  c.pid = ::fork();
  REQUIRE(c.pid >= 0);
  if (c.pid == 0) {
    ::setenv("FOLIO_HOME", home.c_str(), 1);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    std::string bin = folio::testing::folio_binary().string();
    std::vector<std::string> words = args;
    std::vector<char*> argv{bin.data()};
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  c.out = fds[0];
}

std::uint16_t port_of(const Child& serve) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{serve.out, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(serve.out, buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  REQUIRE(line.find("http://127.0.0.1:") != std::string::npos);
  return static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

// The parts of a search answer that must not change across a swap.
std::string hits_of(const std::string& body) {
  auto v = boost::json::parse(body).as_object();
  return boost::json::serialize(v["hits"]) + " total=" + boost::json::serialize(v["total"]);
}

// True when a new connection to 127.0.0.1:port fails for lack of a local port.
bool client_out_of_ports(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool out = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno == EADDRNOTAVAIL;
  ::close(fd);
  return out;
}

const std::vector<std::string> kQueries = {
    "/api/v1/search?q=indexes&limit=20", "/api/v1/search?q=%22generation%20swap%22&sort=date",
    "/api/v1/search?q=from%3Aada&limit=50", "/api/v1/search?q=date%3A2015-01..2015-02&sort=date"};

}  // namespace

TEST_CASE("zero downtime: reindex and compact under HTTP load fail no request and change no result",
          "[api][maintenance][http]") {
  folio::testing::TempDir dir;
  const std::string home = dir.sub("home");
  REQUIRE(run_folio({"init"}, home).exit_code == 0);
  std::filesystem::copy_file(project_data() / "folio.example.toml", home + "/folio.toml",
                             std::filesystem::copy_options::overwrite_existing);
  for (const char* list : {"folio-users", "folio-dev", "folio-core"}) {
    auto path = (project_data() / "sample" / (std::string(list) + ".mbox")).string();
    REQUIRE(run_folio({"import", "--list", list, path}, home).exit_code == 0);
  }
  Child serve;
  spawn(serve, home, {"serve", "--bind", "127.0.0.1:0", "--threads", "2"});
  const std::uint16_t port = port_of(serve);
  std::vector<std::string> before;
  for (const auto& q : kQueries) {
    auto r = http_get(port, q);
    REQUIRE(r.status == 200);
    before.push_back(hits_of(r.body));
  }

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0}, port_retries{0};
  std::mutex mu;
  std::string first_failure;
  // Paced at about 100 requests a second per thread: each request is a new
  // connection, and an unpaced loop runs the machine out of ephemeral ports
  // (TIME_WAIT), which is the client's limit, not the server's.
  auto load = [&](int offset) {
    for (std::size_t i = static_cast<std::size_t>(offset); !stop; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      auto t0 = std::chrono::steady_clock::now();
      const std::string target = kQueries[i % kQueries.size()] + "&n=" + std::to_string(i);  // defeats the cache
      auto r = http_get(port, target);
      // Other tests running beside this one can leave the machine without
      // free local ports (TIME_WAIT): that is the client's limit, retried.
      for (int retry = 0; r.status == 0 && retry < 20 &&
                          client_out_of_ports(port);
           ++retry) {
        ++port_retries;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        r = http_get(port, target);
      }
      (r.status == 200 ? ok : failed)++;
      if (r.status != 200) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        std::lock_guard lock(mu);
        if (first_failure.empty()) {
          first_failure = std::to_string(r.status) + " after " + std::to_string(ms) + " ms, raw " +
                          std::to_string(r.raw.size()) + " bytes: " + r.raw.substr(0, 200);
        }
      }
    }
  };
  std::thread a(load, 0), b(load, 1);
  auto reindex = run_folio({"reindex", "--grace", "2"}, home);
  auto compact = run_folio({"compact", "--grace", "2"}, home);
  stop = true;
  a.join();
  b.join();
  REQUIRE(reindex.exit_code == 0);
  REQUIRE(compact.exit_code == 0);
  INFO("first failure: " << first_failure << " (client port retries: " << port_retries << ")");
  REQUIRE(failed == 0);
  REQUIRE(ok > 20);
  for (std::size_t i = 0; i < kQueries.size(); ++i) REQUIRE(hits_of(http_get(port, kQueries[i]).body) == before[i]);
  REQUIRE(run_folio({"stats", "--json"}, home).out.find("\"generation\":3") != std::string::npos);
}
