// The SQLite allocator of the reckon command (cli/sqlite_allocator.h), driven directly: every
// block holds what was written to it until freed, reports a usable size at least as large as
// asked, keeps its bytes through a realloc, and no two live blocks overlap.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <vector>

#include "cli/sqlite_allocator.h"

namespace reckon::cli {
namespace {

struct LiveBlock {
  int size = 0;
  unsigned char fill = 0;
};

bool holds(const void* p, const LiveBlock& b) {
  const auto* bytes = static_cast<const unsigned char*>(p);
  for (int i = 0; i < b.size; ++i) {
    if (bytes[i] != b.fill) return false;
  }
  return true;
}

RC_GTEST_PROP(SqliteAllocator, BlocksKeepTheirBytesAndNeverOverlap, ()) {
  const sqlite3_mem_methods& m = sqlite_allocator_methods();
  std::map<void*, LiveBlock> live;
  unsigned char next_fill = 1;
  const auto steps = *rc::gen::inRange(1, 400);
  for (int step = 0; step < steps; ++step) {
    const int action = *rc::gen::inRange(0, 3);
    // Sizes around the class edges and past the largest class (4352) to plain malloc.
    const int size = *rc::gen::oneOf(rc::gen::inRange(1, 300), rc::gen::inRange(4000, 4500),
                                     rc::gen::inRange(5000, 70000));
    if (action == 0 || live.empty()) {
      void* p = m.xMalloc(size);
      RC_ASSERT(static_cast<bool>(p));
      RC_ASSERT(reinterpret_cast<uintptr_t>(p) % 8 == 0u);
      RC_ASSERT(m.xSize(p) >= size);
      RC_ASSERT(m.xRoundup(size) >= size);
      std::memset(p, next_fill, static_cast<size_t>(size));
      live[p] = LiveBlock{size, next_fill++};
      continue;
    }
    auto it = live.begin();
    std::advance(it, *rc::gen::inRange<size_t>(0, live.size()));
    RC_ASSERT(holds(it->first, it->second));
    if (action == 1) {
      m.xFree(it->first);
      live.erase(it);
    } else {
      const LiveBlock old = it->second;
      void* before = it->first;
      live.erase(it);
      void* p = m.xRealloc(before, size);
      RC_ASSERT(static_cast<bool>(p));
      RC_ASSERT(m.xSize(p) >= size);
      RC_ASSERT(holds(p, LiveBlock{std::min(old.size, size), old.fill}));
      std::memset(p, next_fill, static_cast<size_t>(size));
      live[p] = LiveBlock{size, next_fill++};
    }
  }
  // No overlap: each block still holds its own fill after all the writes.
  for (const auto& [p, b] : live) {
    RC_ASSERT(holds(p, b));
    m.xFree(p);
  }
}

TEST(SqliteAllocator, AFreedBlockIsReusedForItsClass) {
  const sqlite3_mem_methods& m = sqlite_allocator_methods();
  void* first = m.xMalloc(100);
  m.xFree(first);
  void* second = m.xMalloc(120);  // the same 64-byte class as 100
  EXPECT_EQ(first, second);
  EXPECT_EQ(m.xSize(second), 128);
  m.xFree(second);
  EXPECT_EQ(m.xMalloc(0), nullptr);
  m.xFree(nullptr);  // harmless, as SQLite expects
}

}  // namespace
}  // namespace reckon::cli
