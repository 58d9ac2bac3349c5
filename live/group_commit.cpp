#include "live/group_commit.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <boost/asio/post.hpp>

namespace reckon::live {

GroupCommit::GroupCommit(boost::asio::io_context& io, std::string wal_path, JsonLog& log)
    : io_(io), wal_path_(std::move(wal_path)), log_(log) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

bool GroupCommit::start(std::string& error) {
  if (wal_path_.empty()) return true;
  // fsync(2) flushes the file (inode), whichever descriptor names it, so our own read-only
  // descriptor syncs the bytes SQLite wrote through its own.
  wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (wal_fd_ < 0) {
    error = "cannot open the WAL file '" + wal_path_ + "': " + std::strerror(errno);
    return false;
  }
  worker_ = std::thread([this] { worker_loop(); });
  return true;
}

void GroupCommit::after_durable(std::function<void()> action) {
  if (wal_path_.empty()) {
    action();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(action));
  }
  wake_.notify_one();
}

void GroupCommit::worker_loop() {
  for (;;) {
    std::vector<std::function<void()>> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;  // actions not yet durable are dropped, as in a crash
      batch.swap(waiting_);
    }
    // Every action in `batch` was registered before this fsync began.
    if (::fdatasync(wal_fd_) != 0) {
      log_.error("fsync_failed", {{"file", wal_path_}, {"errno", std::strerror(errno)}});
      std::_Exit(70);  // EX_SOFTWARE: nothing unsynced was acknowledged; restart recovers
    }
    ++fsyncs_;
    boost::asio::post(io_, [batch = std::move(batch)] {
      for (const auto& action : batch) action();
    });
  }
}

}  // namespace reckon::live
