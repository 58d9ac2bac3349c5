#include "cli/sqlite_allocator.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace reckon::cli {
namespace {

// Each block starts with a header holding its class; the caller's memory follows, 16-byte
// aligned like malloc's. Classes are multiples of 64 bytes up to 4 KiB + 64 (SQLite's
// page buffers, page size 4096 plus its per-page extra, fall in the last one); anything
// larger goes straight to malloc under class kLarge.
constexpr size_t kHeader = 16;
constexpr size_t kStep = 64;
constexpr size_t kClasses = (4096 + 256) / kStep;  // 68 classes: 64 .. 4352 bytes
constexpr uint32_t kLarge = UINT32_MAX;
constexpr size_t kChunkBytes = 1 << 20;  // carved into blocks of one class at a time

struct Header {
  uint32_t size_class;
  uint32_t unused;
  uint64_t large_size;  // the usable size of a kLarge block
};
static_assert(sizeof(Header) == kHeader);

struct FreeBlock {
  FreeBlock* next;
};

// Per thread, so no lock: a block freed on another thread joins that thread's list.
thread_local FreeBlock* free_lists[kClasses] = {};
thread_local char* chunk_cursor = nullptr;
thread_local size_t chunk_left = 0;

size_t class_of(size_t bytes) {
  return (bytes + kStep - 1) / kStep - (bytes == 0 ? 0 : 1);
}

size_t usable_bytes(size_t size_class) {
  return (size_class + 1) * kStep;
}

void* carve(size_t block_bytes) {
  if (chunk_left < block_bytes) {
    chunk_cursor = static_cast<char*>(std::malloc(kChunkBytes));
    if (chunk_cursor == nullptr) return nullptr;
    chunk_left = kChunkBytes;  // the tail of the last chunk is abandoned, at most 4 KiB
  }
  void* block = chunk_cursor;
  chunk_cursor += block_bytes;
  chunk_left -= block_bytes;
  return block;
}

Header* header_of(void* user) {
  return reinterpret_cast<Header*>(static_cast<char*>(user) - kHeader);
}

void* allocate(int requested) {
  if (requested <= 0) return nullptr;
  const auto bytes = static_cast<size_t>(requested);
  const size_t size_class = class_of(bytes);
  Header* header = nullptr;
  if (size_class >= kClasses) {
    header = static_cast<Header*>(std::malloc(kHeader + bytes));
    if (header == nullptr) return nullptr;
    header->size_class = kLarge;
    header->large_size = bytes;
  } else {
    if (FreeBlock* block = free_lists[size_class]) {
      free_lists[size_class] = block->next;
      header = reinterpret_cast<Header*>(block);
    } else {
      header = static_cast<Header*>(carve(kHeader + usable_bytes(size_class)));
      if (header == nullptr) return nullptr;
    }
    header->size_class = static_cast<uint32_t>(size_class);  // a free block's link overwrote it
  }
  return reinterpret_cast<char*>(header) + kHeader;
}

int usable_size(void* user) {
  const Header* header = header_of(user);
  if (header->size_class == kLarge) return static_cast<int>(header->large_size);
  return static_cast<int>(usable_bytes(header->size_class));
}

void release(void* user) {
  if (user == nullptr) return;
  Header* header = header_of(user);
  // Read before the link is written: the free block's link overlays the header, so reading
  // size_class after it (as -O0 does; -O2 happened to reuse the first load) indexed the free
  // lists with pointer bits.
  const uint32_t size_class = header->size_class;
  if (size_class == kLarge) return std::free(header);
  auto* block = reinterpret_cast<FreeBlock*>(header);
  block->next = free_lists[size_class];
  free_lists[size_class] = block;
}

void* reallocate(void* user, int requested) {
  if (user == nullptr) return allocate(requested);
  const int old_size = usable_size(user);
  if (requested <= old_size && header_of(user)->size_class != kLarge) return user;
  void* fresh = allocate(requested);
  if (fresh == nullptr) return nullptr;  // SQLite keeps the old block on failure
  std::memcpy(fresh, user, static_cast<size_t>(old_size < requested ? old_size : requested));
  release(user);
  return fresh;
}

int round_up(int requested) {
  if (requested <= 0) return requested;
  const size_t size_class = class_of(static_cast<size_t>(requested));
  if (size_class >= kClasses) return requested;
  return static_cast<int>(usable_bytes(size_class));
}

int init(void*) {
  return SQLITE_OK;
}

void shutdown(void*) {}

}  // namespace

const sqlite3_mem_methods& sqlite_allocator_methods() {
  static const sqlite3_mem_methods methods = {allocate, release, reallocate, usable_size,
                                              round_up, init,    shutdown,   nullptr};
  return methods;
}

bool install_sqlite_allocator() {
#if defined(__SANITIZE_ADDRESS__)
  return false;  // AddressSanitizer must see SQLite's blocks to check them
#else
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &sqlite_allocator_methods()) == SQLITE_OK;
#endif
}

}  // namespace reckon::cli
