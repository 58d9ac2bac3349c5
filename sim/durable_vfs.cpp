// In-memory SQLite VFS with a durable and a current image per file; see durable_vfs.h.
//
// Layout: State owns the "directory" (path -> FileNode, an ordered map so every walk is
// deterministic) and the records of open handles (handle id -> OpenFile, also ordered).
// The sqlite3_file SQLite allocates for us is a Handle: the base struct plus one pointer
// to its OpenFile record, which keeps the SQLite-owned memory trivially constructible.

#include "sim/durable_vfs.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "sim/block_image.h"
#include "sim/check.h"

namespace reckon::sim {
namespace {

// Julian day number of the Unix epoch, and the same instant in Julian-epoch milliseconds
// (2440587.5 * 86400000), the units of xCurrentTime and xCurrentTimeInt64.
constexpr double kUnixEpochJulianDay = 2440587.5;
constexpr sqlite3_int64 kUnixEpochJulianMs = 210866760000000;
constexpr double kMsPerDay = 86400000.0;

// A 4096-byte sector and no device characteristics: SQLite assumes no atomic writes and
// no safe append, so it pads journal headers and syncs conservatively.
constexpr int kSectorSize = 4096;
constexpr int kMaxPathname = 512;

// One file: its two images plus the lock bookkeeping of the handles that have it open.
// INVARIANT: writer == 0 iff writer_level == SQLITE_LOCK_NONE; a handle counted in
// shared_holders is at SHARED or above.
struct FileNode {
  BlockImage durable;
  BlockImage current;
  // The last write since the last sync, kept only while torn writes are being modelled.
  int64_t last_write_offset = -1;
  std::vector<uint8_t> last_write;
  int shared_holders = 0;               // live handles at SHARED or above
  uint64_t writer = 0;                  // id of the handle at RESERVED or above, 0 if none
  int writer_level = SQLITE_LOCK_NONE;  // RESERVED, PENDING or EXCLUSIVE while writer != 0
};

// What we know about one open sqlite3_file. A handle keeps its node alive even after
// xDelete removes the path (POSIX unlink-while-open semantics).
struct OpenFile {
  DurableVfs::State* state = nullptr;
  std::shared_ptr<FileNode> node;
  std::string path;
  uint64_t id = 0;
  int lock = SQLITE_LOCK_NONE;
  bool dead = false;  // set by crash(); a dead handle changes nothing
  bool delete_on_close = false;
};

// The sqlite3_file SQLite allocates (szOsFile bytes). Standard layout with `base` first,
// so SQLite's sqlite3_file* and our Handle* are interconvertible.
struct Handle {
  sqlite3_file base;
  OpenFile* file;
};

}  // namespace

struct DurableVfs::State {
  State(DurableVfs* o, DurableVfsHooks h) : owner(o), hooks(std::move(h)) {}

  DurableVfs* owner;
  DurableVfsHooks hooks;
  sqlite3_vfs vfs{};
  std::map<std::string, std::shared_ptr<FileNode>> files;    // the directory
  std::map<uint64_t, std::unique_ptr<OpenFile>> open_files;  // every handle not yet closed
  uint64_t next_handle_id = 1;  // 0 means "no handle" in FileNode::writer
  uint64_t next_temp_id = 1;

  void note_write() { ++owner->write_count_; }
  void note_sync() { ++owner->sync_count_; }

  // A fresh deterministic name for a file SQLite opens without one.
  std::string temp_name() {
    for (;;) {
      std::string candidate = "tmp-" + std::to_string(next_temp_id++);
      if (files.count(candidate) == 0) return candidate;
    }
  }
};

namespace {

using State = DurableVfs::State;

OpenFile* open_file_of(sqlite3_file* f) {
  return reinterpret_cast<Handle*>(f)->file;
}
State* state_of(sqlite3_vfs* v) {
  return static_cast<State*>(v->pAppData);
}

// ---- Locking: per-file bookkeeping; one connection per file means no real contention,
// but the levels follow SQLite's protocol so a second connection would get SQLITE_BUSY.

int lock_shared(OpenFile* file) {
  FileNode& node = *file->node;
  if (node.writer != 0 && node.writer_level >= SQLITE_LOCK_PENDING) return SQLITE_BUSY;
  ++node.shared_holders;
  file->lock = SQLITE_LOCK_SHARED;
  return SQLITE_OK;
}

int lock_reserved(OpenFile* file) {
  FileNode& node = *file->node;
  if (node.writer != 0) return SQLITE_BUSY;
  node.writer = file->id;
  node.writer_level = file->lock = SQLITE_LOCK_RESERVED;
  return SQLITE_OK;
}

// From SHARED or RESERVED (or a PENDING left by an earlier SQLITE_BUSY). While other
// readers remain we hold PENDING, which keeps new readers out, and report SQLITE_BUSY.
int lock_exclusive(OpenFile* file) {
  FileNode& node = *file->node;
  if (node.writer != 0 && node.writer != file->id) return SQLITE_BUSY;
  node.writer = file->id;
  const bool alone = node.shared_holders == 1;
  node.writer_level = file->lock = alone ? SQLITE_LOCK_EXCLUSIVE : SQLITE_LOCK_PENDING;
  return alone ? SQLITE_OK : SQLITE_BUSY;
}

int io_lock(sqlite3_file* f, int level) {
  OpenFile* file = open_file_of(f);
  if (file->dead) return SQLITE_IOERR_LOCK;
  if (file->lock >= level) return SQLITE_OK;
  // SQLite's contract: SHARED first, then RESERVED or EXCLUSIVE; never PENDING directly.
  RECKON_CHECK(level != SQLITE_LOCK_PENDING, "xLock is never asked for PENDING");
  RECKON_CHECK(level == SQLITE_LOCK_SHARED || file->lock >= SQLITE_LOCK_SHARED,
               "xLock above SHARED requires SHARED");
  if (level == SQLITE_LOCK_SHARED) return lock_shared(file);
  if (level == SQLITE_LOCK_RESERVED) return lock_reserved(file);
  return lock_exclusive(file);
}

// Drops `file` to `level` (SHARED or NONE) and keeps the node's bookkeeping in step.
void release_lock(OpenFile* file, int level) {
  FileNode& node = *file->node;
  if (file->lock >= SQLITE_LOCK_RESERVED) {
    RECKON_CHECK(node.writer == file->id, "a handle above SHARED is the file's writer");
    node.writer = 0;
    node.writer_level = SQLITE_LOCK_NONE;
  }
  if (level == SQLITE_LOCK_NONE && file->lock >= SQLITE_LOCK_SHARED) {
    RECKON_CHECK(node.shared_holders > 0, "shared lock count never goes negative");
    --node.shared_holders;
  }
  file->lock = level;
}

int io_unlock(sqlite3_file* f, int level) {
  OpenFile* file = open_file_of(f);
  RECKON_CHECK(level == SQLITE_LOCK_NONE || level == SQLITE_LOCK_SHARED,
               "xUnlock goes to SHARED or NONE");
  // A dead handle's locks were released by crash(); there is nothing left to drop.
  if (file->dead || file->lock <= level) return SQLITE_OK;
  release_lock(file, level);
  return SQLITE_OK;
}

int io_check_reserved_lock(sqlite3_file* f, int* out) {
  OpenFile* file = open_file_of(f);
  *out = 0;
  if (file->dead) return SQLITE_IOERR_CHECKRESERVEDLOCK;
  *out = file->node->writer != 0 ? 1 : 0;
  return SQLITE_OK;
}

// ---- Data.

int io_close(sqlite3_file* f) {
  OpenFile* file = open_file_of(f);
  State* st = file->state;
  if (!file->dead) release_lock(file, SQLITE_LOCK_NONE);
  // Temp files are private to their handle, so removing one even from a dead handle
  // changes nothing anyone can observe except that it does not leak.
  if (file->delete_on_close) {
    auto it = st->files.find(file->path);
    if (it != st->files.end() && it->second == file->node) st->files.erase(it);
  }
  const size_t erased = st->open_files.erase(file->id);  // frees *file
  RECKON_CHECK(erased == 1, "a closed handle was open");
  return SQLITE_OK;
}

// Past the end reads as zeros with SQLITE_IOERR_SHORT_READ, as SQLite requires.
int io_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  OpenFile* file = open_file_of(f);
  if (file->dead) return SQLITE_IOERR_READ;
  RECKON_CHECK(amount >= 0 && offset >= 0, "xRead range is non-negative");
  const BlockImage& current = file->node->current;
  const size_t start = std::min(current.size(), static_cast<size_t>(offset));
  const size_t available = std::min(static_cast<size_t>(amount), current.size() - start);
  auto* out = static_cast<uint8_t*>(buf);
  if (available > 0) current.read(start, out, available);
  std::memset(out + available, 0, static_cast<size_t>(amount) - available);
  return available == static_cast<size_t>(amount) ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

// Changes only the current image. A write that grows the file first asks disk_full.
int io_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  OpenFile* file = open_file_of(f);
  if (file->dead) return SQLITE_IOERR_WRITE;
  RECKON_CHECK(amount >= 0 && offset >= 0, "xWrite range is non-negative");
  State* st = file->state;
  BlockImage& current = file->node->current;
  const size_t end = static_cast<size_t>(offset) + static_cast<size_t>(amount);
  if (end > current.size()) {
    const auto& full = st->owner->disk_full;
    if (full && full(file->path, static_cast<int64_t>(end))) return SQLITE_FULL;
  }
  if (amount > 0) {
    const auto* bytes = static_cast<const uint8_t*>(buf);
    current.write(static_cast<size_t>(offset), bytes, static_cast<size_t>(amount));
    if (st->owner->torn_bytes_at_crash) {
      file->node->last_write_offset = offset;
      file->node->last_write.assign(bytes, bytes + amount);
    }
  }
  st->note_write();
  return SQLITE_OK;
}

int io_truncate(sqlite3_file* f, sqlite3_int64 size) {
  OpenFile* file = open_file_of(f);
  if (file->dead) return SQLITE_IOERR_TRUNCATE;
  RECKON_CHECK(size >= 0, "xTruncate size is non-negative");
  file->node->current.truncate(static_cast<size_t>(size));
  return SQLITE_OK;
}

// Makes durable equal current: the images then share every block.
void sync_node(FileNode& node) {
  node.durable = node.current;
  node.last_write_offset = -1;
  node.last_write.clear();
}

// A torn write: the first `kept` bytes of the last unsynced write reached the disk.
void apply_torn_write(FileNode& node, int64_t kept) {
  const size_t n = std::min(static_cast<size_t>(kept), node.last_write.size());
  node.durable.write(static_cast<size_t>(node.last_write_offset), node.last_write.data(), n);
}

// The only way bytes become durable. A failed sync copies nothing.
int io_sync(sqlite3_file* f, int /*flags: every sync is a full sync here*/) {
  OpenFile* file = open_file_of(f);
  if (file->dead) return SQLITE_IOERR_FSYNC;
  State* st = file->state;
  const auto& fail = st->owner->fail_next_sync;
  if (fail && fail(file->path)) return SQLITE_IOERR_FSYNC;
  const auto& power_loss = st->owner->power_loss_at_sync;
  if (power_loss) {
    const std::string prefix = power_loss(file->path);
    if (!prefix.empty()) {
      st->owner->crash(prefix);  // this handle is dead from here on
      return SQLITE_IOERR_FSYNC;
    }
  }
  sync_node(*file->node);
  st->note_sync();
  return SQLITE_OK;
}

int io_file_size(sqlite3_file* f, sqlite3_int64* size) {
  OpenFile* file = open_file_of(f);
  *size = 0;
  if (file->dead) return SQLITE_IOERR_FSTAT;
  *size = static_cast<sqlite3_int64>(file->node->current.size());
  return SQLITE_OK;
}

int io_file_control(sqlite3_file*, int, void*) {
  return SQLITE_NOTFOUND;
}
int io_sector_size(sqlite3_file*) {
  return kSectorSize;
}
int io_device_characteristics(sqlite3_file*) {
  return 0;
}

sqlite3_io_methods make_io_methods() {
  sqlite3_io_methods m{};
  m.iVersion = 1;  // no WAL: no shared memory, no mmap
  m.xClose = io_close;
  m.xRead = io_read;
  m.xWrite = io_write;
  m.xTruncate = io_truncate;
  m.xSync = io_sync;
  m.xFileSize = io_file_size;
  m.xLock = io_lock;
  m.xUnlock = io_unlock;
  m.xCheckReservedLock = io_check_reserved_lock;
  m.xFileControl = io_file_control;
  m.xSectorSize = io_sector_size;
  m.xDeviceCharacteristics = io_device_characteristics;
  return m;
}

const sqlite3_io_methods kIoMethods = make_io_methods();

// ---- VFS-level calls.

// Creation is durable at once: a new path enters the directory before any sync.
int vfs_open(sqlite3_vfs* v, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  State* st = state_of(v);
  f->pMethods = nullptr;  // SQLite calls xClose only if pMethods is set
  std::string path = name != nullptr ? std::string(name) : st->temp_name();
  auto it = st->files.find(path);
  const bool found = it != st->files.end();
  if (found && (flags & SQLITE_OPEN_EXCLUSIVE) != 0) return SQLITE_CANTOPEN;
  if (!found && (flags & SQLITE_OPEN_CREATE) == 0) return SQLITE_CANTOPEN;
  if (!found) it = st->files.emplace(path, std::make_shared<FileNode>()).first;

  auto file = std::make_unique<OpenFile>();
  file->state = st;
  file->node = it->second;
  file->path = std::move(path);
  file->id = st->next_handle_id++;
  file->delete_on_close = (flags & SQLITE_OPEN_DELETEONCLOSE) != 0;
  reinterpret_cast<Handle*>(f)->file = file.get();
  st->open_files.emplace(file->id, std::move(file));
  f->pMethods = &kIoMethods;
  if (out_flags != nullptr) *out_flags = flags;
  return SQLITE_OK;
}

// Deletion is durable at once. Handles still open keep their (now unnamed) node.
int vfs_delete(sqlite3_vfs* v, const char* name, int /*sync_dir: deletion is durable*/) {
  State* st = state_of(v);
  return st->files.erase(name) == 1 ? SQLITE_OK : SQLITE_IOERR_DELETE_NOENT;
}

int vfs_access(sqlite3_vfs* v, const char* name, int /*flags: all mean "exists"*/, int* out) {
  *out = state_of(v)->files.count(name) != 0 ? 1 : 0;
  return SQLITE_OK;
}

int vfs_full_pathname(sqlite3_vfs*, const char* name, int n_out, char* out) {
  const size_t needed = std::strlen(name) + 1;
  if (n_out < 0 || needed > static_cast<size_t>(n_out)) return SQLITE_CANTOPEN;
  std::memcpy(out, name, needed);
  return SQLITE_OK;
}

// Extensions cannot be loaded: there is no file system to load them from.
void* vfs_dl_open(sqlite3_vfs*, const char*) {
  return nullptr;
}
void vfs_dl_error(sqlite3_vfs*, int n, char* out) {
  if (n > 0) sqlite3_snprintf(n, out, "extension loading is not supported");
}
void (*vfs_dl_sym(sqlite3_vfs*, void*, const char*))(void) {
  return nullptr;
}
void vfs_dl_close(sqlite3_vfs*, void*) {}

// Bytes come from the simulator's stream, little-endian, 8 per draw.
int vfs_randomness(sqlite3_vfs* v, int n, char* out) {
  const auto& next = state_of(v)->hooks.random_u64;
  for (int i = 0; i < n; i += 8) {
    const uint64_t word = next();
    for (int b = 0; b < 8 && i + b < n; ++b) out[i + b] = static_cast<char>(word >> (8 * b));
  }
  return n;
}

// Virtual time does not pass while SQLite "sleeps"; claim the full sleep happened.
int vfs_sleep(sqlite3_vfs*, int microseconds) {
  return microseconds;
}

int vfs_current_time(sqlite3_vfs* v, double* out) {
  *out = kUnixEpochJulianDay + static_cast<double>(state_of(v)->hooks.now_unix_ms()) / kMsPerDay;
  return SQLITE_OK;
}

int vfs_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
  *out = kUnixEpochJulianMs + state_of(v)->hooks.now_unix_ms();
  return SQLITE_OK;
}

int vfs_get_last_error(sqlite3_vfs*, int, char*) {
  return 0;
}

void init_vfs(sqlite3_vfs& vfs, State* st, const char* name) {
  vfs.iVersion = 2;  // version 2 adds xCurrentTimeInt64; no system-call overrides
  vfs.szOsFile = static_cast<int>(sizeof(Handle));
  vfs.mxPathname = kMaxPathname;
  vfs.zName = name;
  vfs.pAppData = st;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = vfs_dl_open;
  vfs.xDlError = vfs_dl_error;
  vfs.xDlSym = vfs_dl_sym;
  vfs.xDlClose = vfs_dl_close;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_get_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time_int64;
}

}  // namespace

DurableVfs::DurableVfs(std::string name, DurableVfsHooks hooks, bool make_default)
    : name_(std::move(name)), state_(std::make_unique<State>(this, std::move(hooks))) {
  RECKON_CHECK(state_->hooks.random_u64 && state_->hooks.now_unix_ms,
               "DurableVfs needs both simulator hooks");
  // Two VFSes with one name would make sqlite3_vfs_find ambiguous.
  RECKON_CHECK(sqlite3_vfs_find(name_.c_str()) == nullptr, "VFS names are unique");
  // zName points into name_, which never moves: DurableVfs is neither copied nor moved.
  init_vfs(state_->vfs, state_.get(), name_.c_str());
  const int rc = sqlite3_vfs_register(&state_->vfs, make_default ? 1 : 0);
  RECKON_CHECK(rc == SQLITE_OK, "sqlite3_vfs_register succeeds");
  // SQLite seeds its PRNG once, from the default VFS; forget the old seed so the next
  // draw reseeds from our xRandomness.
  if (make_default) sqlite3_randomness(0, nullptr);
}

DurableVfs::~DurableVfs() {
  RECKON_CHECK(state_->open_files.empty(), "no handle outlives its DurableVfs");
  sqlite3_vfs_unregister(&state_->vfs);
}

void DurableVfs::crash(const std::string& path_prefix) {
  for (auto& [id, file] : state_->open_files) {
    if (!file->path.starts_with(path_prefix)) continue;
    file->dead = true;
    file->lock = SQLITE_LOCK_NONE;
    // The node may already be unlinked from the directory; reset it here too.
    file->node->shared_holders = 0;
    file->node->writer = 0;
    file->node->writer_level = SQLITE_LOCK_NONE;
  }
  for (auto& [path, node] : state_->files) {
    if (!path.starts_with(path_prefix)) continue;
    // The locking process died, so nothing holds a lock on the file any more.
    RECKON_CHECK(node->shared_holders == 0 && node->writer == 0,
                 "every handle on a crashed file was killed");
    if (torn_bytes_at_crash && node->last_write_offset >= 0) {
      const int64_t kept = torn_bytes_at_crash(path, static_cast<int64_t>(node->last_write.size()));
      if (kept > 0) apply_torn_write(*node, kept);
    }
    node->current = node->durable;
    node->last_write_offset = -1;
    node->last_write.clear();
  }
}

bool DurableVfs::exists(const std::string& path) const {
  return state_->files.count(path) != 0;
}

std::optional<VfsFileImage> DurableVfs::image(const std::string& path) const {
  auto it = state_->files.find(path);
  if (it == state_->files.end()) return std::nullopt;
  return VfsFileImage{it->second->durable.bytes(), it->second->current.bytes()};
}

}  // namespace reckon::sim
