// json.cc: JSON rendering of search pages, messages and threads.
#include "api/json.h"

#include <ctime>

namespace folio::api {

namespace json = boost::json;

namespace {

json::object address_json(const model::Address& a) { return {{"name", a.name}, {"addr", a.addr}}; }

json::array addresses_json(const std::vector<model::Address>& v) {
  json::array out;
  for (const auto& a : v) out.push_back(address_json(a));
  return out;
}

json::array strings_json(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

json::object hit_json(const query::Hit& h) {
  return {{"id", h.message_id},        {"lists", strings_json(h.lists)},
          {"subject", h.subject},      {"from", address_json(h.from)},
          {"date", iso_date(h.date)},  {"thread", h.thread},
          {"snippet", h.snippet}};
}

}  // namespace

std::string iso_date(std::int64_t epoch) {
  if (epoch == 0) return "";
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json::object search_page_json(const query::SearchPage& page) {
  json::array hits;
  for (const auto& h : page.hits) hits.push_back(hit_json(h));
  json::object out{{"total", page.total}, {"exact", page.exact}, {"offset", page.offset},
                   {"limit", page.limit}, {"hits", hits}};
  if (page.facets) {
    out["facets"] = facets_json(*page.facets);
  } else {
    out["facets"] = nullptr;
  }
  if (page.suggestion) {
    out["suggestion"] = *page.suggestion;
  } else {
    out["suggestion"] = nullptr;
  }
  return out;
}

json::object message_json(const query::MessageView& v) {
  const auto& d = v.data;
  return {{"id", d.message_id},
          {"lists", strings_json(v.lists)},
          {"subject", d.subject},
          {"from", address_json(d.from)},
          {"to", addresses_json(d.to)},
          {"cc", addresses_json(d.cc)},
          {"date", iso_date(v.date)},
          {"thread", v.thread},
          {"in_reply_to", d.in_reply_to},
          {"references", strings_json(d.references)},
          {"attachments", strings_json(d.attachments)},
          {"text", d.body},
          {"variants", v.variants}};
}

json::object thread_json(const query::ThreadView& v) {
  json::array messages;
  for (const auto& n : v.nodes) {
    messages.push_back(json::object{{"id", n.message_id},
                                    {"depth", n.depth},
                                    {"subject", n.subject},
                                    {"from", address_json(n.from)},
                                    {"date", iso_date(n.date)}});
  }
  return {{"thread", v.thread}, {"truncated", v.truncated}, {"messages", messages}};
}

json::object facets_json(const query::Facets& f) {
  json::array l;
  for (const auto& [name, n] : f.lists) l.push_back(json::object{{"list", name}, {"count", n}});
  json::array y;
  for (const auto& [year, n] : f.years) y.push_back(json::object{{"year", year}, {"count", n}});
  return {{"lists", l}, {"years", y}, {"exact", f.exact}};
}

json::object list_json(const index::ListConfig& list, std::uint64_t messages) {
  return {{"name", list.name}, {"title", list.title}, {"messages", messages}};
}

}  // namespace folio::api
