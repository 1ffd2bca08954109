// show.cc: `folio show` and `folio thread`: one message, or its thread as a tree.
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/reader_setup.h"
#include "api/json.h"
#include "index/message_store.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

std::string address_line(const model::Address& a) {
  if (a.name.empty()) return a.addr;
  return a.name + " <" + a.addr + ">";
}

std::string address_list(const std::vector<model::Address>& v) {
  std::string out;
  for (const auto& a : v) out += (out.empty() ? "" : ", ") + address_line(a);
  return out;
}

// Strips the <> a user may have pasted around a Message-ID.
std::string bare_id(std::string id) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

model::Result<std::string> one_id(const Args& args, const char* usage) {
  if (args.positional.size() != 1) return Err(Code::kInvalidArgument, usage);
  return bare_id(args.positional[0]);
}

int print_raw(const Reader& reader, index::DocId docid) {
  auto store = index::MessageStore::open(reader.home.store_dir(), index::StoreMode::kReadOnly);
  if (!store.ok()) return report(store.error());
  auto raw = store.value()->raw(docid);
  if (!raw.ok()) return report(raw.error());
  std::cout.write(raw->data(), static_cast<std::streamsize>(raw->size()));
  std::cout.flush();
  return kExitOk;
}

void print_message(const query::MessageView& v) {
  const auto& d = v.data;
  std::string lists;
  for (const auto& l : v.lists) lists += (lists.empty() ? "" : ", ") + l;
  std::cout << "Message-ID: <" << d.message_id << ">\n"
            << "From: " << address_line(d.from) << "\n";
  if (!d.to.empty()) std::cout << "To: " << address_list(d.to) << "\n";
  if (!d.cc.empty()) std::cout << "Cc: " << address_list(d.cc) << "\n";
  std::cout << "Subject: " << d.subject << "\n"
            << "Date: " << iso_date(v.date) << "\n"
            << "Lists: " << lists << "\n"
            << "Thread: " << v.thread << "\n";
  if (!d.attachments.empty()) {
    std::string names;
    for (const auto& a : d.attachments) names += (names.empty() ? "" : ", ") + a;
    std::cout << "Attachments: " << names << "\n";
  }
  if (v.variants > 1) std::cout << "Variants: " << v.variants << " messages share this Message-ID\n";
  std::cout << "\n" << d.body << "\n";
}

}  // namespace

int cmd_show(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "as"}, {"raw", "json"}});
  if (!args.ok()) return report(args.error());
  auto id = one_id(args.value(), "usage: folio show [--raw] [--json] MESSAGE-ID");
  if (!id.ok()) return report(id.error());
  auto reader = open_reader(args.value());
  if (!reader.ok()) return report(reader.error());
  auto view = reader->searcher->message(id.value(), reader->scope);
  if (!view.ok()) return report(view.error());
  if (args->has("raw")) return print_raw(reader.value(), view->docid);
  if (args->has("json")) {
    std::cout << boost::json::serialize(message_json(view.value())) << "\n";
  } else {
    print_message(view.value());
  }
  return kExitOk;
}

int cmd_thread(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "as"}, {"json"}});
  if (!args.ok()) return report(args.error());
  auto id = one_id(args.value(), "usage: folio thread [--json] MESSAGE-ID");
  if (!id.ok()) return report(id.error());
  auto reader = open_reader(args.value());
  if (!reader.ok()) return report(reader.error());
  auto view = reader->searcher->thread(id.value(), reader->scope);
  if (!view.ok()) return report(view.error());
  if (args->has("json")) {
    std::cout << boost::json::serialize(thread_json(view.value())) << "\n";
    return kExitOk;
  }
  std::cout << "thread " << view->thread << ": " << view->nodes.size() << " messages"
            << (view->truncated ? " (truncated)" : "") << "\n";
  for (const auto& n : view->nodes) {
    std::cout << std::string(2 * n.depth, ' ') << iso_date(n.date).substr(0, 10) << "  "
              << n.subject << "  (" << (n.from.name.empty() ? n.from.addr : n.from.name)
              << ")  <" << n.message_id << ">\n";
  }
  return kExitOk;
}

}  // namespace folio::api::cli
