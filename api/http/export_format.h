// export_format.h: mboxrd and Atom rendering, pure functions of already-checked data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/search_types.h"

namespace folio::api::http {

// Appends one message to an mboxrd stream: a "From " separator line, the
// message with CRLF turned into LF and every line matching ^>*From  given
// one more '>', and a blank line.
void append_mboxrd(std::string& out, std::string_view raw);

// Escapes & < > " ' for XML text and attributes.
std::string xml_escape(std::string_view s);

// Removes tags and decodes the entities of a snippet (safe HTML) to text.
std::string snippet_text(std::string_view html);

// An Atom feed: title `title`, id `feed_id`, one entry per hit (id mid:<id>,
// link to the message endpoint, author, updated, summary from the snippet).
std::string atom_feed(const std::string& title, const std::string& feed_id,
                      const std::vector<query::Hit>& hits);

}  // namespace folio::api::http
