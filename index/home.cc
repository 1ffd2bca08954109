// home.cc: archive home layout, CURRENT generation file, advisory locks (no Xapian:
// part of folio_config, which folio-deliver links; init_home is in init_home.cc).
#include "index/home.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "index/internal/file_util.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

std::filesystem::path Home::generation_dir(std::uint64_t gen) const {
  char name[32];
  std::snprintf(name, sizeof name, "gen-%06llu", static_cast<unsigned long long>(gen));
  return index_dir() / name;
}

Result<std::uint64_t> Home::current_generation() const {
  auto text = internal::read_whole_file(current_file());
  if (!text.ok()) {
    if (text.error().code == Code::kNotFound) {
      return Err(Code::kNotFound, "no archive at " + root_.string() + " (run `folio init` first)");
    }
    return text.error();
  }
  unsigned long long gen = 0;
  if (std::sscanf(text->c_str(), "gen-%llu", &gen) != 1 || gen == 0) {
    return Err(Code::kCorruption, current_file().string() + ": does not name a generation");
  }
  return static_cast<std::uint64_t>(gen);
}

Status Home::set_current_generation(std::uint64_t gen) const {
  return internal::write_file_atomically(current_file(),
                                         generation_dir(gen).filename().string() + "\n");
}

bool Home::exists() const {
  std::error_code ec;
  return std::filesystem::exists(config_file(), ec);
}

std::filesystem::path default_home_path(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("FOLIO_HOME"); env && *env) return env;
  return "folio-data";
}

Result<std::unique_ptr<HomeLock>> HomeLock::acquire(const Home& home, const std::string& name,
                                                    const std::string& role) {
  std::error_code ec;
  std::filesystem::create_directories(home.lock_dir(), ec);
  auto path = home.lock_dir() / name;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return internal::errno_error("cannot open lock " + path.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[256] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "another process";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Err(Code::kBusy, "the archive at " + home.root().string() + " is busy: " + holder +
                                " holds the " + name + " lock");
  }
  std::string who = "pid " + std::to_string(::getpid()) + " (" + role + ")\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    // The lock is held; the note naming the holder is a courtesy.
  }
  return std::unique_ptr<HomeLock>(new HomeLock(fd));
}

HomeLock::~HomeLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace folio::index
