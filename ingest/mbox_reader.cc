// mbox_reader.cc: From_-line splitting over a refillable buffer, without a copy or allocation per line.
#include "ingest/mbox_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace folio::ingest {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

constexpr std::string_view kFrom = "From ";
constexpr std::size_t kNpos = std::string::npos;

// A line that might be a From_ line or an escaped body line is only judged
// once it is whole; lines longer than this are body text whatever they say.
constexpr std::size_t kMaxJudgedLine = 64 * 1024;

std::string_view without_eol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

// h:mm, hh:mm, h:mm:ss or hh:mm:ss.
bool is_time(std::string_view t) {
  std::size_t colon = t.find(':');
  if (colon == kNpos || colon == 0 || colon > 2 || !all_digits(t.substr(0, colon))) return false;
  std::string_view rest = t.substr(colon + 1);
  if (rest.size() == 2) return all_digits(rest);
  return rest.size() == 5 && rest[2] == ':' && all_digits(rest.substr(0, 2)) &&
         all_digits(rest.substr(3));
}

bool is_year(std::string_view t) { return t.size() == 4 && all_digits(t); }

bool is_month(std::string_view t) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (!t.empty() && t.back() == ',') t.remove_suffix(1);
  for (std::string_view m : kMonths) {
    if (t == m) return true;
  }
  return false;
}

// Splits off up to N words from the end of `line`; words[0] is the last one.
template <std::size_t N>
std::size_t last_words(std::string_view line, std::array<std::string_view, N>& words) {
  std::size_t count = 0;
  std::size_t end = line.size();
  while (count < N) {
    while (end > 0 && is_blank(line[end - 1])) --end;
    if (end == 0) break;
    std::size_t begin = end;
    while (begin > 0 && !is_blank(line[begin - 1])) --begin;
    words[count++] = line.substr(begin, end - begin);
    end = begin;
  }
  return count;
}

// True if any of the first `limit` of `words` satisfies `pred`.
template <std::size_t N, typename Pred>
bool any_within(const std::array<std::string_view, N>& words, std::size_t count,
                std::size_t limit, Pred pred) {
  for (std::size_t i = 0; i < count && i < limit; ++i) {
    if (pred(words[i])) return true;
  }
  return false;
}

// "^>+From ": an mboxrd-escaped body line.
bool is_escaped_from(std::string_view line) {
  std::size_t i = line.find_first_not_of('>');
  return i != kNpos && i > 0 && line.substr(i, kFrom.size()) == kFrom;
}

// Removes the one blank line that separates a message from the next From_ line.
void strip_separator_blank_line(std::string& m) {
  const std::size_t n = m.size();
  if (n >= 2 && m[n - 1] == '\n' && m[n - 2] == '\r' && (n == 2 || m[n - 3] == '\n')) {
    m.resize(n - 2);
  } else if (n >= 1 && m[n - 1] == '\n' && (n == 1 || m[n - 2] == '\n')) {
    m.resize(n - 1);
  }
}

}  // namespace

bool ends_in_mbox_date(std::string_view line) {
  std::array<std::string_view, 6> words;
  std::size_t n = last_words(line, words);
  return any_within(words, n, 3, is_time) && any_within(words, n, 4, is_year) &&
         any_within(words, n, 6, is_month);
}

MboxReader::MboxReader(ByteSource& source, MboxOptions options)
    : source_(source), options_(options) {
  if (options_.read_size == 0) options_.read_size = 1;
}

Result<std::optional<std::string>> MboxReader::next() {
  if (failed_) return error_;
  if (finished_) return std::optional<std::string>();
  if (!started_) {
    started_ = true;
    if (Status s = start(); !s.ok()) return fail(s.error());
    if (finished_) return std::optional<std::string>();
  }
  from_line_ = std::exchange(next_from_line_, std::string());
  auto found = scan();
  if (!found.ok()) return fail(found.error());
  if (!*found) {
    if (Status s = flush_run(); !s.ok()) return fail(s.error());
    finished_ = true;
  }
  strip_separator_blank_line(msg_);
  ++number_;
  return std::optional<std::string>(std::exchange(msg_, std::string()));
}

Result<std::optional<std::string>> MboxReader::fail(model::Error error) {
  failed_ = true;
  finished_ = true;
  error_ = std::move(error);
  return error_;
}

// Skips leading blank lines, then consumes the first line if it is a From_
// line. Otherwise the text from here on is a message without a From_ line.
Status MboxReader::start() {
  FOLIO_TRY(skip_blank_lines());
  if (pos_ == end_) {
    finished_ = true;
    return model::Ok();
  }
  FOLIO_TRY(await_whole_line());
  std::size_t le = current_line_end();
  std::string_view line(buf_.data() + pos_, le - pos_);
  if (line.substr(0, kFrom.size()) != kFrom || line.size() > kMaxJudgedLine) {
    return model::Ok();  // text before any From_ line
  }
  std::size_t sep_end = le;
  while (probe_separator(pos_, le, &sep_end) == Probe::kNeedMore) {
    FOLIO_TRY(refill());
    le = current_line_end();
  }
  take_separator(std::max(sep_end, le));  // the first line needs no date
  return model::Ok();
}

Status MboxReader::skip_blank_lines() {
  for (;;) {
    while (pos_ < end_ && buf_[pos_] == '\n') ++pos_;
    if (pos_ + 1 < end_ && buf_[pos_] == '\r' && buf_[pos_ + 1] == '\n') {
      pos_ += 2;
      continue;
    }
    const bool cr_at_end = pos_ + 1 == end_ && buf_[pos_] == '\r';
    run_ = pos_;
    if ((pos_ < end_ && !cr_at_end) || eof_) return model::Ok();
    FOLIO_TRY(refill());
  }
}

// Reads until the line at pos_ is whole, too long to judge, or the last one.
Status MboxReader::await_whole_line() {
  while (line_end_at(pos_) == kNpos && end_ - pos_ <= kMaxJudgedLine && !eof_) {
    FOLIO_TRY(refill());
  }
  return model::Ok();
}

// Consumes lines into msg_ until a From_ line (true, consumed too) or the end
// of the input (false).
Result<bool> MboxReader::scan() {
  for (;;) {
    if (pos_ == end_ && eof_) return false;
    std::size_t le = pos_ == end_ ? kNpos : line_end_at(pos_);
    if (le == kNpos && !eof_) {
      FOLIO_TRY(on_partial_line());
      continue;
    }
    auto step = take_line(le == kNpos ? end_ : le);
    if (!step.ok()) return step.error();
    if (*step == Step::kSeparator) return true;
    if (*step == Step::kNeedMore) FOLIO_TRY(refill());
  }
}

// The line at pos_ has no line ending in the buffer yet. Lines that cannot
// be From_ lines or escapes are copied as they come; others wait for more.
Status MboxReader::on_partial_line() {
  const char c = pos_ < end_ ? buf_[pos_] : '\0';
  if (pos_ < end_ && (mid_line_ || (c != 'F' && c != '>') || end_ - pos_ > kMaxJudgedLine)) {
    mid_line_ = true;
    pos_ = end_;
  }
  return refill();
}

// Handles the whole line [pos_, le): body text, an escaped line, or a From_
// line that ends the message.
Result<MboxReader::Step> MboxReader::take_line(std::size_t le) {
  if (mid_line_ || le - pos_ > kMaxJudgedLine) {  // over-long lines are body text
    mid_line_ = false;
    pos_ = le;
    return Step::kNext;
  }
  if (buf_[pos_] == 'F') {
    std::size_t sep_end = 0;
    Probe p = probe_separator(pos_, le, &sep_end);
    if (p == Probe::kNeedMore) return Step::kNeedMore;
    if (p == Probe::kYes) {
      FOLIO_TRY(flush_run());
      take_separator(sep_end);
      return Step::kSeparator;
    }
  } else if (buf_[pos_] == '>' && is_escaped_from(std::string_view(buf_.data() + pos_, le - pos_))) {
    FOLIO_TRY(flush_run());
    run_ = pos_ + 1;  // drop one '>'
  }
  pos_ = le;
  return Step::kNext;
}

// Consumes the From_ line [pos_, sep_end) as the next message's.
void MboxReader::take_separator(std::size_t sep_end) {
  next_from_line_.assign(without_eol(std::string_view(buf_.data() + pos_, sep_end - pos_)));
  pos_ = run_ = sep_end;
}

// The end of the line at pos_: past its '\n', or end_ when it has none yet.
std::size_t MboxReader::current_line_end() const {
  std::size_t le = line_end_at(pos_);
  return le == kNpos ? end_ : le;
}

// Decides whether the whole line [begin, end) is a From_ line under the rule.
// On kYes, *sep_end is where the separator ends (after a folded second line).
MboxReader::Probe MboxReader::probe_separator(std::size_t begin, std::size_t end,
                                              std::size_t* sep_end) {
  std::string_view line = without_eol(std::string_view(buf_.data() + begin, end - begin));
  if (line.substr(0, kFrom.size()) != kFrom) return Probe::kNo;
  *sep_end = end;
  if (options_.rule == FromLineRule::kAnyFromLine || ends_in_mbox_date(line)) return Probe::kYes;
  // Folded: "From <one word>" then an indented line that ends in the date.
  if (line.find_first_of(" \t", kFrom.size()) != kNpos) return Probe::kNo;
  if (end == end_) return eof_ ? Probe::kNo : Probe::kNeedMore;
  if (!is_blank(buf_[end])) return Probe::kNo;
  std::size_t end2 = line_end_at(end);
  if (end2 == kNpos && !eof_) {
    return end_ - end > kMaxJudgedLine ? Probe::kNo : Probe::kNeedMore;
  }
  if (end2 == kNpos) end2 = end_;
  if (end2 - end > kMaxJudgedLine ||
      !ends_in_mbox_date(without_eol(std::string_view(buf_.data() + end, end2 - end)))) {
    return Probe::kNo;
  }
  *sep_end = end2;
  return Probe::kYes;
}

// Index just past the '\n' ending the line that starts at `pos`, or kNpos.
std::size_t MboxReader::line_end_at(std::size_t pos) const {
  const void* nl = std::memchr(buf_.data() + pos, '\n', end_ - pos);
  return nl ? static_cast<const char*>(nl) - buf_.data() + 1 : kNpos;
}

// Appends the message bytes [run_, pos_) to msg_.
Status MboxReader::flush_run() {
  if (pos_ > run_) msg_.append(buf_.data() + run_, pos_ - run_);
  run_ = pos_;
  if (msg_.size() > options_.max_message_bytes) {
    return Err(Code::kTooLarge, source_.name() + ":#" + std::to_string(number_ + 1) +
                                    ": message larger than " +
                                    std::to_string(options_.max_message_bytes) + " bytes");
  }
  return model::Ok();
}

// Copies out pending message bytes, moves the unjudged tail [pos_, end_) to
// the front and reads more after it; sets eof_ at the end of the input.
Status MboxReader::refill() {
  FOLIO_TRY(flush_run());
  if (eof_) return model::Ok();
  const std::size_t tail = end_ - pos_;
  std::memmove(buf_.data(), buf_.data() + pos_, tail);
  pos_ = run_ = 0;
  end_ = tail;
  if (buf_.size() < end_ + options_.read_size) buf_.resize(end_ + options_.read_size);
  auto n = source_.read(buf_.data() + end_, options_.read_size);
  if (!n.ok()) return n.error();
  if (*n == 0) eof_ = true;
  end_ += *n;
  return model::Ok();
}

}  // namespace folio::ingest
