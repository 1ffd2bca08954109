// home.h: the archive home on disk: its layout, creation, generations and the writer lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "index/model/result.h"

namespace folio::index {

// The layout of an archive home:
//   folio.toml          the configuration
//   store/              RocksDB message store (source of truth)
//   index/CURRENT       names the live index generation ("gen-000001")
//   index/gen-NNNNNN/   Xapian databases, one per generation
//   locks/writer        held by the one process writing store and index
//   run/readers/<pid>   the reader board (index/reader_board.h)
class Home {
 public:
  explicit Home(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path config_file() const { return root_ / "folio.toml"; }
  std::filesystem::path store_dir() const { return root_ / "store"; }
  std::filesystem::path index_dir() const { return root_ / "index"; }
  std::filesystem::path current_file() const { return index_dir() / "CURRENT"; }
  std::filesystem::path generation_dir(std::uint64_t gen) const;
  std::filesystem::path lock_dir() const { return root_ / "locks"; }
  std::filesystem::path spool_dir() const { return root_ / "spool"; }

  // The live generation named by CURRENT. kNotFound when the home has none.
  model::Result<std::uint64_t> current_generation() const;
  // Points CURRENT at `gen` atomically (write temp, fsync, rename).
  model::Status set_current_generation(std::uint64_t gen) const;

  // True when root holds a config file.
  bool exists() const;

 private:
  std::filesystem::path root_;
};

// The home named by --home, else $FOLIO_HOME, else ./folio-data.
std::filesystem::path default_home_path(const std::string& flag_value);

// An exclusive advisory lock on locks/<name>; released on destruction or at
// process exit (also after kill -9). The file holds the holder's pid and role.
class HomeLock {
 public:
  // Takes the lock without waiting. kBusy, naming the holder's pid and role,
  // when another process holds it.
  static model::Result<std::unique_ptr<HomeLock>> acquire(const Home& home, const std::string& name,
                                                          const std::string& role);
  ~HomeLock();
  HomeLock(const HomeLock&) = delete;
  HomeLock& operator=(const HomeLock&) = delete;

 private:
  explicit HomeLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace folio::index
