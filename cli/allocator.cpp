#include "cli/allocator.h"

#include <malloc.h>

namespace reckon::cli {

void tune_allocator_for_simulation() {
  constexpr int kKeepInHeapBytes = 256 << 20;
  mallopt(M_MMAP_THRESHOLD, kKeepInHeapBytes);
  mallopt(M_TRIM_THRESHOLD, kKeepInHeapBytes);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace reckon::cli
