// generation.cc: creating and reading generation directories and their stub files.
#include "index/generation.h"

#include <fstream>
#include <sstream>

#include "index/internal/file_util.h"
#include "index/xapian_writer.h"

namespace folio::index {

using model::Code;
using model::Err;

model::Status create_generation(const std::filesystem::path& dir, std::size_t shards) {
  if (shards < 1 || shards > kMaxShards) {
    return Err(Code::kInvalidArgument, "index.shards must be 1 to " + std::to_string(kMaxShards));
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Err(Code::kIOError, "cannot create " + dir.string() + ": " + ec.message());
  std::string stub;
  try {
    for (std::size_t s = 0; s < shards; ++s) {
      std::string name = "shard" + std::to_string(s);
      Xapian::WritableDatabase db((dir / name).string(), Xapian::DB_CREATE_OR_OPEN);
      db.commit();
      stub += "glass " + name + "\n";
    }
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "cannot create an index shard in " + dir.string());
  }
  return internal::write_file_atomically(dir / kStubFile, stub);
}

model::Result<std::vector<std::filesystem::path>> generation_shards(const std::filesystem::path& dir) {
  auto stub = internal::read_whole_file(dir / kStubFile);
  if (!stub.ok()) {
    if (stub.error().code == Code::kNotFound) return std::vector<std::filesystem::path>{dir};
    return stub.error();
  }
  std::vector<std::filesystem::path> shards;
  std::istringstream lines(stub.value());
  std::string backend, name;
  while (lines >> backend >> name) {
    if (backend != "glass" || name.find('/') != std::string::npos) {
      return Err(Code::kCorruption, (dir / kStubFile).string() + ": unexpected entry '" + backend + " " + name + "'");
    }
    shards.push_back(dir / name);
  }
  if (shards.empty() || shards.size() > kMaxShards) {
    return Err(Code::kCorruption, (dir / kStubFile).string() + ": no shards listed");
  }
  return shards;
}

}  // namespace folio::index
