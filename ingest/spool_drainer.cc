// spool_drainer.cc: spool -> indexer, with removal on commit and quarantine on failure.
#include "ingest/spool_drainer.h"

namespace folio::ingest {

SpoolDrainer::SpoolDrainer(const Spool& spool, index::Indexer& indexer, const index::Config& config)
    : spool_(spool), indexer_(indexer), config_(config) {}

void SpoolDrainer::set_config(const index::Config& config) {
  std::lock_guard lock(mu_);
  config_ = config;
}

std::size_t SpoolDrainer::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_.size();
}

DrainStats SpoolDrainer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void SpoolDrainer::on_committed(const SpoolEntry& entry, const index::Outcome& outcome) {
  bool removed = false;
  if (outcome.kind == index::OutcomeKind::kRefused) {
    removed = spool_.quarantine(entry, "refused: " + outcome.reason).ok();
  } else {
    removed = spool_.remove(entry).ok();
  }
  std::lock_guard lock(mu_);
  in_flight_.erase(entry.name);
  if (!removed) return;  // still in new/: offered again on a later pass
  if (outcome.kind == index::OutcomeKind::kRefused) {
    ++stats_.quarantined;
  } else {
    ++stats_.committed;
  }
}

model::Status SpoolDrainer::offer_removal(const SpoolEntry& entry) {
  auto request = spool_.read_removal(entry);
  if (!request.ok()) {
    if (request.error().code == model::Code::kNotFound) return {};
    std::lock_guard lock(mu_);
    ++stats_.quarantined;
    return spool_.quarantine(entry, request.error().message);
  }
  {
    std::lock_guard lock(mu_);
    in_flight_.insert(entry.name);
  }
  index::Incoming in;
  in.remove_id = request->first;
  in.remove_reason = request->second;
  in.origin = "spool/new/" + entry.name;
  return indexer_.add(std::move(in), [this, entry](const index::Outcome& o) { on_committed(entry, o); });
}

model::Status SpoolDrainer::offer(const SpoolEntry& entry) {
  if (entry.list == kRemovalList) return offer_removal(entry);
  auto raw = spool_.read(entry);
  if (!raw.ok()) {
    if (raw.error().code == model::Code::kNotFound) return {};  // removed meanwhile
    return raw.error();
  }
  {
    std::lock_guard lock(mu_);
    if (!config_.find_list(entry.list)) {
      ++stats_.quarantined;
      return spool_.quarantine(entry, "the list '" + entry.list + "' is not in the config");
    }
    in_flight_.insert(entry.name);
  }
  index::Incoming in;
  in.raw = std::move(raw.value());
  in.list = entry.list;
  in.origin = "spool/new/" + entry.name;
  in.arrival = entry.arrival_us / 1000000;
  return indexer_.add(std::move(in), [this, entry](const index::Outcome& o) { on_committed(entry, o); });
}

model::Result<std::size_t> SpoolDrainer::pass(std::size_t max) {
  auto entries = spool_.pending(max + in_flight());
  FOLIO_TRY(entries);
  std::size_t offered = 0;
  for (const auto& e : entries.value()) {
    if (offered >= max) break;
    {
      std::lock_guard lock(mu_);
      if (in_flight_.count(e.name)) continue;
    }
    FOLIO_TRY(offer(e));
    ++offered;
  }
  return offered;
}

}  // namespace folio::ingest
