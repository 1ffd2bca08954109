// backup.h: consistent backups of a running archive, and restoring them into an empty home.
#pragma once

#include <cstdint>
#include <filesystem>

#include "index/home.h"

namespace folio::index {

struct BackupSummary {
  std::uint64_t index_seq = 0;  // store sequence the copied index covers
  std::uint64_t store_seq = 0;  // store sequence of the copied store (>= index_seq)
};

// Copies the live index generation (compacted, a consistent revision) and
// then the store (a consistent snapshot, taken after) plus the config into
// `dir`, which must not exist. Safe while indexd, serve and import run. The
// copied store is never behind the copied index; what the index lacks is
// replayed from the store's change log when the restored archive is first
// opened for writing. The caller holds the maintenance lock.
model::Result<BackupSummary> backup_archive(const Home& home, const std::filesystem::path& dir);

// Restores a backup into `home`, which must hold no archive yet (no config
// and no store), then replays what the index lacks so that `check` passes.
model::Result<BackupSummary> restore_archive(const std::filesystem::path& dir, const Home& home);

}  // namespace folio::index
