// export_format.cc: mboxrd escaping and the Atom document.
#include "api/http/export_format.h"

#include "api/http/request_target.h"
#include "api/json.h"

namespace folio::api::http {

namespace {

// Whether `line` is ">*From " (the lines mboxrd quotes one level deeper).
bool from_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return line.substr(i, 5) == "From ";
}

std::string entity(std::string_view html, std::size_t& i) {
  static const std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
  for (const auto& [from, to] : kEntities) {
    if (html.substr(i, from.size()) == from) {
      i += from.size();
      return std::string(to);
    }
  }
  ++i;
  return "&";
}

}  // namespace

void append_mboxrd(std::string& out, std::string_view raw) {
  out += "From mboxrd@z Thu Jan  1 00:00:00 1970\n";
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? raw.size() : nl;
    std::string_view line = raw.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (from_line(line)) out += '>';
    out += line;
    out += '\n';
    pos = end + 1;
  }
  out += '\n';
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string snippet_text(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      std::size_t close = html.find('>', i);
      i = close == std::string_view::npos ? html.size() : close + 1;
    } else if (html[i] == '&') {
      out += entity(html, i);
    } else {
      out += html[i++];
    }
  }
  return out;
}

std::string atom_feed(const std::string& title, const std::string& feed_id,
                      const std::vector<query::Hit>& hits) {
  std::int64_t updated = 0;
  for (const auto& h : hits) updated = std::max(updated, h.date);
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  out += "<title>" + xml_escape(title) + "</title>\n<id>" + xml_escape(feed_id) + "</id>\n";
  out += "<updated>" + (updated ? iso_date(updated) : std::string("1970-01-01T00:00:00Z")) + "</updated>\n";
  for (const auto& h : hits) {
    std::string enc = encode_segment(h.message_id);
    out += "<entry>\n<id>mid:" + xml_escape(enc) + "</id>\n";
    out += "<title>" + xml_escape(h.subject) + "</title>\n";
    out += "<link href=\"/api/v1/messages/" + xml_escape(enc) + "\"/>\n";
    out += "<author><name>" + xml_escape(h.from.name.empty() ? h.from.addr : h.from.name) + "</name></author>\n";
    std::string date = h.date ? iso_date(h.date) : std::string("1970-01-01T00:00:00Z");
    out += "<updated>" + date + "</updated>\n";
    out += "<summary>" + xml_escape(snippet_text(h.snippet)) + "</summary>\n</entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace folio::api::http
