// json.h: query results as JSON; the one place the wire field names live.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "index/config.h"
#include "query/search_types.h"

namespace folio::api {

// {"total","exact","offset","limit","hits":[{"id","lists","subject","from":{"name","addr"},
//  "date","thread","snippet"}],"facets":facets_json or null,"suggestion":string or null}
boost::json::object search_page_json(const query::SearchPage& page);
// {"id","lists","subject","from","to","cc","date","thread","in_reply_to","references",
//  "attachments","text","variants"}
boost::json::object message_json(const query::MessageView& view);
// {"thread","truncated","messages":[{"id","depth","subject","from","date"}]}
boost::json::object thread_json(const query::ThreadView& view);

// {"lists":[{"list","count"}],"years":[{"year","count"}],"exact"}: facet counts in the
// given order; "exact" false means each count is a lower bound (query::Facets).
boost::json::object facets_json(const query::Facets& facets);
// {"name","title","messages"}: one list of GET /api/v1/lists.
boost::json::object list_json(const index::ListConfig& list, std::uint64_t messages);

// Seconds since the epoch as "2015-03-01T17:17:33Z"; "" for 0 (unknown).
std::string iso_date(std::int64_t epoch);

}  // namespace folio::api
