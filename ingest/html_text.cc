// html_text.cc: HTML to indexable text: a gumbo tree walk, or a tag stripper for pathological markup.
#include "ingest/html_text.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "ingest/charset.h"

namespace folio::ingest {
namespace {

// Past this estimated nesting the tag stripper is used (gumbo's cost grows
// with the square of the number of open elements).
constexpr long kMaxNesting = 1000;
// Formatting elements left open (<b>, <font>, ...) are re-created by the
// HTML5 tree builder at every later block, so unclosed formatting times the
// number of tags bounds the nodes it may build (measured: 900 unclosed <b>
// and 10,000 paragraphs, 89 KB of HTML, made gumbo allocate 3.4 GB). Past
// this product the tag stripper is used; real mail stays far below it (at
// most 570 over the HTML parts of the Pony Mail corpus).
constexpr long kMaxReconstruction = 100'000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Collects text with collapsed white space and requested line breaks.
class TextSink {
 public:
  // Ends the current line; `lines` == 2 asks for a blank line.
  void request_break(int lines) { pending_breaks_ = std::max(pending_breaks_, lines); }

  // A <br>: each one ends a line, so two in a row leave a blank line.
  void add_line_break() { pending_breaks_ = std::min(pending_breaks_ + 1, 2); }

  void add_text(std::string_view text, bool preformatted) {
    if (preformatted) {
      flush_breaks();
      for (char c : text) {
        out_ += c == '\r' ? '\n' : c;
        pending_space_ = false;
      }
      return;
    }
    std::size_t i = 0;
    while (i < text.size()) {
      if (is_space(text[i])) {
        pending_space_ = true;
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && !is_space(text[end])) ++end;
      add_word(text.substr(i, end - i));
      i = end;
    }
  }

  void add_separator() { pending_space_ = true; }

  std::string finish();

 private:
  void flush_breaks() {
    if (pending_breaks_ > 0 && !out_.empty()) {
      out_.append(static_cast<std::size_t>(pending_breaks_), '\n');
      pending_space_ = false;
    }
    pending_breaks_ = 0;
  }

  void add_word(std::string_view word) {
    if (is_data_uri(word)) return;
    flush_breaks();
    if (pending_space_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
    pending_space_ = false;
    out_.append(word);
  }

  static bool is_data_uri(std::string_view word) {
    if (word.size() < 5) return false;
    std::string head;
    for (char c : word.substr(0, 5)) head += lower(c);
    return head == "data:" && word.find("base64,") != std::string_view::npos;
  }

  std::string out_;
  int pending_breaks_ = 0;
  bool pending_space_ = false;
};

// Trailing spaces removed from lines, at most one blank line in a row, no
// blank lines at either end.
std::string tidy_lines(std::string_view text) {
  std::string out;
  int blank_run = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!out.empty()) out.append(blank_run > 0 ? "\n\n" : "\n");
      out.append(line);
      blank_run = 0;
    }
    pos = nl + 1;
  }
  return out;
}

std::string TextSink::finish() { return tidy_lines(out_); }

bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

// Line breaks around an element: 2 = paragraph, 1 = line, 0 = inline.
int break_lines(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DL: case GUMBO_TAG_HR: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIGURE:
      return 2;
    case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_TR:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_CENTER: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_LEGEND: case GUMBO_TAG_BODY: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
      return 1;
    default:
      return 0;
  }
}

bool is_preformatted(GumboTag tag) {
  return tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TEXTAREA || tag == GUMBO_TAG_LISTING ||
         tag == GUMBO_TAG_PLAINTEXT || tag == GUMBO_TAG_XMP;
}

struct Frame {
  const GumboNode* node;
  unsigned int next_child = 0;
  int breaks = 0;
  bool pre = false;
};

const GumboVector* children_of(const GumboNode* node) {
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
    return &node->v.element.children;
  }
  return nullptr;
}

// Visits one child of the frame on top of the stack (iteratively, so deep
// trees cannot exhaust the call stack).
void visit_node(const GumboNode* child, bool pre, TextSink& sink, std::vector<Frame>& stack) {
  switch (child->type) {
    case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
      sink.add_text(child->v.text.text, pre);
      return;
    case GUMBO_NODE_ELEMENT: {
      GumboTag tag = child->v.element.tag;
      if (is_skipped(tag)) return;
      int breaks = break_lines(tag);
      sink.request_break(breaks);
      if (tag == GUMBO_TAG_BR) sink.add_line_break();
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) sink.add_separator();
      stack.push_back(Frame{child, 0, breaks, pre || is_preformatted(tag)});
      return;
    }
    default:
      return;  // comments, templates
  }
}

std::string gumbo_text(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // errors are not used; recording them costs memory
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  if (output == nullptr) return {};
  TextSink sink;
  std::vector<Frame> stack{Frame{output->document}};
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* children = children_of(top.node);
    if (children == nullptr || top.next_child >= children->length) {
      sink.request_break(top.breaks);
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children->data[top.next_child++]);
    visit_node(child, top.pre, sink, stack);
  }
  gumbo_destroy_output(&options, output);
  return sink.finish();
}

// ---- the fallback for pathological nesting ----------------------------------

bool is_void_or_self_closing(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "embed",
      "source", "track", "param", "p", "li", "td", "th", "tr", "option", "dt", "dd"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

std::string tag_name_at(std::string_view html, std::size_t pos) {
  std::string name;
  while (pos < html.size() && name.size() < 16 &&
         (std::isalnum(static_cast<unsigned char>(html[pos])) != 0)) {
    name += lower(html[pos++]);
  }
  return name;
}

bool is_formatting(std::string_view name) {
  static constexpr std::string_view kNames[] = {"a", "b", "big", "code", "em", "font", "i",
                                                "nobr", "s", "small", "strike", "strong", "tt", "u"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Upper bounds, from a linear scan, on what the tree builder will do.
struct MarkupCost {
  long max_depth = 0;       // open elements, ignoring void and auto-closing ones
  long max_formatting = 0;  // formatting elements opened and not closed
  long tags = 0;
};

MarkupCost estimate_cost(std::string_view html) {
  MarkupCost cost;
  long depth = 0;
  long formatting = 0;
  for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::string name = tag_name_at(html, i + (closing ? 2 : 1));
    if (name.empty()) continue;
    ++cost.tags;
    if (is_formatting(name)) {
      formatting = std::max(formatting + (closing ? -1 : 1), 0L);
      cost.max_formatting = std::max(cost.max_formatting, formatting);
    }
    if (is_void_or_self_closing(name)) continue;
    depth = std::max(depth + (closing ? -1 : 1), 0L);
    cost.max_depth = std::max(cost.max_depth, depth);
  }
  return cost;
}

bool too_costly_for_gumbo(std::string_view html) {
  MarkupCost cost = estimate_cost(html);
  return cost.max_depth > kMaxNesting || cost.max_formatting * cost.tags > kMaxReconstruction;
}

void append_entity(std::string_view entity, std::string& out) {
  if (entity == "amp") out += '&';
  else if (entity == "lt") out += '<';
  else if (entity == "gt") out += '>';
  else if (entity == "quot") out += '"';
  else if (entity == "nbsp") out += ' ';
  else if (entity == "apos") out += '\'';
  else out += ' ';
}

// Removes tags, drops script/style content, decodes the common entities.
std::string strip_tags(std::string_view html) {
  std::string raw;
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      std::string name = tag_name_at(html, i + 1);
      std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      if (name == "script" || name == "style") {
        std::size_t close = html.find("</" + name, end);
        end = close == std::string_view::npos ? html.size() : html.find('>', close);
        if (end == std::string_view::npos) end = html.size();
      }
      raw += (name == "br" || name == "p" || name == "div" || name == "tr" || name == "li") ? '\n' : ' ';
      i = end + 1;
    } else if (c == '&') {
      std::size_t semi = html.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        raw += c;
        ++i;
        continue;
      }
      append_entity(html.substr(i + 1, semi - i - 1), raw);
      i = semi + 1;
    } else {
      raw += c;
      ++i;
    }
  }
  TextSink sink;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    if (nl == std::string::npos) nl = raw.size();
    sink.add_text(std::string_view(raw).substr(pos, nl - pos), false);
    sink.request_break(1);
    pos = nl + 1;
  }
  return sink.finish();
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string text = too_costly_for_gumbo(html) ? strip_tags(html) : gumbo_text(html);
  return is_valid_utf8(text) ? text : sanitize_utf8(text);
}

}  // namespace folio::ingest
