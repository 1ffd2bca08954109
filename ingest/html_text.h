// html_text.h: an HTML part -> plain text for indexing (gumbo).
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

// Returns the readable text of an HTML document or fragment.
//
//   * The content of script, style, head (title included), template,
//     noscript, iframe, object and svg elements is dropped, and so are
//     comments.
//   * Attribute values are never text: image alt/title text, link targets
//     and data: URIs (embedded images) do not appear. A data: URI written
//     as text is dropped too.
//   * Block elements (p, div, li, tr, headings, blockquote, ...) and br end
//     the line; paragraphs, headings, lists, tables and blockquotes are
//     separated by a blank line. Table cells are separated by a space.
//   * White space is collapsed outside pre/textarea; character references
//     (&amp; &eacute; &#8364; ...) are decoded.
//   * The result has no trailing spaces on lines, no more than one blank
//     line in a row, and no leading or trailing blank lines.
//
// `html` must be UTF-8 (convert it from its charset first); invalid bytes
// become U+FFFD and the result is always valid UTF-8. Markup that would
// make the HTML5 tree builder blow up (nesting deeper than a fixed bound, or
// many formatting elements left open and re-created at every later block)
// is read by a simple tag stripper instead, so time and memory stay linear
// in the input. Thread-safe.
std::string html_to_text(std::string_view html);

}  // namespace folio::ingest
