// maildir_reader.h: one message per file, from a maildir tree or a directory of .eml files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "index/model/result.h"

namespace folio::ingest {

// How a directory holds its messages.
enum class DirLayout {
  // A maildir, maildir++ or notmuch-style tree: every regular file below the
  // root is a message, except files in the tmp/ of a maildir folder (a folder
  // with cur/ or new/; tmp/ holds deliveries in progress), dot files, and the
  // bookkeeping files of IMAP servers (maildirfolder, subscriptions,
  // dovecot*, courierimap*). Dot directories are entered only when they are
  // maildir++ folders (hold cur/ or new/), which skips .notmuch, .git and
  // the like. Files directly in a folder, outside cur/ and new/, are read
  // too, as notmuch does.
  kMaildir,
  // A plain directory tree: every file named *.eml (any case; also *.eml.gz
  // and *.eml.xz) below the root, dot files and dot directories excluded.
  kEmlFiles,
};

// A message file and its size on disk.
struct MessageFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
};

// True if `dir` or any directory below it has a subdirectory named cur or
// new, i.e. `dir` holds a maildir. False for a non-directory.
bool contains_maildir(const std::filesystem::path& dir);

// Lists the message files below `root` for `layout`, sorted by path
// (component by component), so that every run reads them in the same order.
// Symbolic links to files are followed; links to directories are not.
// Errors: kNotFound if `root` does not exist, kInvalidArgument if it is not a
// directory, kIOError if a directory below it cannot be listed.
model::Result<std::vector<MessageFile>> list_message_files(const std::filesystem::path& root,
                                                           DirLayout layout);

// One message read from its own file.
struct FileMessage {
  std::string bytes;              // the file's content, decompressed if .gz/.xz
  std::filesystem::path path;     // the file it came from
};

// Reads the files list_message_files() finds, one at a time, in its order.
// A file that disappears between listing and reading (a live maildir moves
// mail from new/ to cur/) is skipped. Not thread-safe.
class MaildirReader {
 public:
  // Lists `root` (errors as list_message_files). Files over
  // `max_message_bytes` make next() fail with kTooLarge.
  static model::Result<MaildirReader> open(const std::filesystem::path& root, DirLayout layout,
                                           std::size_t max_message_bytes);

  // The next message, or nullopt after the last. Errors: kIOError for a
  // file that cannot be read (or corrupt compression), kTooLarge. After an
  // error, next() goes on with the following file.
  model::Result<std::optional<FileMessage>> next();

  // Number of files listed.
  std::size_t file_count() const { return files_.size(); }
  // Sum of the on-disk sizes of the listed files.
  std::uint64_t total_size() const { return total_size_; }
  // Sum of the on-disk sizes of the files handed out or skipped so far.
  std::uint64_t consumed() const { return consumed_; }

 private:
  MaildirReader(std::vector<MessageFile> files, std::size_t max_message_bytes);

  std::vector<MessageFile> files_;
  std::size_t next_ = 0;
  std::size_t max_message_bytes_;
  std::uint64_t total_size_ = 0;
  std::uint64_t consumed_ = 0;
};

}  // namespace folio::ingest
