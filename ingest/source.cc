// source.cc: format detection and the dispatch from a path to the mbox, maildir and single-file readers.
#include "ingest/source.h"

#include <array>
#include <exception>
#include <optional>
#include <system_error>
#include <utility>

#include "ingest/byte_source.h"
#include "ingest/maildir_reader.h"
#include "ingest/mbox_reader.h"

namespace folio::ingest {

namespace fs = std::filesystem;
using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

// Memory guard for one message. The MIME parser refuses much smaller ones
// (model::ParseLimits); this only stops a broken input from eating memory.
constexpr std::size_t kMaxMessageBytes = std::size_t{1} << 30;

// Format detection looks at this many messages of an mbox...
constexpr int kSampleMessages = 16;
// ...each at most this large (a larger one ends the sample).
constexpr std::size_t kSampleMessageBytes = 4u << 20;

// The only header fields Mailman 2 keeps in its pipermail .txt archives.
constexpr std::array<std::string_view, 6> kPipermailFields = {
    "From", "Date", "Subject", "In-Reply-To", "References", "Message-ID"};

struct FormatName {
  Format format;
  std::string_view name;
};
constexpr std::array<FormatName, 5> kFormatNames = {{{Format::kAuto, "auto"},
                                                     {Format::kMbox, "mbox"},
                                                     {Format::kPipermail, "pipermail"},
                                                     {Format::kMaildir, "maildir"},
                                                     {Format::kEml, "eml"}}};

bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

Status not_found(const fs::path& path) {
  return Err(Code::kNotFound, path.string() + ": no such file or directory");
}

// "user at host": Mailman 2's address obfuscation, with no '@' anywhere.
bool has_at_form_address(std::string_view s) {
  if (s.find('@') != std::string_view::npos) return false;
  for (std::size_t i = s.find(" at "); i != std::string_view::npos; i = s.find(" at ", i + 1)) {
    const bool word_before = i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t';
    const bool word_after = i + 4 < s.size() && s[i + 4] != ' ' && s[i + 4] != '\t';
    if (word_before && word_after) return true;
  }
  return false;
}

// What the header block of one sampled message says about pipermail.
struct HeaderClues {
  bool at_form_from = false;     // a From: header in "user at host" form
  bool has_from = false;         // a From: header at all
  bool only_pipermail = true;    // no field outside kPipermailFields
};

bool is_pipermail_field(std::string_view name) {
  for (std::string_view f : kPipermailFields) {
    if (name == f) return true;
  }
  return false;
}

HeaderClues header_clues(std::string_view msg) {
  HeaderClues clues;
  while (!msg.empty()) {
    std::size_t nl = msg.find('\n');
    std::string_view line = msg.substr(0, nl);
    msg = nl == std::string_view::npos ? std::string_view() : msg.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;                              // end of the header block
    if (line[0] == ' ' || line[0] == '\t') continue;      // folded continuation
    std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || !is_pipermail_field(name)) clues.only_pipermail = false;
    if (name == "From") {
      clues.has_from = true;
      clues.at_form_from = clues.at_form_from || has_at_form_address(line.substr(colon + 1));
    }
  }
  return clues;
}

// Whether the file (after leading blank lines) starts with "From ".
Result<bool> starts_with_from_line(const fs::path& path) {
  auto source = ByteSource::open(path);
  if (!source.ok()) return source.error();
  std::string head(4096, '\0');
  auto n = (*source)->read(head.data(), head.size());
  if (!n.ok()) return n.error();
  head.resize(*n);
  std::size_t i = head.find_first_not_of("\r\n");
  return i != std::string::npos && head.compare(i, 5, "From ") == 0;
}

// An mbox is pipermail when a sampled From_ line or From: header is in
// "user at host" form, or when every sampled message carries only the fields
// pipermail keeps (old archives such as r-devel 1997-2003 have real
// addresses, but still only those fields).
Result<Format> sniff_mbox_flavour(const fs::path& path) {
  auto source = ByteSource::open(path);
  if (!source.ok()) return source.error();
  MboxOptions options;
  options.rule = FromLineRule::kDatedFromLine;
  options.max_message_bytes = kSampleMessageBytes;
  MboxReader reader(**source, options);
  int sampled = 0;
  bool only_pipermail = true;
  while (sampled < kSampleMessages) {
    auto msg = reader.next();
    if (!msg.ok() && msg.error().code == Code::kTooLarge) break;
    if (!msg.ok()) return msg.error();
    if (!*msg) break;
    HeaderClues clues = header_clues(**msg);
    if (clues.at_form_from || has_at_form_address(reader.from_line())) return Format::kPipermail;
    only_pipermail = only_pipermail && clues.only_pipermail && clues.has_from;
    ++sampled;
  }
  return sampled > 0 && only_pipermail ? Format::kPipermail : Format::kMbox;
}

Result<Format> detect_file_format(const fs::path& path) {
  auto is_mbox = starts_with_from_line(path);
  if (!is_mbox.ok()) return is_mbox.error();
  if (!*is_mbox) return Format::kEml;
  return sniff_mbox_flavour(path);
}

// State shared by the readers while one read_messages() call runs.
struct Reading {
  const MessageSink& sink;
  std::uint64_t done_before = 0;  // input bytes of the files already finished
  bool stopped = false;           // the sink asked to stop

  void hand_over(std::string bytes, std::string origin, Format format, std::uint64_t done) {
    RawMessage raw{std::move(bytes), std::move(origin), format, done_before + done};
    if (!sink(std::move(raw))) stopped = true;
  }
};

Status read_mbox_file(const fs::path& path, Format format, Reading& r) {
  auto source = ByteSource::open(path);
  if (!source.ok()) return source.error();
  MboxOptions options;
  options.rule =
      format == Format::kPipermail ? FromLineRule::kDatedFromLine : FromLineRule::kAnyFromLine;
  options.max_message_bytes = kMaxMessageBytes;
  MboxReader reader(**source, options);
  const std::string prefix = path.string() + ":#";
  while (!r.stopped) {
    auto msg = reader.next();
    if (!msg.ok()) return msg.error();
    if (!*msg) break;
    r.hand_over(std::move(**msg), prefix + std::to_string(reader.message_number()), format,
                reader.consumed());
  }
  r.done_before += reader.consumed();
  return model::Ok();
}

// The whole file is one message; an empty file holds none.
Status read_single_file(const fs::path& path, Format format, Reading& r) {
  auto bytes = read_whole_file(path, kMaxMessageBytes);
  if (!bytes.ok()) return bytes.error();
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  if (!bytes->empty()) r.hand_over(std::move(*bytes), path.string(), format, ec ? 0 : size);
  r.done_before += ec ? 0 : size;
  return model::Ok();
}

Status read_message_files(const fs::path& dir, Format format, Reading& r) {
  const DirLayout layout = format == Format::kMaildir ? DirLayout::kMaildir : DirLayout::kEmlFiles;
  auto reader = MaildirReader::open(dir, layout, kMaxMessageBytes);
  if (!reader.ok()) return reader.error();
  while (!r.stopped) {
    auto msg = reader->next();
    if (!msg.ok()) return msg.error();
    if (!*msg) break;
    if ((*msg)->bytes.empty()) continue;  // an empty file holds no message
    r.hand_over(std::move((*msg)->bytes), (*msg)->path.string(), format, reader->consumed());
  }
  r.done_before += reader->consumed();
  return model::Ok();
}

// A directory given as mbox: every file below it (listed as for a maildir)
// is one mbox, read in path order.
Status read_mbox_directory(const fs::path& dir, Format format, Reading& r) {
  auto files = list_message_files(dir, DirLayout::kMaildir);
  if (!files.ok()) return files.error();
  for (const MessageFile& f : *files) {
    if (r.stopped) break;
    FOLIO_TRY(read_mbox_file(f.path, format, r));
  }
  return model::Ok();
}

Status read_path(const fs::path& path, Format format, Reading& r) {
  const bool mbox = format == Format::kMbox || format == Format::kPipermail;
  if (is_dir(path)) {
    return mbox ? read_mbox_directory(path, format, r) : read_message_files(path, format, r);
  }
  return mbox ? read_mbox_file(path, format, r) : read_single_file(path, format, r);
}

}  // namespace

std::string_view format_name(Format f) {
  for (const FormatName& n : kFormatNames) {
    if (n.format == f) return n.name;
  }
  return "auto";
}

Result<Format> parse_format(std::string_view name) {
  for (const FormatName& n : kFormatNames) {
    if (n.name == name) return n.format;
  }
  return Err(Code::kInvalidArgument,
             "unknown format '" + std::string(name) +
                 "' (expected one of: auto, mbox, pipermail, maildir, eml)");
}

Result<Format> detect_format(const fs::path& path) {
  if (!path_exists(path)) return not_found(path).error();
  if (is_dir(path)) return contains_maildir(path) ? Format::kMaildir : Format::kEml;
  try {
    return detect_file_format(path);
  } catch (const std::exception& e) {
    return Err(Code::kInternal, path.string() + ": " + e.what());
  }
}

std::uint64_t input_size(const fs::path& path) {
  std::error_code ec;
  if (!is_dir(path)) {
    const std::uint64_t size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }
  const DirLayout layout = contains_maildir(path) ? DirLayout::kMaildir : DirLayout::kEmlFiles;
  auto files = list_message_files(path, layout);
  std::uint64_t total = 0;
  if (files.ok()) {
    for (const MessageFile& f : *files) total += f.size;
  }
  return total;
}

Status read_messages(const fs::path& path, Format format, const MessageSink& sink) {
  if (!path_exists(path)) return not_found(path);
  try {
    if (format == Format::kAuto) {
      auto detected = detect_format(path);
      if (!detected.ok()) return detected.error();
      format = *detected;
    }
    Reading r{sink};
    return read_path(path, format, r);
  } catch (const std::exception& e) {
    // Nothing here throws by design; this keeps a bad_alloc (or an exception
    // from the sink) from crossing the module edge.
    return Err(Code::kInternal, path.string() + ": " + e.what());
  }
}

}  // namespace folio::ingest
