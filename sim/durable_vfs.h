#pragma once
// An in-memory SQLite VFS that models durability the way SQLite's own crash tests
// (src/test6.c) do: every file keeps a durable image and a current image. Writes change
// only the current image; xSync copies current to durable. A simulated crash throws the
// current images away, so a restarted engine sees exactly what was synced.
//
// SQLite also takes its randomness (xRandomness) and time (xCurrentTime*) from the VFS;
// here they come from the simulator through DurableVfsHooks, so nothing reads the OS.
//
// INVARIANT: no operation of this VFS touches the real file system, the wall clock or
// any OS randomness.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reckon::sim {

// What the VFS needs from the simulator. Both are called on the simulated path.
struct DurableVfsHooks {
  std::function<uint64_t()> random_u64;  // the "sqlite" PRNG stream
  std::function<int64_t()> now_unix_ms;  // virtual time as Unix milliseconds
};

// One file as the VFS keeps it.
struct VfsFileImage {
  std::vector<uint8_t> durable;
  std::vector<uint8_t> current;
};

class DurableVfs {
 public:
  // Registers a VFS named `name` with SQLite. If make_default, it becomes the default
  // VFS (sqlite3_vfs_register(..., 1)) and SQLite's PRNG is reseeded from hooks so that
  // a run never inherits SQLite randomness from an earlier run in the same process.
  // REQUIRES (checked): no VFS named `name` is registered yet; both hooks are set.
  DurableVfs(std::string name, DurableVfsHooks hooks, bool make_default);
  // Unregisters. REQUIRES (checked, aborts): no connection opened on this VFS is still
  // open, i.e. every file handle it gave out was closed.
  ~DurableVfs();
  DurableVfs(const DurableVfs&) = delete;
  DurableVfs& operator=(const DurableVfs&) = delete;

  const std::string& name() const { return name_; }

  // Simulated power loss for every file whose path starts with `path_prefix` (an engine
  // node's files share a prefix such as "engine-0"):
  //  - open handles on those files become dead: every later read/write/sync/truncate/
  //    file-size/lock call on them fails with an SQLITE_IOERR code and changes nothing;
  //    xUnlock and xClose still succeed (xClose frees the handle), so sqlite3_close_v2
  //    on the old connection is safe;
  //  - the lock bookkeeping of those files is reset (the locking process died);
  //  - every such file's current image reverts to its durable image.
  // Model: file creation and deletion are durable at once, so crash() never creates or
  // removes a file. A file created but never synced survives with an empty image (SQLite
  // treats an empty journal as not hot); a journal deleted at commit stays deleted.
  // After crash(), the caller must only close the old connection (no other calls on it:
  // it could still reach the VFS through xDelete/xOpen, which do not know it is dead) and
  // may then open a fresh connection, which sees only the durable images, including any
  // hot journal that SQLite then rolls back.
  void crash(const std::string& path_prefix);

  // Inspection for tests and property checks. Paths are exactly the names SQLite opened
  // (xFullPathname returns names unchanged); files SQLite opens without a name (temp
  // files) are named "tmp-<n>" with a per-VFS counter.
  bool exists(const std::string& path) const;
  // A copy of both images of a file, or nullopt when there is no such file.
  std::optional<VfsFileImage> image(const std::string& path) const;
  uint64_t sync_count() const { return sync_count_; }
  uint64_t write_count() const { return write_count_; }

  // Fault hooks for later issues. When set, each is asked before the operation;
  // returning true injects the fault. Left empty, no fault is injected.
  std::function<bool(const std::string& path)> fail_next_sync;  // xSync -> SQLITE_IOERR_FSYNC
  std::function<bool(const std::string& path, int64_t bytes_needed)>
      disk_full;  // xWrite -> SQLITE_FULL
  // At crash(): how many leading bytes of a file's last unsynced write reach the disk
  // anyway (a torn write). 0 or unset: none. Set it before the writes it should see.
  std::function<int64_t(const std::string& path, int64_t write_bytes)> torn_bytes_at_crash;
  // Asked at each xSync: a non-empty result is the path prefix of a node whose power fails
  // right now. The VFS then crashes that prefix (as crash() does) and the sync fails.
  std::function<std::string(const std::string& path)> power_loss_at_sync;

  // Implementation detail, public for the C callbacks.
  struct State;

 private:
  std::string name_;
  std::unique_ptr<State> state_;
  uint64_t sync_count_ = 0;
  uint64_t write_count_ = 0;
  friend struct State;
};

}  // namespace reckon::sim
