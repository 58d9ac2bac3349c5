#pragma once
// The durability barrier of live mode. Everything the world can observe of a commit (the
// HTTP response, the PSP call it leads to) passes through after_durable():
//
//   per-commit mode (synchronous=FULL): every commit already fsynced; the action runs now.
//   group mode (synchronous=NORMAL):    a worker thread fsyncs the WAL file; an action
//       registered after a commit runs (on the io_context) only once an fsync that began
//       after the registration has finished, so one fsync covers a whole batch of commits.
//
// INVARIANT (group mode): an action is never run before the WAL bytes of every commit that
// returned before it was registered are on disk. An fsync that fails ends the process:
// durability can no longer be promised, and restart recovery is the safe path.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "live/json_log.h"

namespace reckon::live {

class GroupCommit {
 public:
  // `wal_path` empty: per-commit mode.
  GroupCommit(boost::asio::io_context& io, std::string wal_path, JsonLog& log);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Opens the WAL file (it exists once the engine has committed its schema).
  bool start(std::string& error);
  void after_durable(std::function<void()> action);

  uint64_t fsyncs() const { return fsyncs_.load(); }

 private:
  void worker_loop();

  boost::asio::io_context& io_;
  std::string wal_path_;
  JsonLog& log_;
  int wal_fd_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::function<void()>> waiting_;  // guarded by mutex_
  bool stopping_ = false;                       // guarded by mutex_
  std::atomic<uint64_t> fsyncs_{0};             // written by the worker only
  std::thread worker_;
};

}  // namespace reckon::live
