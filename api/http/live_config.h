// live_config.h: LiveConfig, the archive config as the service sees it now, reloaded on change or SIGHUP.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "index/config.h"
#include "index/model/result.h"

namespace folio::api::http {

// A config and the number of reloads before it (equal numbers, same config).
struct ConfigSnapshot {
  std::shared_ptr<const index::Config> config;
  std::uint64_t generation = 0;
};

// Holds the current config of a running service. Requests take a snapshot
// (a shared pointer that stays valid while they run) and build their
// AccessScope from it, so a reload changes what the next request sees,
// never a request in flight.
//
// current() checks the file's identity (mtime, size, inode) at most once
// per second and reloads when it changed; reload() reloads at once (SIGHUP).
// A config that fails to load is reported and the previous one kept.
// Thread-safe.
class LiveConfig {
 public:
  // Loads `path` now. Errors as index::load_config.
  static model::Result<std::unique_ptr<LiveConfig>> open(std::filesystem::path path);

  // The config to use for a request that starts now.
  std::shared_ptr<const index::Config> current() { return snapshot().config; }
  // As current(), with its generation (for keys that must change with the config).
  ConfigSnapshot snapshot();

  // Reloads the file now. On error the previous config stays in use.
  model::Status reload();

  std::uint64_t reloads() const { return reloads_; }
  std::uint64_t reload_errors() const { return reload_errors_; }

 private:
  struct Stamp {
    std::int64_t mtime_ns = 0;
    std::uint64_t size = 0;
    std::uint64_t inode = 0;
    bool operator==(const Stamp&) const = default;
  };

  LiveConfig(std::filesystem::path path, index::Config config, Stamp stamp);
  static Stamp stamp_of(const std::filesystem::path& path);

  const std::filesystem::path path_;
  std::mutex mu_;
  std::shared_ptr<const index::Config> config_;  // guarded by mu_
  Stamp stamp_;                                  // guarded by mu_
  std::uint64_t generation_ = 0;                 // guarded by mu_
  std::atomic<std::int64_t> next_check_ns_{0};   // steady clock
  std::atomic<std::uint64_t> reloads_{0};
  std::atomic<std::uint64_t> reload_errors_{0};
};

}  // namespace folio::api::http
