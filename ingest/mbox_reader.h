// mbox_reader.h: splits an mbox byte stream into raw messages (From_ lines, mboxrd unescaping).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "index/model/result.h"
#include "ingest/byte_source.h"

namespace folio::ingest {

// Which lines starting with "From " separate two messages.
enum class FromLineRule {
  // Every line that starts with "From ". Right for mbox files written by an
  // MTA, mutt, Python or mod_mbox, which escape body lines as ">From ".
  // Matches Python's mailbox.mbox and the counts in Pony Mail's tests.
  kAnyFromLine,
  // Only "From <sender> <date>" lines: the line must end in a date, i.e. a
  // time (hh:mm or hh:mm:ss) among its last 3 words, a 4-digit year among
  // its last 4 and a month name among its last 6 ("From x at y  Tue Apr  1
  // 09:28:56 1997", optionally with a zone). A line without a date also
  // counts when the next line is indented and ends in one: Mailman 2 folded a
  // few long From_ lines (r-devel, January 2001). Needed for pipermail
  // archives: Mailman 2 did not escape body lines such as "From the help
  // page:" in every archive (r-devel has 39 of them).
  kDatedFromLine,
};

struct MboxOptions {
  FromLineRule rule = FromLineRule::kAnyFromLine;
  // Bytes asked of the source per read. Tests make this tiny to exercise
  // messages and lines that straddle reads.
  std::size_t read_size = 1 << 20;
  // A message growing past this many bytes fails the read with kTooLarge.
  std::size_t max_message_bytes = std::size_t{1} << 30;
};

// Reads messages from an mbox one at a time, in file order.
//
// Each message is the bytes after its From_ line up to the next From_ line,
// minus the one blank line ("\n" or "\r\n") that precedes the next From_ line
// (or the end of the file). A line matching ^>+From  loses one '>' (mboxrd).
// Line endings are kept as they are, so CRLF mboxes give CRLF messages.
//
// The first line of the file is a separator whenever it starts with "From ",
// whatever the rule (so "From " or "From -" alone work). Blank lines before
// it are skipped. Text before the first From_ line, if any, is returned as a
// message of its own with an empty from_line(), so that nothing is lost.
//
// A line longer than 64 KiB is always body text, never a From_ line or an
// escape, so that memory stays bounded by the largest message plus two reads
// and the result does not depend on how the input arrives. Not thread-safe.
class MboxReader {
 public:
  // `source` must outlive the reader.
  explicit MboxReader(ByteSource& source, MboxOptions options = {});

  // The next message, or nullopt after the last. Errors: kIOError from the
  // source (corrupt compressed data), kTooLarge past max_message_bytes. After
  // an error the reader is finished and repeats the error.
  model::Result<std::optional<std::string>> next();

  // The From_ line of the message last returned, without its line ending;
  // two lines joined by their line break for a folded one. Empty for text
  // before the first From_ line.
  std::string_view from_line() const { return from_line_; }

  // 1-based number of the message last returned (0 before the first).
  std::uint64_t message_number() const { return number_; }

  // Bytes of the underlying file consumed so far (see ByteSource::consumed).
  std::uint64_t consumed() const { return source_.consumed(); }

 private:
  enum class Probe { kNo, kYes, kNeedMore };
  enum class Step { kNext, kNeedMore, kSeparator };

  model::Status start();
  model::Status skip_blank_lines();
  model::Status await_whole_line();
  model::Result<bool> scan();
  model::Status on_partial_line();
  model::Result<Step> take_line(std::size_t line_end);
  void take_separator(std::size_t sep_end);
  Probe probe_separator(std::size_t line_begin, std::size_t line_end, std::size_t* sep_end);
  std::size_t line_end_at(std::size_t pos) const;
  std::size_t current_line_end() const;
  model::Status refill();
  model::Status flush_run();
  model::Result<std::optional<std::string>> fail(model::Error error);

  ByteSource& source_;
  MboxOptions options_;
  std::string buf_;       // raw bytes; [pos_, end_) not yet looked at
  std::string msg_;       // the message being gathered
  std::size_t pos_ = 0;   // start of the current line
  std::size_t run_ = 0;   // start of message bytes not yet copied out
  std::size_t end_ = 0;
  bool eof_ = false;
  bool mid_line_ = false;  // pos_ is inside an over-long line, not at its start
  bool started_ = false;
  bool finished_ = false;
  std::string from_line_;
  std::string next_from_line_;
  std::uint64_t number_ = 0;
  model::Error error_;
  bool failed_ = false;
};

// Whether `line` (without its line ending) ends in a From_-line date as
// FromLineRule::kDatedFromLine requires. Exposed for format detection and tests.
bool ends_in_mbox_date(std::string_view line);

}  // namespace folio::ingest
