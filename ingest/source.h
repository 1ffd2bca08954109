// source.h: turns paths (mbox, .gz/.xz mbox, maildir, single files) into raw messages.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "index/model/result.h"

namespace folio::ingest {

enum class Format { kAuto, kMbox, kPipermail, kMaildir, kEml };

// "mbox", "pipermail", "maildir", "eml", "auto".
std::string_view format_name(Format f);
// Parses a --format value; kInvalidArgument for anything else.
model::Result<Format> parse_format(std::string_view name);

// One message as read from a source, before any parsing.
struct RawMessage {
  std::string bytes;    // the message (mbox: From_ line removed, mboxrd >From unescaped)
  std::string origin;   // where it came from, for error messages: "path" or "path:#N"
  Format format = Format::kEml;  // the resolved format (kPipermail says: restore "at" addresses)
  std::uint64_t input_done = 0;  // bytes of the input files consumed so far (for progress)
};

// Receives each message; return false to stop reading early.
using MessageSink = std::function<bool(RawMessage&&)>;

// Guesses the format of `path`: a directory with cur/ or new/ (anywhere below)
// is maildir; a file starting with "From " is mbox, or pipermail when its
// From: headers write addresses as "user at host"; anything else is eml.
// Compressed files (.gz, .xz) are looked into.
model::Result<Format> detect_format(const std::filesystem::path& path);

// Sum of the sizes of the files that read_messages would read (for ETA).
std::uint64_t input_size(const std::filesystem::path& path);

// Reads every message under `path` in order and hands each to `sink`.
// kAuto detects. Errors: kNotFound for a missing path, kIOError for unreadable
// files or corrupt compressed data (messages already handed over stay handed).
model::Status read_messages(const std::filesystem::path& path, Format format,
                            const MessageSink& sink);

}  // namespace folio::ingest
