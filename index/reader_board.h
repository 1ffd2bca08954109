// reader_board.h: readers of the live index post which revision they read, so
// the writer can let them finish before it overwrites that revision.
//
// Why: a Xapian (glass) reader reads the revision that was current when it
// opened or reopened its database. Once the writer has committed a newer
// revision, its next writes may reuse the blocks of older ones, and a reader
// still on an older revision then fails with DatabaseModifiedError. Retrying
// helps only when the retry is faster than the writer's next commit; a slow
// search on a busy machine (indexd commits every 200 ms while mail arrives)
// can lose every retry.
//
// The contract: after each commit the writer calls wait_for_readers() with
// the time that commit ended, before it writes anything more. A reader posts
// the time it last opened or reopened its database (taken before the call)
// for as long as it reads. A reader that opened before the commit ended may
// still be on an older revision, and the writer waits for it, at most
// `max_wait` (a stuck reader cannot stop indexing; it may then get
// DatabaseModifiedError and retry as before).
//
// On disk: <home>/run/readers/<pid>, one file per reading process, of
// kReaderSlots 8-byte slots shared with mmap. A slot holds 0 (idle) or the
// open time in nanoseconds of CLOCK_MONOTONIC (one clock for every process
// on the machine). A process removes its file when its last slot goes; the
// writer removes the files of processes that are gone (kill -9).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "index/home.h"

namespace folio::index {

inline constexpr std::size_t kReaderSlots = 256;

// Nanoseconds of CLOCK_MONOTONIC: the clock of every slot.
std::int64_t reader_clock_ns();

class ReaderBoard;

// One reader's slot: used by one thread at a time. Idle when destroyed.
class ReaderSlot {
 public:
  ReaderSlot(std::shared_ptr<ReaderBoard> board, std::size_t index);
  ~ReaderSlot();
  ReaderSlot(const ReaderSlot&) = delete;
  ReaderSlot& operator=(const ReaderSlot&) = delete;

  // Posts that this reader reads a revision it opened at `opened_ns` (> 0).
  void reading(std::int64_t opened_ns);
  // Posts that this reader reads nothing.
  void idle();

 private:
  std::shared_ptr<ReaderBoard> board_;
  std::size_t index_;
};

// A free slot on this process's board for `home`, creating the board file on
// first use. Null when the board cannot be written (a read-only home, a full
// disk) or all kReaderSlots of the process are taken: the reader then goes
// unannounced, with only its retries to protect it.
std::unique_ptr<ReaderSlot> claim_reader_slot(const Home& home);

struct ReaderWait {
  std::size_t readers = 0;  // readers of an older revision found at the start
  bool timed_out = false;   // some were still reading when max_wait ran out
  std::chrono::milliseconds waited{0};
};

// Blocks until no reader on any board of `home` posts an open time before
// `before_ns`, or `max_wait` has passed (0: only looks). Polls every
// millisecond while it waits. Removes the board files of processes that no
// longer exist. Never fails: a board it cannot read is skipped.
ReaderWait wait_for_readers(const Home& home, std::int64_t before_ns, std::chrono::milliseconds max_wait);

}  // namespace folio::index
