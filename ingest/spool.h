// spool.h: the durable delivery queue: tmp/ -> fsync -> rename into new/ -> fsync dir.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/result.h"

namespace folio::ingest {

// One delivered message waiting in new/.
struct SpoolEntry {
  std::string name;             // file name in new/
  std::string list;             // the list it was delivered to
  std::int64_t arrival_us = 0;  // delivery time, microseconds since the epoch
};

// The pseudo-list of takedown requests (not a valid list name, so no clash).
inline constexpr std::string_view kRemovalList = "!remove";

struct SpoolStats {
  std::uint64_t depth = 0;             // files in new/
  std::int64_t oldest_arrival_us = 0;  // 0 when empty
  std::uint64_t quarantined = 0;       // messages in quarantine/
};

// A spool directory shared by many delivering processes and one indexer.
// Delivery never takes a lock: each message is written to a file of its own
// under tmp/, fsynced, renamed into new/ and the directory fsynced, so the
// indexer never sees a partial file. Methods are thread-safe (they share no
// state but the file system).
class Spool {
 public:
  explicit Spool(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path new_dir() const { return dir_ / "new"; }
  std::filesystem::path tmp_dir() const { return dir_ / "tmp"; }
  std::filesystem::path quarantine_dir() const { return dir_ / "quarantine"; }

  // Creates tmp/, new/ and quarantine/ if missing.
  model::Status ensure_dirs() const;

  // Durably enqueues `raw` for `list` (a valid list name). Returns the entry.
  // Creates the spool's directories only when they turn out to be missing, so
  // a delivery into an existing spool makes no other system calls than
  // open, write, fsync, close, rename and the fsync of new/.
  // kIOError (with errno's text) when the disk is full or failing; nothing
  // partial is left in new/.
  model::Result<SpoolEntry> deliver(std::string_view raw, std::string_view list,
                                    std::int64_t now_us) const;

  // Durably enqueues a takedown of `message_id` for the indexer (used by
  // `folio remove` while indexd holds the writer). Its entry's list is
  // kRemovalList.
  model::Result<SpoolEntry> request_removal(std::string_view message_id, std::string_view reason,
                                            std::int64_t now_us) const;
  // Reads a takedown entry: {message_id, reason}. kCorruption if malformed.
  model::Result<std::pair<std::string, std::string>> read_removal(const SpoolEntry& entry) const;

  // Up to `max` entries of new/, oldest first. Names that are not spool
  // entries are skipped.
  model::Result<std::vector<SpoolEntry>> pending(std::size_t max) const;

  // The message bytes of an entry. kNotFound when it is gone.
  model::Result<std::string> read(const SpoolEntry& entry) const;

  // Deletes a processed entry (after its message is committed).
  model::Status remove(const SpoolEntry& entry) const;

  // Moves an entry to quarantine/ with a NAME.reason file beside it.
  model::Status quarantine(const SpoolEntry& entry, const std::string& reason) const;

  // Removes tmp/ files older than `age_s` (left by deliveries that died).
  void clean_tmp(std::int64_t now_us, std::int64_t age_s) const;

  model::Result<SpoolStats> stats() const;

  // Parses an entry file name; false when it is not one.
  static bool parse_name(const std::string& name, SpoolEntry& out);

 private:
  std::filesystem::path dir_;
};

}  // namespace folio::ingest
