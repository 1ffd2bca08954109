// live_config.cc: config snapshots, the once-a-second file check and reload.
#include "api/http/live_config.h"

#include <sys/stat.h>

#include <iostream>

namespace folio::api::http {

namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::int64_t kCheckIntervalNs = 1'000'000'000;

}  // namespace

LiveConfig::LiveConfig(std::filesystem::path path, index::Config config, Stamp stamp)
    : path_(std::move(path)),
      config_(std::make_shared<const index::Config>(std::move(config))),
      stamp_(stamp) {
  next_check_ns_ = steady_ns() + kCheckIntervalNs;
}

model::Result<std::unique_ptr<LiveConfig>> LiveConfig::open(std::filesystem::path path) {
  Stamp stamp = stamp_of(path);
  auto config = index::load_config(path);
  if (!config.ok()) return config.error();
  return std::unique_ptr<LiveConfig>(new LiveConfig(std::move(path), std::move(config.value()), stamp));
}

LiveConfig::Stamp LiveConfig::stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return Stamp{static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
               static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_ino)};
}

ConfigSnapshot LiveConfig::snapshot() {
  std::int64_t now = steady_ns();
  std::int64_t due = next_check_ns_.load();
  // One caller per second wins the check; the others use the snapshot.
  if (now >= due && next_check_ns_.compare_exchange_strong(due, now + kCheckIntervalNs)) {
    Stamp stamp = stamp_of(path_);
    bool changed;
    {
      std::lock_guard<std::mutex> lock(mu_);
      changed = !(stamp == stamp_);
    }
    if (changed) (void)reload();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return {config_, generation_};
}

model::Status LiveConfig::reload() {
  Stamp stamp = stamp_of(path_);
  auto config = index::load_config(path_);
  std::lock_guard<std::mutex> lock(mu_);
  stamp_ = stamp;  // a bad file is reported once, not at every check
  if (!config.ok()) {
    ++reload_errors_;
    std::cerr << "folio serve: config not reloaded, keeping the previous one: "
              << config.error().to_string() << "\n";
    return config.error();
  }
  config_ = std::make_shared<const index::Config>(std::move(config.value()));
  ++generation_;
  ++reloads_;
  return model::Ok();
}

}  // namespace folio::api::http
