// generation.cc: creating and reading generation directories and their stub files.
#include "index/generation.h"

#include <fstream>
#include <sstream>

#include "index/internal/file_util.h"
#include "index/home.h"
#include "index/xapian_writer.h"

#include <algorithm>
#include <cstdio>

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

namespace folio::index {

std::vector<std::uint64_t> list_generations(const Home& home) {
  std::vector<std::uint64_t> gens;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(home.index_dir(), ec)) {
    unsigned long long n = 0;
    if (e.is_directory(ec) && std::sscanf(e.path().filename().c_str(), "gen-%llu", &n) == 1) {
      gens.push_back(n);
    }
  }
  std::sort(gens.begin(), gens.end());
  return gens;
}

model::Status copy_generation_compacted(const std::filesystem::path& from,
                                        const std::filesystem::path& to) {
  auto shards = generation_shards(from);
  FOLIO_TRY(shards);
  std::error_code ec;
  std::filesystem::create_directories(to, ec);
  if (ec) return Err(Code::kIOError, "cannot create " + to.string() + ": " + ec.message());
  std::string stub;
  for (std::size_t s = 0; s < shards->size(); ++s) {
    std::string name = "shard" + std::to_string(s);
    try {
      Xapian::Database src((*shards)[s].string());
      src.compact((to / name).string());
    } catch (const Xapian::Error& e) {
      return xapian_error(e, "cannot compact " + (*shards)[s].string());
    }
    stub += "glass " + name + "\n";
  }
  return internal::write_file_atomically(to / kStubFile, stub);
}

model::Result<std::uint64_t> generation_seq(const std::filesystem::path& dir) {
  auto shards = generation_shards(dir);
  FOLIO_TRY(shards);
  std::uint64_t seq = UINT64_MAX;
  try {
    for (const auto& p : shards.value()) {
      Xapian::Database db(p.string());
      std::string v = db.get_metadata(kIndexedSeqKey);
      seq = std::min<std::uint64_t>(seq, v.empty() ? 0 : std::stoull(v));
    }
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "cannot read " + dir.string());
  } catch (const std::exception& e) {
    return Err(Code::kCorruption, dir.string() + ": bad sequence: " + e.what());
  }
  return seq;
}

void remove_old_generations(const Home& home, std::uint64_t keep) {
  auto live = home.current_generation();
  for (std::uint64_t g : list_generations(home)) {
    if ((live.ok() && g == live.value()) || g == keep) continue;
    std::error_code ec;
    std::filesystem::remove_all(home.generation_dir(g), ec);
  }
}

}  // namespace folio::index
