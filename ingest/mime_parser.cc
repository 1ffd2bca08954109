// mime_parser.cc: raw message -> ParsedMessage: a bounded MIME walk over views of the raw bytes.
//
// Why not mimetic::MimeEntity for the structure: measured on the shared
// corpus, mimetic (0.9.8) splits parts at a boundary string found in the
// middle of a line, drops the parts of a multipart inside message/rfc822
// (cpython msg_42), turns repeated delimiter lines into bogus parts
// (msg_37), recurses once per nesting level without a bound (a 200,000-deep
// multipart overflows the stack) and copies every body. The walk below
// follows RFC 2046 (delimiters only at the start of a line, the line break
// before a delimiter belongs to it), works on string_views into the raw
// message, and enforces every ParseLimits bound as it goes; mimetic is not
// needed. Nothing throws across the module edge: parse_message turns any
// exception (in practice only std::bad_alloc) into Code::kInternal.
#include "ingest/mime_parser.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>
#include <vector>

#include "ingest/charset.h"
#include "ingest/header_decode.h"
#include "ingest/html_text.h"

namespace folio::ingest {
namespace {

using model::Attachment;
using model::ParsedMessage;

// Bounds the recursion of the walk whatever max_mime_depth is configured.
constexpr std::size_t kHardDepthCap = 1000;
constexpr std::size_t kMaxProblems = 50;

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// ---- header blocks ---------------------------------------------------------------

struct Field {
  std::string_view name;
  std::string_view value;  // raw, may span folded lines
};

// One MIME entity: header fields and body, as views into the message.
struct Entity {
  std::vector<Field> fields;
  std::string_view body;
  bool missing_blank_line = false;  // a non-header line ended the header block
  bool too_many_fields = false;     // fields past max_headers were ignored
};

// The line at pos without its line break; pos moves past the break.
std::string_view next_line(std::string_view s, std::size_t& pos) {
  std::size_t nl = s.find('\n', pos);
  std::size_t end = nl == std::string_view::npos ? s.size() : nl;
  std::string_view line = s.substr(pos, end - pos);
  pos = nl == std::string_view::npos ? s.size() : nl + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Length of the field name when `line` starts a header field, else 0.
std::size_t field_name_length(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':') ++i;
  std::size_t name_end = i;
  while (i < line.size() && is_wsp(line[i])) ++i;  // "Subject : x"
  return (name_end > 0 && i < line.size() && line[i] == ':') ? name_end : 0;
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), is_wsp);
}

// Whether a leading mbox "From " envelope line may be skipped (a whole
// message), or is body text (a part without headers).
enum class Envelope { kSkip, kKeep };

Entity split_entity(std::string_view raw, std::size_t max_fields, Envelope envelope) {
  Entity e;
  std::size_t pos = 0;
  if (envelope == Envelope::kSkip && raw.starts_with("From ")) next_line(raw, pos);
  while (pos < raw.size()) {
    std::size_t line_start = pos;
    std::string_view line = next_line(raw, pos);
    if (is_blank(line)) {
      e.body = raw.substr(pos);
      return e;
    }
    if (is_wsp(line[0])) {  // continuation of the previous field
      if (!e.fields.empty() && !e.too_many_fields) {
        Field& f = e.fields.back();
        f.value = std::string_view(f.value.data(), line.data() + line.size() - f.value.data());
      }
      continue;
    }
    std::size_t name_len = field_name_length(line);
    if (name_len == 0) {
      e.missing_blank_line = true;
      e.body = raw.substr(line_start);
      return e;
    }
    if (e.fields.size() >= max_fields) {
      e.too_many_fields = true;
      continue;
    }
    std::size_t colon = line.find(':', name_len);
    e.fields.push_back(Field{line.substr(0, name_len), line.substr(colon + 1)});
  }
  return e;
}

const Field* find_field(const Entity& e, std::string_view name) {
  for (const Field& f : e.fields) {
    if (iequals(f.name, name)) return &f;
  }
  return nullptr;
}

// ---- content description ----------------------------------------------------------

struct ContentInfo {
  std::string type;      // lower-case type/subtype
  MimeField ct;          // Content-Type parameters
  MimeField disposition; // Content-Disposition
  std::string encoding;  // lower-case Content-Transfer-Encoding
};

std::string normalise_type(std::string type, std::string_view default_type) {
  if (type == "text" || type == "plain/text" || type == "text/plain.") return "text/plain";
  if (type == "html/text") return "text/html";
  std::size_t slash = type.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == type.size()) {
    return std::string(default_type);
  }
  return type;
}

ContentInfo content_info(const Entity& e, std::string_view default_type) {
  ContentInfo ci;
  if (const Field* f = find_field(e, "Content-Type")) ci.ct = parse_mime_field(f->value);
  ci.type = normalise_type(ci.ct.value, default_type);
  if (const Field* f = find_field(e, "Content-Disposition")) {
    ci.disposition = parse_mime_field(f->value);
  }
  if (const Field* f = find_field(e, "Content-Transfer-Encoding")) {
    ci.encoding = parse_mime_field(f->value).value;
  }
  return ci;
}

std::string param_value(const MimeField& f, std::string_view name) {
  const MimeParam* p = f.param(name);
  return p == nullptr ? std::string() : p->value;
}

std::string attachment_name(const ContentInfo& ci) {
  std::string name = param_value(ci.disposition, "filename");
  if (name.empty()) name = param_value(ci.ct, "name");
  return decode_words(name);
}

enum class TextKind { kNone, kPlain, kHtml, kEnriched, kOther };

TextKind text_kind(std::string_view type) {
  if (type == "text/plain") return TextKind::kPlain;
  if (type == "text/html" || type == "application/xhtml+xml") return TextKind::kHtml;
  if (type == "text/enriched" || type == "text/richtext") return TextKind::kEnriched;
  if (type.starts_with("text/")) return TextKind::kOther;
  static constexpr std::string_view kTextual[] = {
      "message/delivery-status", "message/disposition-notification", "message/feedback-report",
      "application/x-patch", "application/x-diff", "application/x-shellscript",
      "application/x-sh", "application/json", "application/xml"};
  for (std::string_view t : kTextual) {
    if (type == t) return TextKind::kOther;
  }
  return TextKind::kNone;
}

// ---- body decoding -------------------------------------------------------------------

// Decoded size of one uuencoded line, or -1 when it is not one. Lines may
// be short (trailing spaces stripped in transit) or carry a check character.
int uu_line_size(std::string_view line) {
  if (line.empty()) return -1;
  int n = (line[0] - 32) & 63;
  std::size_t expected = (static_cast<std::size_t>(n) + 2) / 3 * 4;
  if (line.size() - 1 > expected + 2) return -1;
  for (char c : line) {
    if (c < 32 || c > 96) return -1;
  }
  return n;
}

std::string uudecode(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view line = next_line(text, pos);
    int n = uu_line_size(line);
    if (n <= 0 || line.starts_with("begin ")) continue;
    for (std::size_t i = 1; n > 0; i += 4) {
      auto v = [&](std::size_t k) { return k < line.size() ? (line[k] - 32) & 63 : 0; };
      char bytes[3] = {static_cast<char>(v(i) << 2 | v(i + 1) >> 4),
                       static_cast<char>(v(i + 1) << 4 | v(i + 2) >> 2),
                       static_cast<char>(v(i + 2) << 6 | v(i + 3))};
      out.append(bytes, static_cast<std::size_t>(std::min(n, 3)));
      n -= 3;
    }
  }
  return out;
}

bool is_identity_encoding(std::string_view cte) {
  return cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary";
}

bool is_uuencoding(std::string_view cte) {
  return cte == "x-uuencode" || cte == "x-uue" || cte == "uuencode";
}

// Decodes a body; `unknown` is set for an encoding we do not know (the body
// is then taken as it is).
std::string decode_transfer(std::string_view body, std::string_view cte, bool& unknown) {
  unknown = false;
  if (cte == "base64") return decode_base64(body);
  if (cte == "quoted-printable") return decode_quoted_printable(body, QpFlavor::kBody);
  if (is_uuencoding(cte)) return uudecode(body);
  unknown = !is_identity_encoding(cte);
  return std::string(body);
}

std::string guess_type(std::string_view filename) {
  std::size_t dot = filename.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : lower(filename.substr(dot + 1));
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"},
      {"png", "image/png"}, {"pdf", "application/pdf"}, {"zip", "application/zip"},
      {"gz", "application/gzip"}, {"tar", "application/x-tar"}, {"txt", "text/plain"}};
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return std::string(t);
  }
  return "application/octet-stream";
}

struct UuFile {
  std::string name;
  std::uint64_t size = 0;
};

// "begin 644 name": the file name, or "" when the line is not a header.
std::string_view uu_begin_name(std::string_view line) {
  if (!line.starts_with("begin ")) return {};
  std::size_t i = 6;
  std::size_t digits = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '7') ++i, ++digits;
  if (digits < 3 || digits > 4 || i >= line.size() || line[i] != ' ') return {};
  std::string_view name = line.substr(i + 1);
  while (!name.empty() && (is_wsp(name.back()) || name.back() == '\r')) name.remove_suffix(1);
  return name;
}

// Removes uuencoded blocks ("begin 644 name" ... "end") from text.
std::vector<UuFile> extract_uuencoded(std::string& text) {
  std::vector<UuFile> files;
  if (text.find("begin ") == std::string::npos) return files;
  std::string kept;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t line_start = pos;
    std::string_view name = uu_begin_name(next_line(text, pos));
    UuFile file{std::string(name)};
    std::size_t scan = pos;
    std::size_t block_end = 0;
    int data_lines = 0;
    while (!name.empty() && scan < text.size()) {
      std::size_t after = scan;
      std::string_view line = next_line(text, after);
      int n = uu_line_size(line);
      if (line == "end") block_end = after;
      if (n < 0) break;
      file.size += static_cast<std::uint64_t>(n);
      ++data_lines;
      scan = block_end = after;
    }
    if (name.empty() || data_lines == 0) {
      kept.append(text, line_start, pos - line_start);
      continue;
    }
    files.push_back(std::move(file));
    pos = block_end;
  }
  text = std::move(kept);
  return files;
}

// CRLF -> LF, NULs removed, trailing white space and leading blank lines trimmed.
std::string tidy_text(std::string_view in, bool& had_nul) {
  std::string out;
  bool clean = in.find('\r') == std::string_view::npos && in.find('\0') == std::string_view::npos;
  if (clean) out.assign(in);  // the common case: copy at memcpy speed
  if (!clean) out.reserve(in.size());
  for (std::size_t i = 0; !clean && i < in.size(); ++i) {
    char c = in[i];
    if (c == '\0') {
      had_nul = true;
    } else if (c == '\r') {
      if (i + 1 >= in.size() || in[i + 1] != '\n') out += '\n';
    } else {
      out += c;
    }
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back())) != 0) out.pop_back();
  std::size_t start = 0;
  for (std::size_t i = 0; i < out.size() && (out[i] == ' ' || out[i] == '\t' || out[i] == '\n'); ++i) {
    if (out[i] == '\n') start = i + 1;
  }
  out.erase(0, start);
  return out;
}

// The charset an HTML part declares in a <meta> tag, or "".
std::string sniff_html_charset(std::string_view html) {
  std::string head = lower(html.substr(0, 2048));
  std::size_t at = head.find("charset=");
  if (at == std::string::npos) return {};
  std::size_t start = at + 8;
  while (start < head.size() && (head[start] == '"' || head[start] == '\'')) ++start;
  std::size_t end = start;
  while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) != 0 ||
                               head[end] == '-' || head[end] == '_' || head[end] == '.')) {
    ++end;
  }
  return head.substr(start, end - start);
}

// Strips text/enriched markup: "<<" is a literal '<', <param> content goes.
std::string enriched_to_text(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '<') {
      out += in[i];
    } else if (i + 1 < in.size() && in[i + 1] == '<') {
      out += '<';
      ++i;
    } else {
      std::size_t close = in.find('>', i);
      if (close == std::string_view::npos) break;
      if (iequals(in.substr(i, close - i + 1), "<param>")) {
        std::size_t end = in.find("</", close);
        close = end == std::string_view::npos ? in.size() - 1 : in.find('>', end);
        if (close == std::string_view::npos) close = in.size() - 1;
      }
      i = close;
    }
  }
  return out;
}

// ---- multipart splitting ------------------------------------------------------------------

struct Split {
  std::string_view preamble;
  std::vector<std::string_view> parts;
  bool found_delimiter = false;
  bool closed = false;
};

enum class Delimiter { kNone, kOpen, kClose };

Delimiter classify_line(std::string_view line, std::string_view boundary) {
  if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-' ||
      line.compare(2, boundary.size(), boundary) != 0) {
    return Delimiter::kNone;
  }
  std::string_view rest = line.substr(boundary.size() + 2);
  if (rest.starts_with("--")) return Delimiter::kClose;
  return is_blank(rest) ? Delimiter::kOpen : Delimiter::kNone;
}

// Content before the line break that precedes a delimiter line at `at`.
std::size_t content_end(std::string_view body, std::size_t at) {
  if (at > 0 && body[at - 1] == '\n') --at;
  if (at > 0 && body[at - 1] == '\r') --at;
  return at;
}

// Splits a multipart body at its delimiter lines. Empty parts (two
// delimiters in a row) are skipped; at most max_parts + 1 are kept.
Split split_multipart(std::string_view body, std::string_view boundary, std::size_t max_parts) {
  Split split;
  std::size_t pos = 0;
  std::size_t part_start = std::string_view::npos;
  auto close_part = [&](std::size_t end) {
    if (part_start == std::string_view::npos) {
      split.preamble = body.substr(0, end);
    } else if (end > part_start && split.parts.size() <= max_parts) {
      split.parts.push_back(body.substr(part_start, end - part_start));
    }  // else: an empty part (two delimiters in a row) or one over the limit
  };
  while (pos < body.size()) {
    std::size_t line_start = pos;
    std::string_view line = next_line(body, pos);
    Delimiter d = classify_line(line, boundary);
    if (d == Delimiter::kNone) continue;
    split.found_delimiter = true;
    std::size_t end = content_end(body, line_start);
    close_part(part_start == std::string_view::npos ? end : std::max(end, part_start));
    if (d == Delimiter::kClose) {
      split.closed = true;
      return split;
    }
    part_start = pos;
  }
  if (part_start != std::string_view::npos) close_part(body.size());
  return split;
}

// ---- the walk ------------------------------------------------------------------------------

class Walker {
 public:
  Walker(const ParseOptions& options, ParsedMessage& out) : opt_(options), out_(out) {}

  void walk(const Entity& root) { visit(root, 0, "text/plain"); }
  std::string assemble();
  void problem(std::string line);

 private:
  void visit(const Entity& e, std::size_t depth, std::string_view default_type);
  void visit_multipart(const Entity& e, const ContentInfo& ci, std::size_t depth);
  void visit_alternative(const std::vector<Entity>& children, std::size_t depth);
  void visit_message(const Entity& e, const ContentInfo& ci, std::size_t depth);
  void visit_leaf(const Entity& e, const ContentInfo& ci);
  void salvage(ContentInfo ci, std::string_view body);
  std::string leaf_text(std::string data, const ContentInfo& ci, TextKind kind);
  void add_text(std::string text, bool body_candidate);
  bool enter(std::size_t depth);
  void truncate(const std::string& why);

  const ParseOptions& opt_;
  ParsedMessage& out_;
  std::size_t parts_ = 0;
  std::string primary_;
  bool have_primary_ = false;
  std::vector<std::string> others_;
  std::size_t text_bytes_ = 0;
};

void Walker::problem(std::string line) {
  if (out_.problems.size() >= kMaxProblems) return;
  if (std::find(out_.problems.begin(), out_.problems.end(), line) == out_.problems.end()) {
    out_.problems.push_back(std::move(line));
  }
}

void Walker::truncate(const std::string& why) {
  out_.truncated = true;
  problem(why);
}

// Counts a part and checks the depth; false when a limit stops the walk here.
bool Walker::enter(std::size_t depth) {
  if (depth > opt_.limits.max_mime_depth || depth > kHardDepthCap) {
    truncate("MIME nesting deeper than " + std::to_string(opt_.limits.max_mime_depth));
    return false;
  }
  if (++parts_ > opt_.limits.max_parts) {
    truncate("more than " + std::to_string(opt_.limits.max_parts) + " MIME parts");
    return false;
  }
  return true;
}

void Walker::visit(const Entity& e, std::size_t depth, std::string_view default_type) {
  if (!enter(depth)) return;
  if (e.too_many_fields) {
    truncate("more than " + std::to_string(opt_.limits.max_headers) + " header fields");
  }
  if (depth > 0 && e.missing_blank_line && !e.fields.empty()) {
    problem("no blank line after part headers");
  }
  ContentInfo ci = content_info(e, default_type);
  if (ci.type.starts_with("multipart/")) return visit_multipart(e, ci, depth);
  if (ci.type == "message/rfc822" || ci.type == "message/global" || ci.type == "message/news") {
    return visit_message(e, ci, depth);
  }
  visit_leaf(e, ci);
}

// Reads the body of a broken multipart as plain text, so its words are
// still searchable.
void Walker::salvage(ContentInfo ci, std::string_view body) {
  ci.type = "text/plain";
  visit_leaf(Entity{{}, body, false, false}, ci);
}

void Walker::visit_multipart(const Entity& e, const ContentInfo& ci, std::size_t depth) {
  const MimeParam* boundary = ci.ct.param("boundary");
  if (boundary == nullptr || boundary->value.empty()) {
    problem(boundary == nullptr ? "multipart without boundary" : "multipart with an empty boundary");
    return salvage(ci, e.body);
  }
  Split split = split_multipart(e.body, boundary->value, opt_.limits.max_parts);
  if (!split.found_delimiter) {
    problem("multipart boundary not found");
    return salvage(ci, e.body);
  }
  if (!split.closed) problem("unterminated multipart");
  if (split.parts.empty()) {
    problem("multipart without parts");
    if (!is_blank(split.preamble)) salvage(ci, split.preamble);
    return;
  }
  std::vector<Entity> children;
  children.reserve(split.parts.size());
  for (std::string_view part : split.parts) {
    children.push_back(split_entity(part, opt_.limits.max_headers, Envelope::kKeep));
  }
  if (ci.type == "multipart/alternative") return visit_alternative(children, depth + 1);
  std::string_view child_default = ci.type == "multipart/digest" ? "message/rfc822" : "text/plain";
  for (const Entity& child : children) visit(child, depth + 1, child_default);
}

// Plain text wins unless it is empty (some mailers send an empty plain
// alternative beside the real HTML).
int alternative_score(const Entity& child) {
  ContentInfo ci = content_info(child, "text/plain");
  bool empty = child.body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (ci.type == "text/plain") return empty ? 1 : 4;
  if (ci.type.starts_with("multipart/")) return 3;
  if (ci.type == "text/html") return 2;
  if (ci.type == "text/enriched" || ci.type == "text/richtext") return 1;
  return 0;
}

// Visits the best alternative (plain text, else a multipart, else HTML);
// other alternatives are skipped unless they are another kind of text
// (text/calendar), which is indexed as an attachment.
void Walker::visit_alternative(const std::vector<Entity>& children, std::size_t depth) {
  std::size_t best = 0;
  int best_score = -1;
  for (std::size_t i = 0; i < children.size(); ++i) {
    int score = alternative_score(children[i]);
    if (score > best_score) {
      best = i;
      best_score = score;
    }
  }
  for (std::size_t i = 0; i < children.size(); ++i) {
    bool other_text = text_kind(content_info(children[i], "text/plain").type) == TextKind::kOther;
    if (i == best || other_text) visit(children[i], depth, "text/plain");
  }
}

void Walker::visit_message(const Entity& e, const ContentInfo& ci, std::size_t depth) {
  // Identity-encoded (the rule for message/rfc822) bodies are not copied, so
  // nested messages cost no memory per level.
  std::string decoded;
  std::string_view bytes = e.body;
  if (!is_identity_encoding(ci.encoding)) {
    bool unknown = false;
    decoded = decode_transfer(e.body, ci.encoding, unknown);
    bytes = decoded;
  }
  Entity inner = split_entity(bytes, opt_.limits.max_headers, Envelope::kSkip);
  if (inner.fields.empty() && is_blank(inner.body)) {
    problem("empty message/rfc822 part");
    return;
  }
  std::string header_text;
  if (const Field* f = find_field(inner, "From")) header_text += "From: " + decode_words(f->value) + "\n";
  if (const Field* f = find_field(inner, "Subject")) header_text += "Subject: " + decode_words(f->value) + "\n";
  if (!header_text.empty()) add_text(std::move(header_text), false);
  visit(inner, depth + 1, "text/plain");
}

std::string Walker::leaf_text(std::string data, const ContentInfo& ci, TextKind kind) {
  std::string charset = param_value(ci.ct, "charset");
  if (charset.empty() && kind == TextKind::kHtml) charset = sniff_html_charset(data);
  Utf8Text utf8 = decode_charset(data, charset);
  if (utf8.unknown_charset) problem("unknown charset \"" + to_utf8(charset, "") + "\"");
  if (kind == TextKind::kHtml) return html_to_text(utf8.text);
  if (kind == TextKind::kEnriched) return enriched_to_text(utf8.text);
  return std::move(utf8.text);
}

void Walker::visit_leaf(const Entity& e, const ContentInfo& ci) {
  bool unknown_cte = false;
  std::string data = decode_transfer(e.body, ci.encoding, unknown_cte);
  if (unknown_cte) problem("unknown transfer encoding \"" + to_utf8(ci.encoding, "") + "\"");
  std::string filename = attachment_name(ci);
  TextKind kind = text_kind(ci.type);
  Attachment att{filename, ci.type, data.size(), kind != TextKind::kNone};
  if (kind == TextKind::kNone) {
    out_.attachments.push_back(std::move(att));
    return;
  }
  bool inline_body = kind != TextKind::kOther && filename.empty() &&
                     ci.disposition.value != "attachment";
  if (text_bytes_ > opt_.limits.max_text_bytes) {
    truncate("text longer than " + std::to_string(opt_.limits.max_text_bytes) + " bytes");
    if (!inline_body) out_.attachments.push_back(Attachment{filename, ci.type, data.size(), false});
    return;
  }
  if (kind == TextKind::kPlain) {
    for (UuFile& f : extract_uuencoded(data)) {
      std::string type = guess_type(f.name);
      out_.attachments.push_back(Attachment{to_utf8(f.name, ""), type, f.size, false});
    }
  }
  if (!inline_body) out_.attachments.push_back(std::move(att));
  add_text(leaf_text(std::move(data), ci, kind), inline_body);
}

void Walker::add_text(std::string text, bool body_candidate) {
  bool had_nul = false;
  std::string tidy = tidy_text(text, had_nul);
  if (had_nul) problem("NUL bytes in text");
  text_bytes_ += tidy.size() + 2;
  if (body_candidate && !have_primary_) {
    primary_ = std::move(tidy);
    have_primary_ = true;
  } else if (!tidy.empty()) {
    others_.push_back(std::move(tidy));
  }
}

std::string Walker::assemble() {
  std::string body = std::move(primary_);
  for (std::string& piece : others_) {
    if (!body.empty()) body += "\n\n";
    body += piece;
  }
  if (body.size() > opt_.limits.max_text_bytes) {
    body.resize(utf8_cut(body, opt_.limits.max_text_bytes));
    truncate("text longer than " + std::to_string(opt_.limits.max_text_bytes) + " bytes");
  }
  return body;
}

// ---- top-level header fields -----------------------------------------------------------------

std::vector<std::string> cap_references(std::vector<std::string> ids, std::size_t max) {
  if (ids.size() <= max) return ids;
  std::vector<std::string> kept;
  if (max == 0) return kept;
  kept.push_back(std::move(ids.front()));
  for (std::size_t i = ids.size() - (max - 1); i < ids.size(); ++i) kept.push_back(std::move(ids[i]));
  return kept;
}

std::string list_id(std::string_view value) {
  std::string text = unfold(value);
  std::size_t open = text.rfind('<');
  std::size_t close = open == std::string::npos ? open : text.find('>', open);
  std::string id = open != std::string::npos && close != std::string::npos
                       ? text.substr(open + 1, close - open - 1)
                       : text;
  std::string out;
  for (char c : id) {
    if (c != ' ' && c != '\t') out += c;
  }
  return to_utf8(lower(out), "");
}

void decode_envelope(const Entity& root, const ParseOptions& options, ParsedMessage& m,
                     Walker& walker) {
  AddressOptions addr_options{options.pipermail_addresses};
  bool have_subject = false, have_from = false, have_irt = false, have_list = false;
  bool date_seen = false;
  std::vector<std::string> refs;
  for (const Field& f : root.fields) {
    std::string_view n = f.name;
    if (!have_subject && iequals(n, "Subject")) {
      m.subject = decode_words(f.value);
      have_subject = true;
    } else if (!have_from && iequals(n, "From")) {
      auto list = parse_address_list(f.value, addr_options);
      if (!list.empty()) m.from = std::move(list.front());
      have_from = true;
    } else if (iequals(n, "To") || iequals(n, "Cc")) {
      auto list = parse_address_list(f.value, addr_options);
      auto& dest = iequals(n, "To") ? m.to : m.cc;
      dest.insert(dest.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
    } else if (m.message_id.empty() && iequals(n, "Message-ID")) {
      m.message_id = parse_message_id(f.value);
    } else if (!have_irt && iequals(n, "In-Reply-To")) {
      m.in_reply_to = parse_message_id(f.value);
      have_irt = !m.in_reply_to.empty();
    } else if (iequals(n, "References")) {
      auto ids = parse_message_ids(f.value);
      refs.insert(refs.end(), std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
    } else if (!have_list && iequals(n, "List-Id")) {
      m.list_id = list_id(f.value);
      have_list = true;
    } else if (!m.date_present && iequals(n, "Date")) {
      date_seen = true;
      if (auto t = parse_date(f.value)) {
        m.date = *t;
        m.date_present = true;
      }
    }
  }
  if (date_seen && !m.date_present) walker.problem("unparseable Date");
  m.references = cap_references(std::move(refs), options.limits.max_references);
}

}  // namespace

model::Result<model::ParsedMessage> parse_message(std::string_view raw,
                                                  const ParseOptions& options) {
  if (raw.size() > options.limits.max_message_bytes) {
    return model::Err(model::Code::kTooLarge,
                      "message of " + std::to_string(raw.size()) + " bytes is over the limit of " +
                          std::to_string(options.limits.max_message_bytes));
  }
  try {
    ParsedMessage m;
    Walker walker(options, m);
    Entity root = split_entity(raw, options.limits.max_headers, Envelope::kSkip);
    if (root.fields.empty()) {
      walker.problem("no header fields");
    } else if (root.missing_blank_line) {
      walker.problem("no blank line after headers");
    }
    decode_envelope(root, options, m, walker);
    walker.walk(root);
    m.body = walker.assemble();
    return m;
  } catch (const std::exception& e) {  // allocation failure, or a bug: never past this edge
    return model::Err(model::Code::kInternal, std::string("parse_message: ") + e.what());
  }
}

}  // namespace folio::ingest
