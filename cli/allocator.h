#pragma once
// Allocator tuning for simulation runs: glibc's heap and SQLite's allocator statistics.
//
// Why: the simulator keeps each SQLite file as vectors that grow, shrink and are copied
// all run long. glibc serves allocations above its mmap threshold from fresh mmap'd pages
// and unmaps them on free, so every run paid for page faults and page zeroing in the
// kernel: a third of a single sweep's time, and most of it with --jobs 2, where the two
// processes contend in the kernel. Keeping those blocks in the heap removes that cost.
// Only speed changes; results do not depend on addresses.

namespace reckon::cli {

void tune_allocator_for_simulation();

}  // namespace reckon::cli
