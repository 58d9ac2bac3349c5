#include "cli/allocator.h"

#include <malloc.h>
#include <sqlite3.h>

#include "cli/sqlite_allocator.h"

namespace reckon::cli {

void tune_allocator_for_simulation() {
  constexpr int kKeepInHeapBytes = 256 << 20;
  mallopt(M_MMAP_THRESHOLD, kKeepInHeapBytes);
  mallopt(M_TRIM_THRESHOLD, kKeepInHeapBytes);
  mallopt(M_TOP_PAD, 64 << 20);
  // SQLite's memory statistics take a global mutex around every allocation; nothing in
  // Reckon reads them (no sqlite3_memory_used, no soft heap limit), and they cost 8% of a
  // simulated payment. Must precede sqlite3_initialize(); later calls are refused.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  install_sqlite_allocator();
}

}  // namespace reckon::cli
