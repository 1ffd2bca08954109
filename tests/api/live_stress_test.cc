// live_stress_test.cc: live mail with the real binaries under load and under failure:
// concurrent deliver + indexd + search, every deliver exit code provoked for real (a
// full tmpfs for disk full), SIGHUP reloading the config, and quarantine.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace fs = std::filesystem;
using folio::testing::make_message;
using folio::testing::read_file;
using folio::testing::RunResult;
using folio::testing::shell_quote;
using folio::testing::TempDir;
using folio::testing::test_slowdown;
using folio::testing::write_file;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// Any one folio command that runs longer than this is killed (and fails its check).
constexpr int kCommandLimitS = 30;
// How long a test waits for indexd to make something visible before failing.
constexpr seconds kVisibleWithin{20};

// `COMMAND ARGS` (COMMAND already quoted) with FOLIO_HOME=home and `input` on
// stdin, killed after kCommandLimitS.
RunResult run_timed(const std::string& command, const std::vector<std::string>& args,
                    const std::string& home, const std::string& input) {
  std::string cmd =
      "FOLIO_HOME=" + shell_quote(home) + " timeout -s KILL " + std::to_string(kCommandLimitS) + " " + command;
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return folio::testing::run_shell(cmd, input);
}

// `folio ARGS`, as run_timed.
RunResult run_cli(const std::vector<std::string>& args, const std::string& home,
                  const std::string& input = "") {
  return run_timed(shell_quote(folio::testing::folio_binary().string()), args, home, input);
}

// Checks `done` every 20 ms until it holds or `limit` has passed.
template <typename Done>
bool wait_until(Done done, milliseconds limit) {
  auto deadline = Clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

// Regular files directly in `dir`, sorted; none when it is absent.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The contents of each file, sorted, so two sets of messages compare as multisets.
std::vector<std::string> contents(const std::vector<fs::path>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(read_file(f));
  std::sort(out.begin(), out.end());
  return out;
}

// A deliver failure must say why in exactly one line.
bool one_reason_line(const std::string& err) {
  return err.rfind("folio deliver: ", 0) == 0 && err.back() == '\n' &&
         std::count(err.begin(), err.end(), '\n') == 1;
}

// A message of exactly `size` bytes (size must leave room for the headers).
std::string message_of_size(const std::string& id, std::size_t size) {
  std::string m = make_message(id, "sized " + id, "");
  REQUIRE(m.size() < size);
  std::string body;
  while (m.size() + body.size() < size) {
    body += (size - m.size() - body.size()) > 72 ? std::string(71, 'x') + "\n" : std::string(1, 'y');
  }
  m += body;
  REQUIRE(m.size() == size);
  return m;
}

// An archive home in a temp dir, made with `folio init` and `folio lists add`.
// Deliveries go through `program`, one of kDeliverPrograms ("folio deliver" or
// "folio-deliver").
class LiveHome {
 public:
  explicit LiveHome(const std::vector<std::string>& lists = {"dev"}, std::string program = "folio deliver")
      : program_(std::move(program)) {
    REQUIRE(run_cli({"init"}, home_).exit_code == 0);
    for (const auto& l : lists) REQUIRE(run_cli({"lists", "add", l}, home_).exit_code == 0);
  }

  const std::string& home() const { return home_; }
  std::string scratch(const std::string& name) const { return dir_.sub(name); }
  fs::path spool(const std::string& sub) const { return fs::path(home_) / "spool" / sub; }
  fs::path config_file() const { return fs::path(home_) / "folio.toml"; }

  RunResult deliver(const std::string& message, const std::string& list = "dev") const {
    return deliver_with({"--list", list}, message);
  }
  // The delivery program with `args`.
  RunResult deliver_with(const std::vector<std::string>& args, const std::string& message) const {
    return run_timed(folio::testing::deliver_command(program_), args, home_, message);
  }
  // `folio search --count`; -1 when the search failed.
  long count(const std::string& query) const {
    auto r = run_cli({"search", "--count", query}, home_);
    if (r.exit_code != 0) return -1;
    return std::stol(r.out);
  }
  std::string status() const { return run_cli({"status", "--json"}, home_).out; }
  bool status_has(const std::string& field, long value) const {
    return status().find("\"" + field + "\":" + std::to_string(value) + ",") != std::string::npos ||
           status().find("\"" + field + "\":" + std::to_string(value) + "}") != std::string::npos;
  }
  // Message files in spool/quarantine (the .reason notes left out).
  std::vector<fs::path> quarantined() const {
    std::vector<fs::path> out;
    for (const auto& f : files_in(spool("quarantine"))) {
      if (f.extension() != ".reason") out.push_back(f);
    }
    return out;
  }

 private:
  std::string program_;
  TempDir dir_;
  std::string home_ = dir_.sub("home");
};

// `folio indexd` running in the background, its stderr in a file. Killed with
// SIGKILL when the test ends without stopping it (a failed check, say).
class Indexd {
 public:
  Indexd(const LiveHome& home, int commit_ms) : log_(home.scratch("indexd.log")) {
    std::string bin = folio::testing::folio_binary().string();
    std::vector<std::string> argv_s = {bin, "indexd", "--commit-ms", std::to_string(commit_ms)};
    std::vector<std::string> env_s;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, "FOLIO_HOME=", 11) != 0) env_s.emplace_back(*e);
    }
    env_s.push_back("FOLIO_HOME=" + home.home());
    std::vector<char*> argv = pointers(argv_s);
    std::vector<char*> envp = pointers(env_s);
    int err = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(err >= 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(err, STDERR_FILENO);
      ::execve(bin.c_str(), argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(err);
    REQUIRE(pid_ > 0);
  }
  ~Indexd() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Indexd(const Indexd&) = delete;
  Indexd& operator=(const Indexd&) = delete;

  void signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    reaped(status);
    return false;
  }
  // Sends SIGTERM and waits up to `limit`. The exit code, 128 + signal when
  // killed, or -1 when it had to be killed after the limit.
  int stop(milliseconds limit = milliseconds(20000)) {
    if (pid_ <= 0) return exit_code_;
    signal(SIGTERM);
    auto deadline = Clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = 0;
        return -1;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    reaped(status);
    return exit_code_;
  }
  std::string log() const { return read_file(log_); }

 private:
  static std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
  }

  void reaped(int status) {
    pid_ = 0;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string log_;
  pid_t pid_ = 0;
  int exit_code_ = -1;
};

// Delivers a probe and waits until indexd has made it searchable: from then on
// its signal handlers are installed and its loop is running.
void wait_until_serving(const LiveHome& h, Indexd& d) {
  REQUIRE(h.deliver(make_message("probe@stress.test", "probe", "probe")).exit_code == 0);
  REQUIRE(wait_until([&] { return !d.running() || h.count("id:probe@stress.test") == 1; }, kVisibleWithin));
  INFO(d.log());
  REQUIRE(d.running());
}

// Every Message-ID that `query` finds, one entry per hit (so duplicates show).
std::multiset<std::string> ids_found(const LiveHome& h, const std::string& query) {
  std::multiset<std::string> ids;
  for (int offset = 0;; offset += 100) {
    auto r = run_cli(
        {"search", "--json", "--sort", "date", "--limit", "100", "--offset", std::to_string(offset), query},
        h.home());
    REQUIRE(r.exit_code == 0);
    std::size_t before = ids.size();
    static const std::string kKey = "\"id\":\"";
    for (auto p = r.out.find(kKey); p != std::string::npos; p = r.out.find(kKey, p)) {
      p += kKey.size();
      auto end = r.out.find('"', p);
      ids.insert(r.out.substr(p, end - p));
    }
    if (ids.size() - before < 100) return ids;
  }
}

// A tmpfs mounted on `dir` for the life of the object (root only; mounted() says).
class TmpfsMount {
 public:
  TmpfsMount(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir_);
    std::string options = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

std::string stress_id(int thread, int i) {
  return "s" + std::to_string(thread) + "-" + std::to_string(i) + "@stress.test";
}

// What one searching thread saw while the deliveries ran.
struct SearchLog {
  int searches = 0;
  int searches_during_delivery = 0;
  std::vector<std::string> failures;  // exit code and stderr of failed searches
  std::vector<std::string> decreases;  // "a -> b" when a count went down
};

}  // namespace

TEST_CASE("live stress: concurrent deliveries, indexd and searches, then SIGTERM mid-batch: nothing lost",
          "[api][live][stress]") {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  constexpr int kBurst = 40;
  // For the deliveries and searches below: some 500 `folio` processes, each
  // many times slower to start and run under ASan.
  const auto deadline = Clock::now() + seconds(60) * test_slowdown();
  LiveHome h;
  Indexd d(h, 100);
  wait_until_serving(h, d);

  // Four threads each spawn `folio deliver` for their messages (every tenth one
  // twice, byte-identical, as an MTA retry would) while a fifth searches.
  std::atomic<int> delivering{kThreads};
  std::mutex mu;
  std::vector<std::string> deliver_failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (Clock::now() > deadline) {
          std::lock_guard lock(mu);
          deliver_failures.push_back("thread " + std::to_string(t) + " ran out of time at message " +
                                     std::to_string(i));
          break;
        }
        std::string msg = make_message(stress_id(t, i), "stress " + std::to_string(i),
                                       "stresstoken from thread " + std::to_string(t));
        for (int copy = 0; copy < (i % 10 == 0 ? 2 : 1); ++copy) {
          auto r = h.deliver(msg);
          if (r.exit_code != 0) {
            std::lock_guard lock(mu);
            deliver_failures.push_back(stress_id(t, i) + ": exit " + std::to_string(r.exit_code) + ": " +
                                       r.err);
          }
        }
      }
      --delivering;
    });
  }
  SearchLog seen;
  std::thread searcher([&] {
    long last = 0;
    const long total = kThreads * kPerThread;
    while (Clock::now() < deadline) {
      bool during = delivering > 0;
      auto r = run_cli({"search", "--count", "stresstoken"}, h.home());
      ++seen.searches;
      if (during) ++seen.searches_during_delivery;
      if (r.exit_code != 0) {
        seen.failures.push_back("exit " + std::to_string(r.exit_code) + ": " + r.err);
        continue;
      }
      long now = std::stol(r.out);
      if (now < last) seen.decreases.push_back(std::to_string(last) + " -> " + std::to_string(now));
      last = std::max(last, now);
      if (!during && last == total) return;
    }
  });
  for (auto& t : threads) t.join();
  searcher.join();

  INFO("indexd's log: " << d.log());
  CAPTURE(deliver_failures, seen.failures, seen.decreases);
  REQUIRE(deliver_failures.empty());
  REQUIRE(seen.failures.empty());
  REQUIRE(seen.decreases.empty());
  REQUIRE(seen.searches_during_delivery >= 5);
  // The live daemon kept up, and each re-delivery was stored once.
  REQUIRE(h.count("stresstoken") == kThreads * kPerThread);

  // A burst, with SIGTERM sent once indexd has committed part of it: indexd
  // finishes its batch and exits 0; the rest of the burst waits in the spool.
  std::thread burst([&] {
    for (int i = 0; i < kBurst; ++i) {
      auto r = h.deliver(make_message("b" + std::to_string(i) + "@stress.test", "burst", "bursttoken"));
      if (r.exit_code != 0) {
        std::lock_guard lock(mu);
        deliver_failures.push_back("burst " + std::to_string(i) + ": " + r.err);
      }
    }
  });
  bool partly = wait_until([&] { return h.count("bursttoken") > 0; }, kVisibleWithin);
  int stopped = d.stop();
  burst.join();
  REQUIRE(partly);
  REQUIRE(stopped == 0);
  REQUIRE(d.log().find("folio indexd: stopped") != std::string::npos);
  REQUIRE(deliver_failures.empty());
  // Each burst message is either committed (and its spool file gone) or still spooled, never both.
  long committed = h.count("bursttoken");
  auto spooled = files_in(h.spool("new"));
  CAPTURE(committed, spooled.size());
  REQUIRE(committed + static_cast<long>(spooled.size()) == kBurst);

  // The next start drains the rest: every message exactly once, spool empty.
  REQUIRE(run_cli({"indexd", "--once"}, h.home()).exit_code == 0);
  std::multiset<std::string> want = {"probe@stress.test"};
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) want.insert(stress_id(t, i));
  }
  for (int i = 0; i < kBurst; ++i) want.insert("b" + std::to_string(i) + "@stress.test");
  REQUIRE(ids_found(h, "stresstoken OR bursttoken OR probe") == want);
  REQUIRE(h.status_has("spool_depth", 0));
  REQUIRE(h.status_has("quarantined", 0));
  REQUIRE(h.status_has("messages_indexed", static_cast<long>(want.size())));
}

TEST_CASE("live stress: disk full on the spool: deliver exits 75, leaves nothing partial, a retry succeeds",
          "[api][live][stress]") {
  const std::string program = GENERATE(from_range(folio::testing::kDeliverPrograms));
  CAPTURE(program);
  LiveHome h({"dev"}, program);
  TmpfsMount tmpfs(fs::path(h.home()) / "spool", "256k");
  if (!tmpfs.mounted()) {
    WARN("skipped: cannot mount a 256k tmpfs on the spool (" << tmpfs.error()
         << "); this test needs root or CAP_SYS_ADMIN");
    return;
  }
  // 30,001-byte messages (not a multiple of the page size) until the spool is full.
  std::vector<std::string> stored;
  std::string refused;
  RunResult failure;
  for (int i = 0; i < 64 && refused.empty(); ++i) {
    std::string msg = message_of_size("full" + std::to_string(i) + "@stress.test", 30001);
    auto r = h.deliver(msg);
    if (r.exit_code == 0) {
      stored.push_back(msg);
    } else {
      refused = msg;
      failure = r;
    }
  }
  CAPTURE(stored.size(), failure.err);
  REQUIRE_FALSE(refused.empty());
  REQUIRE(stored.size() >= 2);
  REQUIRE(failure.exit_code == 75);
  REQUIRE(one_reason_line(failure.err));
  REQUIRE(failure.err.find("No space left on device") != std::string::npos);
  // new/ holds exactly the stored messages, each complete; tmp/ holds nothing.
  std::sort(stored.begin(), stored.end());
  REQUIRE(contents(files_in(h.spool("new"))) == stored);
  REQUIRE(files_in(h.spool("tmp")).empty());

  // The MTA retries after indexd has drained the spool: then it goes through.
  REQUIRE(run_cli({"indexd", "--once"}, h.home()).exit_code == 0);
  REQUIRE(files_in(h.spool("new")).empty());
  REQUIRE(h.deliver(refused).exit_code == 0);
  REQUIRE(run_cli({"indexd", "--once"}, h.home()).exit_code == 0);
  REQUIRE(h.count("sized") == static_cast<long>(stored.size()) + 1);
}

TEST_CASE("live stress: an unreadable or broken config makes deliver exit 75", "[api][live][stress]") {
  const std::string program = GENERATE(from_range(folio::testing::kDeliverPrograms));
  CAPTURE(program);
  LiveHome h({"dev"}, program);
  const std::string msg = make_message("cfg@stress.test", "config", "body");
  const std::string good = read_file(h.config_file());
  struct Case {
    const char* what;
    std::string toml;  // empty: folio.toml becomes a directory
  };
  const std::vector<Case> cases = {
      {"folio.toml is a directory", ""},
      {"garbage TOML", "[[list]\nname = \"dev\n\x01\x02 garbage ==="},
      {"an unknown key", good + "\n[limits]\nmax_message_size = 10\n"},
      {"a bad value",
       "[limits]\nmax_message_bytes = -5\n\n[[list]]\nname = \"dev\"\naccess = [\"public\"]\n"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      fs::remove(h.config_file());
      if (c.toml.empty()) {
        fs::create_directory(h.config_file());
      } else {
        write_file(h.config_file(), c.toml);
      }
      auto r = h.deliver(msg);
      CAPTURE(r.err);
      REQUIRE(r.exit_code == 75);
      REQUIRE(one_reason_line(r.err));
      REQUIRE(r.err.find("config") != std::string::npos);
      REQUIRE(files_in(h.spool("new")).empty());
      REQUIRE(files_in(h.spool("tmp")).empty());
    }
  }
  SECTION("a missing config") {
    fs::remove(h.config_file());
    auto r = h.deliver(msg);
    REQUIRE(r.exit_code == 75);
    REQUIRE(one_reason_line(r.err));
  }
}

TEST_CASE("live stress: deliver exit codes at the size limit and for bad input", "[api][live][stress]") {
  const std::string program = GENERATE(from_range(folio::testing::kDeliverPrograms));
  CAPTURE(program);
  LiveHome h({"dev"}, program);
  write_file(h.config_file(),
             "[limits]\nmax_message_bytes = 4096\n\n"
             "[[list]]\nname = \"dev\"\nlist_id = \"dev.example.org\"\naccess = [\"public\"]\n");
  struct Case {
    const char* what;
    std::string input;
    std::vector<std::string> args;
    int code;
  };
  const std::vector<Case> cases = {
      {"exactly at the limit", message_of_size("at@stress.test", 4096), {"--list", "dev"}, 0},
      {"one byte over the limit", message_of_size("over@stress.test", 4097), {"--list", "dev"}, 65},
      {"far over the limit", message_of_size("far@stress.test", 200000), {"--list", "dev"}, 65},
      {"at the limit after a From_ line", "From alice@example.org Sun Mar  1 17:17:33 2015\n" +
                                              message_of_size("from@stress.test", 4096),
       {"--list", "dev"}, 0},
      {"empty input", "", {"--list", "dev"}, 65},
      {"not a message", "just some words\n", {"--list", "dev"}, 65},
      {"an unknown list", make_message("u@stress.test", "s", "b"), {"--list", "nosuch"}, 75},
      {"no --list and no List-Id", make_message("n@stress.test", "s", "b"), {}, 75},
      {"a List-Id of no configured list",
       "List-Id: <other.example.org>\n" + make_message("o@stress.test", "s", "b"), {}, 75},
      {"routed by List-Id",
       "List-Id: Dev <dev.example.org>\n" + make_message("r@stress.test", "s", "b"), {}, 0},
      {"a stray argument", make_message("a@stress.test", "s", "b"), {"--list", "dev", "extra"}, 64},
      {"an unknown option", make_message("a@stress.test", "s", "b"), {"--lsit", "dev"}, 64},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      auto r = h.deliver_with(c.args, c.input);
      CAPTURE(r.err);
      REQUIRE(r.exit_code == c.code);
      auto spooled = files_in(h.spool("new"));
      if (c.code == 0) {
        REQUIRE(r.err.empty());
        REQUIRE(spooled.size() == 1);
      } else {
        REQUIRE(one_reason_line(r.err));
        REQUIRE(spooled.empty());
      }
      REQUIRE(files_in(h.spool("tmp")).empty());
    }
  }
}

TEST_CASE("live stress: SIGHUP makes indexd take a list added after it started", "[api][live][stress]") {
  LiveHome h;
  Indexd d(h, 50);
  wait_until_serving(h, d);
  REQUIRE(run_cli({"lists", "add", "newlist"}, h.home()).exit_code == 0);

  // Without a reload indexd does not know the list: deliver (which reads the
  // config itself) accepts the message and indexd quarantines it with a reason.
  const std::string early = make_message("early@stress.test", "before the reload", "hupword");
  REQUIRE(h.deliver(early, "newlist").exit_code == 0);
  REQUIRE(wait_until([&] { return h.quarantined().size() == 1; }, kVisibleWithin));
  auto parked = h.quarantined().front();
  REQUIRE(read_file(parked) == early);
  std::string reason = read_file(parked.string() + ".reason");
  REQUIRE(reason.find("'newlist' is not in the config") != std::string::npos);
  REQUIRE(h.count("list:newlist") == 0);

  d.signal(SIGHUP);
  REQUIRE(wait_until([&] { return d.log().find("config reloaded") != std::string::npos; }, kVisibleWithin));
  const std::string late = make_message("late@stress.test", "after the reload", "hupword");
  REQUIRE(h.deliver(late, "newlist").exit_code == 0);
  REQUIRE(wait_until([&] { return h.count("id:late@stress.test") == 1; }, kVisibleWithin));
  REQUIRE(h.quarantined() == std::vector<fs::path>{parked});  // still there, untouched
  REQUIRE(read_file(parked) == early);

  // The operator moves the quarantined message back into new/: now it goes in.
  fs::rename(parked, h.spool("new") / parked.filename());
  REQUIRE(wait_until([&] { return h.count("list:newlist") == 2; }, kVisibleWithin));

  // A SIGHUP while the config is broken keeps the config indexd has.
  const std::string good = read_file(h.config_file());
  write_file(h.config_file(), "[[list]\nbroken");
  d.signal(SIGHUP);
  auto refused = [&] { return d.log().find("config not reloaded") != std::string::npos; };
  REQUIRE(wait_until(refused, kVisibleWithin));
  write_file(h.config_file(), good);
  REQUIRE(h.deliver(make_message("kept@stress.test", "kept", "hupword"), "newlist").exit_code == 0);
  REQUIRE(wait_until([&] { return h.count("id:kept@stress.test") == 1; }, kVisibleWithin));
  REQUIRE(d.running());
  REQUIRE(d.stop() == 0);
  REQUIRE(h.quarantined().empty());
  REQUIRE(h.count("list:newlist") == 3);
}

TEST_CASE("live stress: what indexd cannot take is quarantined with a reason and never deleted",
          "[api][live][stress]") {
  LiveHome h({"dev", "old"});
  // Accepted by deliver under the config of the time...
  const std::string for_old = make_message("old@stress.test", "to a list about to go", "quarword");
  const std::string large = message_of_size("large@stress.test", 6000);
  const std::string fine = make_message("fine@stress.test", "fine", "quarword");
  const std::string malformed =
      "Subject: =?x-unknown?Q?broken=ZZ?=\nFrom: <<<@>>>\nDate: not a date\n"
      "Content-Type: multipart/mixed; boundary=\"nope\"\n\n--nope\nContent-Transfer-Encoding: base64\n\n"
      "!!! \xff\xfe not base64 quarword\n";
  REQUIRE(h.deliver(for_old, "old").exit_code == 0);
  REQUIRE(h.deliver(large).exit_code == 0);
  REQUIRE(h.deliver(fine).exit_code == 0);
  REQUIRE(h.deliver(malformed).exit_code == 0);
  // ...then the operator drops the list "old" and lowers the size limit before indexd runs.
  write_file(h.config_file(),
             "[limits]\nmax_message_bytes = 4096\n\n[[list]]\nname = \"dev\"\naccess = [\"public\"]\n");

  auto r = run_cli({"indexd", "--once"}, h.home());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);  // the writer goes on past them
  auto parked = h.quarantined();
  REQUIRE(parked.size() == 2);
  std::vector<std::string> want = {for_old, large};
  std::sort(want.begin(), want.end());
  REQUIRE(contents(parked) == want);
  std::string reasons;
  for (const auto& p : parked) {
    std::string why = read_file(p.string() + ".reason");
    REQUIRE_FALSE(why.empty());
    reasons += why;
  }
  REQUIRE(reasons.find("'old' is not in the config") != std::string::npos);
  REQUIRE(reasons.find("over the limit") != std::string::npos);
  // Malformed mail is not an internal reason: it is stored and indexed.
  REQUIRE(h.status_has("messages_indexed", 2));
  REQUIRE(h.status_has("quarantined", 2));
  REQUIRE(h.status_has("spool_depth", 0));
  REQUIRE(h.count("id:fine@stress.test") == 1);

  // Never deleted: not by another drain, nor by a daemon's run and stop.
  REQUIRE(run_cli({"indexd", "--once"}, h.home()).exit_code == 0);
  {
    Indexd d(h, 50);
    wait_until_serving(h, d);
    REQUIRE(d.stop() == 0);
  }
  REQUIRE(h.quarantined() == parked);
  for (const auto& p : parked) REQUIRE(fs::exists(p.string() + ".reason"));
  REQUIRE(h.status_has("quarantined", 2));
}

// Regression (fixed in 3fd53ac): deliver read at most max_message_bytes + 1
// bytes of stdin and only then dropped a leading mbox From_ line, so an over-size
// message behind a From_ line (as Exim's pipe transport and Postfix's pipe flag F
// send it) could fit under the limit once the From_ line was gone: it was spooled
// cut short with exit 0 instead of refused with 65. With stdin a file, the first
// read returns 65,536 bytes; less the 48-byte From_ line that was 65,488 bytes,
// under the limit of 65,534. A message exactly at the limit behind a From_ line
// must still go through whole.
TEST_CASE("live stress: an over-size message after a From_ line is refused, not cut short",
          "[api][live][stress]") {
  const std::string program = GENERATE(from_range(folio::testing::kDeliverPrograms));
  CAPTURE(program);
  LiveHome h({"dev"}, program);
  write_file(h.config_file(),
             "[limits]\nmax_message_bytes = 65534\n\n[[list]]\nname = \"dev\"\naccess = [\"public\"]\n");
  const std::string from_line = "From alice@example.org Sun Mar  1 17:17:33 2015\n";
  auto r = h.deliver(from_line + message_of_size("cut@stress.test", 100000));
  CAPTURE(r.err);
  CHECK(files_in(h.spool("new")).empty());  // was: one file, the first 65,488 bytes of the message
  REQUIRE(r.exit_code == 65);               // was: 0
  REQUIRE(one_reason_line(r.err));

  const std::string at_limit = message_of_size("whole@stress.test", 65534);
  REQUIRE(h.deliver(from_line + at_limit).exit_code == 0);
  auto spooled = files_in(h.spool("new"));
  REQUIRE(spooled.size() == 1);
  REQUIRE(read_file(spooled.front()) == at_limit);
}

// Regression (fixed in 3fd53ac): SIGHUP handed the new config to the
// SpoolDrainer only (its list names) and the ArchiveWriter kept the limits it
// was opened with. After the operator raised limits.max_message_bytes and sent
// SIGHUP, deliver (which reads the config itself) accepted a message between the
// old and the new limit, and indexd, though it logged "config reloaded",
// quarantined it ("refused: message of 7000 bytes is over the limit of 4096").
TEST_CASE("live stress: SIGHUP also applies a raised size limit to indexd", "[api][live][stress]") {
  LiveHome h;
  const std::string lists = "\n[[list]]\nname = \"dev\"\naccess = [\"public\"]\n";
  write_file(h.config_file(), "[limits]\nmax_message_bytes = 4096\n" + lists);
  Indexd d(h, 50);
  wait_until_serving(h, d);
  write_file(h.config_file(), "[limits]\nmax_message_bytes = 65536\n" + lists);
  d.signal(SIGHUP);
  REQUIRE(wait_until([&] { return d.log().find("config reloaded") != std::string::npos; }, kVisibleWithin));
  REQUIRE(h.deliver(message_of_size("raised@stress.test", 7000)).exit_code == 0);
  bool settled = wait_until(
      [&] { return h.count("id:raised@stress.test") == 1 || !h.quarantined().empty(); }, kVisibleWithin);
  REQUIRE(settled);
  std::string reason;
  if (!h.quarantined().empty()) reason = read_file(h.quarantined().front().string() + ".reason");
  CAPTURE(reason);
  CHECK(h.quarantined().empty());
  REQUIRE(h.count("id:raised@stress.test") == 1);
}
