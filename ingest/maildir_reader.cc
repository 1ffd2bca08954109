// maildir_reader.cc: walking maildir and .eml trees in a stable order and reading each file.
#include "ingest/maildir_reader.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <system_error>
#include <utility>

#include "ingest/byte_source.h"

namespace folio::ingest {

namespace fs = std::filesystem;
using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// A maildir folder: the directory has cur/ or new/.
bool is_maildir_folder(const fs::path& dir) { return is_dir(dir / "cur") || is_dir(dir / "new"); }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  return std::equal(s.begin(), s.end(), suffix.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

// IMAP servers' per-folder bookkeeping, never a message.
bool is_bookkeeping_file(std::string_view name) {
  return name == "maildirfolder" || name == "subscriptions" || starts_with(name, "dovecot") ||
         starts_with(name, "courierimap");
}

bool is_eml_name(std::string_view name) {
  for (std::string_view z : {".gz", ".xz"}) {
    if (ends_with_nocase(name, z)) name.remove_suffix(z.size());
  }
  return ends_with_nocase(name, ".eml");
}

bool wanted_file(std::string_view name, DirLayout layout) {
  if (starts_with(name, ".")) return false;
  if (layout == DirLayout::kEmlFiles) return is_eml_name(name);
  return !is_bookkeeping_file(name);
}

// Whether to descend into `sub`, a directory inside `parent`.
bool wanted_dir(const fs::path& parent, const fs::path& sub, DirLayout layout) {
  const std::string name = sub.filename().string();
  if (starts_with(name, ".")) return layout == DirLayout::kMaildir && is_maildir_folder(sub);
  if (layout == DirLayout::kMaildir && name == "tmp") return !is_maildir_folder(parent);
  return true;
}

Status list_error(const fs::path& dir, const std::error_code& ec) {
  return Err(Code::kIOError, dir.string() + ": cannot list directory: " + ec.message());
}

Status walk(const fs::path& dir, DirLayout layout, std::vector<MessageFile>& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return list_error(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code sec;
    if (entry.is_symlink(sec) ? false : entry.is_directory(sec)) {
      if (wanted_dir(dir, entry.path(), layout)) FOLIO_TRY(walk(entry.path(), layout, out));
    } else if (entry.is_regular_file(sec) && wanted_file(entry.path().filename().string(), layout)) {
      std::uint64_t size = entry.file_size(sec);
      out.push_back({entry.path(), sec ? 0 : size});
    }
  }
  if (ec) return list_error(dir, ec);
  return model::Ok();
}

}  // namespace

bool contains_maildir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code dec;
    if ((name == "cur" || name == "new") && it->is_directory(dec)) return true;
  }
  return false;
}

Result<std::vector<MessageFile>> list_message_files(const fs::path& root, DirLayout layout) {
  std::error_code ec;
  fs::file_status st = fs::status(root, ec);
  if (!fs::exists(st)) return Err(Code::kNotFound, root.string() + ": no such file or directory");
  if (!fs::is_directory(st)) return Err(Code::kInvalidArgument, root.string() + ": not a directory");
  std::vector<MessageFile> files;
  FOLIO_TRY(walk(root, layout, files));
  std::sort(files.begin(), files.end(),
            [](const MessageFile& a, const MessageFile& b) { return a.path < b.path; });
  return files;
}

MaildirReader::MaildirReader(std::vector<MessageFile> files, std::size_t max_message_bytes)
    : files_(std::move(files)), max_message_bytes_(max_message_bytes) {
  for (const MessageFile& f : files_) total_size_ += f.size;
}

Result<MaildirReader> MaildirReader::open(const fs::path& root, DirLayout layout,
                                          std::size_t max_message_bytes) {
  auto files = list_message_files(root, layout);
  if (!files.ok()) return files.error();
  return MaildirReader(std::move(files).value(), max_message_bytes);
}

Result<std::optional<FileMessage>> MaildirReader::next() {
  while (next_ < files_.size()) {
    const MessageFile& file = files_[next_++];
    consumed_ += file.size;
    auto bytes = read_whole_file(file.path, max_message_bytes_);
    if (bytes.ok()) return std::optional<FileMessage>(FileMessage{std::move(*bytes), file.path});
    if (bytes.error().code != Code::kNotFound) return bytes.error();
  }
  return std::optional<FileMessage>();
}

}  // namespace folio::ingest
