// message.h: the parsed message and its parts, as every module sees them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::model {

// A mailbox: display name (decoded UTF-8, may be empty) and addr-spec
// (as written, with a lower-cased domain; may be empty for broken headers).
struct Address {
  std::string name;
  std::string addr;

  bool operator==(const Address&) const = default;
};

// An attachment or other non-body part seen while parsing.
struct Attachment {
  std::string filename;      // decoded UTF-8; empty when the part names none
  std::string content_type;  // lower-case "type/subtype"
  std::uint64_t size = 0;    // decoded size in bytes
  bool indexed_as_text = false;  // its text went into ParsedMessage::body
};

// The outcome of parsing one message. Parsing never fails on malformed mail:
// what could be salvaged is filled in and `problems` says what was wrong.
struct ParsedMessage {
  std::string message_id;  // without <>, surrounding white space removed; empty if none
  std::string subject;     // decoded to UTF-8, unfolded
  Address from;
  std::vector<Address> to;
  std::vector<Address> cc;
  // Date header as seconds since the epoch (UTC). date_present is false when
  // there was no Date header or it could not be parsed.
  std::int64_t date = 0;
  bool date_present = false;
  std::string in_reply_to;               // first id of In-Reply-To, without <>
  std::vector<std::string> references;   // ids of References in order, without <>
  std::string list_id;                   // the id inside List-Id's <>, lower-cased
  // Extracted UTF-8 text: the preferred body (text/plain, else HTML as text),
  // followed by text attachments, parts separated by a blank line.
  std::string body;
  std::vector<Attachment> attachments;
  std::vector<std::string> problems;     // one line per defect found, e.g. "unterminated multipart"
  bool truncated = false;                // a parse limit cut the work short
};

}  // namespace folio::model
