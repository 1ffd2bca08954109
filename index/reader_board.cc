// reader_board.cc: the mmap'd slot files of index readers and the writer's wait for them.
#include "index/reader_board.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <bitset>
#include <cerrno>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace folio::index {

namespace {

constexpr std::size_t kBoardBytes = kReaderSlots * sizeof(std::int64_t);

std::filesystem::path boards_dir(const Home& home) { return home.root() / "run" / "readers"; }

std::int64_t load_slot(std::int64_t* slot) {
  return std::atomic_ref<std::int64_t>(*slot).load(std::memory_order_seq_cst);
}

// A mapping of kBoardBytes of `fd`; null on failure.
std::int64_t* map_board(int fd, int prot) {
  void* p = mmap(nullptr, kBoardBytes, prot, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? nullptr : static_cast<std::int64_t*>(p);
}

bool process_gone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

// The pid a board file is named for; 0 if the name is not a pid.
pid_t board_pid(const std::string& name) {
  if (name.empty() || name.size() > 10) return 0;
  long long v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v > 0 && v <= 0x7fffffff ? static_cast<pid_t>(v) : 0;
}

}  // namespace

std::int64_t reader_clock_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// This process's board for one home: its file, mapping and free slots.
class ReaderBoard {
 public:
  static std::shared_ptr<ReaderBoard> create(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return nullptr;
    std::filesystem::path file = dir / std::to_string(getpid());
    // O_TRUNC: a file left by an earlier process with our pid holds stale slots.
    int fd = open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return nullptr;
    std::int64_t* slots = nullptr;
    if (ftruncate(fd, static_cast<off_t>(kBoardBytes)) == 0) slots = map_board(fd, PROT_READ | PROT_WRITE);
    close(fd);
    if (!slots) {
      unlink(file.c_str());
      return nullptr;
    }
    return std::shared_ptr<ReaderBoard>(new ReaderBoard(file, slots));
  }

  ~ReaderBoard() {
    munmap(slots_, kBoardBytes);
    unlink(file_.c_str());
  }

  // A free slot index, or kReaderSlots when all are taken.
  std::size_t take() {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < kReaderSlots; ++i) {
      if (!taken_[i]) {
        taken_[i] = true;
        return i;
      }
    }
    return kReaderSlots;
  }

  void give_back(std::size_t i) {
    post(i, 0);
    std::lock_guard lock(mu_);
    taken_[i] = false;
  }

  void post(std::size_t i, std::int64_t value) {
    std::atomic_ref<std::int64_t>(slots_[i]).store(value, std::memory_order_seq_cst);
  }

 private:
  ReaderBoard(std::filesystem::path file, std::int64_t* slots) : file_(std::move(file)), slots_(slots) {}

  std::filesystem::path file_;
  std::int64_t* slots_;
  std::mutex mu_;
  std::bitset<kReaderSlots> taken_;
};

ReaderSlot::ReaderSlot(std::shared_ptr<ReaderBoard> board, std::size_t index)
    : board_(std::move(board)), index_(index) {}

ReaderSlot::~ReaderSlot() { board_->give_back(index_); }

void ReaderSlot::reading(std::int64_t opened_ns) { board_->post(index_, opened_ns > 0 ? opened_ns : 1); }

void ReaderSlot::idle() { board_->post(index_, 0); }

std::unique_ptr<ReaderSlot> claim_reader_slot(const Home& home) {
  static std::mutex mu;
  static std::map<std::filesystem::path, std::weak_ptr<ReaderBoard>> boards;
  std::filesystem::path dir = boards_dir(home);
  std::error_code ec;
  std::filesystem::path key = std::filesystem::weakly_canonical(dir, ec);
  if (ec) key = dir;
  std::shared_ptr<ReaderBoard> board;
  {
    std::lock_guard lock(mu);
    board = boards[key].lock();
    if (!board) {
      board = ReaderBoard::create(dir);
      if (!board) return nullptr;
      boards[key] = board;
    }
  }
  std::size_t index = board->take();
  if (index == kReaderSlots) return nullptr;
  return std::make_unique<ReaderSlot>(std::move(board), index);
}

namespace {

// Another process's board, mapped read-only for one wait.
struct Mapped {
  std::int64_t* slots = nullptr;
  Mapped() = default;
  explicit Mapped(std::int64_t* s) : slots(s) {}
  Mapped(Mapped&& o) noexcept : slots(o.slots) { o.slots = nullptr; }
  Mapped& operator=(Mapped&&) = delete;
  ~Mapped() {
    if (slots) munmap(slots, kBoardBytes);
  }
};

// Maps the boards of live processes; removes those of processes that are gone.
std::vector<Mapped> map_boards(const std::filesystem::path& dir) {
  std::vector<Mapped> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    pid_t pid = board_pid(entry.path().filename().string());
    if (pid == 0) continue;
    if (process_gone(pid)) {
      std::filesystem::remove(entry.path(), ec);
      continue;
    }
    int fd = open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    std::int64_t* slots = nullptr;
    if (fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(kBoardBytes)) slots = map_board(fd, PROT_READ);
    close(fd);
    if (slots) out.emplace_back(slots);
  }
  return out;
}

// Readers posting an open time before `before_ns`.
std::size_t older_readers(const std::vector<Mapped>& boards, std::int64_t before_ns) {
  std::size_t n = 0;
  for (const auto& b : boards) {
    for (std::size_t i = 0; i < kReaderSlots; ++i) {
      std::int64_t v = load_slot(b.slots + i);
      if (v > 0 && v < before_ns) ++n;
    }
  }
  return n;
}

}  // namespace

ReaderWait wait_for_readers(const Home& home, std::int64_t before_ns, std::chrono::milliseconds max_wait) {
  ReaderWait out;
  std::vector<Mapped> boards = map_boards(boards_dir(home));
  out.readers = older_readers(boards, before_ns);
  if (out.readers == 0) return out;
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + max_wait;
  for (;;) {
    if (older_readers(boards, before_ns) == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      out.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  out.waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return out;
}

}  // namespace folio::index
