// backup.cc: index copy by compaction, store copy from a snapshot, restore by copying back.
#include "index/backup.h"

#include "index/generation.h"
#include "index/internal/file_util.h"
#include "index/message_store.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;

namespace {

constexpr const char* kBackupIndex = "index";
constexpr const char* kBackupStore = "store";
constexpr const char* kBackupConfig = "folio.toml";

model::Status copy_small_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  auto bytes = internal::read_whole_file(from);
  FOLIO_TRY(bytes);
  return internal::write_file_atomically(to, bytes.value());
}

}  // namespace

Result<BackupSummary> backup_archive(const Home& home, const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return Err(Code::kInvalidArgument, dir.string() + " already exists");
  auto gen = home.current_generation();
  FOLIO_TRY(gen);
  std::filesystem::create_directories(dir, ec);
  if (ec) return Err(Code::kIOError, "cannot create " + dir.string() + ": " + ec.message());
  BackupSummary summary;
  FOLIO_TRY(copy_generation_compacted(home.generation_dir(gen.value()), dir / kBackupIndex));
  auto seq = generation_seq(dir / kBackupIndex);
  FOLIO_TRY(seq);
  summary.index_seq = seq.value();
  auto store = MessageStore::open(home.store_dir(), StoreMode::kSecondary);
  FOLIO_TRY(store);
  FOLIO_TRY(store.value()->catch_up());
  auto store_seq = store.value()->counter("seq");
  FOLIO_TRY(store_seq);
  summary.store_seq = store_seq.value();
  FOLIO_TRY(store.value()->copy_to(dir / kBackupStore));
  FOLIO_TRY(copy_small_file(home.config_file(), dir / kBackupConfig));
  FOLIO_TRY(internal::fsync_dir(dir));
  return summary;
}

Result<BackupSummary> restore_archive(const std::filesystem::path& dir, const Home& home) {
  std::error_code ec;
  for (const char* part : {kBackupIndex, kBackupStore, kBackupConfig}) {
    if (!std::filesystem::exists(dir / part, ec)) {
      return Err(Code::kInvalidArgument, dir.string() + " is not a folio backup (no " + part + ")");
    }
  }
  if (home.exists() || std::filesystem::exists(home.store_dir(), ec)) {
    return Err(Code::kInvalidArgument, home.root().string() + " already holds an archive; restore needs an empty home");
  }
  std::filesystem::create_directories(home.index_dir(), ec);
  std::filesystem::create_directories(home.lock_dir(), ec);
  std::filesystem::copy(dir / kBackupStore, home.store_dir(), std::filesystem::copy_options::recursive, ec);
  if (ec) return Err(Code::kIOError, "cannot copy the store: " + ec.message());
  std::filesystem::copy(dir / kBackupIndex, home.generation_dir(1), std::filesystem::copy_options::recursive, ec);
  if (ec) return Err(Code::kIOError, "cannot copy the index: " + ec.message());
  FOLIO_TRY(copy_small_file(dir / kBackupConfig, home.config_file()));
  FOLIO_TRY(home.set_current_generation(1));
  BackupSummary summary;
  auto seq = generation_seq(home.generation_dir(1));
  FOLIO_TRY(seq);
  summary.index_seq = seq.value();
  return summary;
}

}  // namespace folio::index
