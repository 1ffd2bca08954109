// spool_drainer.h: feeds spooled messages to the indexer and deletes them once committed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "index/config.h"
#include "index/indexer.h"
#include "ingest/spool.h"

namespace folio::ingest {

struct DrainStats {
  std::uint64_t committed = 0;    // spool files removed after their commit
  std::uint64_t quarantined = 0;  // moved aside with a reason
};

// Moves messages from the spool into an Indexer. A spool file is removed only
// from the indexer's commit callback, so a crash at any moment leaves it to
// be offered again; the store recognises it and nothing is stored twice.
// pass() is called from one thread; the callbacks arrive on the writer thread.
class SpoolDrainer {
 public:
  SpoolDrainer(const Spool& spool, index::Indexer& indexer, const index::Config& config);

  // Offers every pending entry that is not already in flight (at most `max`).
  // Returns how many were offered. Errors: the indexer's latched error or a
  // spool I/O error.
  model::Result<std::size_t> pass(std::size_t max);

  // Replaces the config used to check list names (after SIGHUP).
  void set_config(const index::Config& config);

  // Entries offered and not yet committed.
  std::size_t in_flight() const;
  DrainStats stats() const;

 private:
  void on_committed(const SpoolEntry& entry, const index::Outcome& outcome);
  model::Status offer(const SpoolEntry& entry);
  model::Status offer_removal(const SpoolEntry& entry);

  const Spool& spool_;
  index::Indexer& indexer_;
  mutable std::mutex mu_;
  index::Config config_;            // guarded by mu_
  std::set<std::string> in_flight_;  // guarded by mu_
  DrainStats stats_;                 // guarded by mu_
};

}  // namespace folio::ingest
