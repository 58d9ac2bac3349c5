#pragma once
// One file's bytes as 4 KiB blocks that two images (DurableVfs's durable and current) may
// share. Copying an image copies block pointers, not bytes; a write copies a block only
// while the other image still shares it, and not even then when it overwrites the whole
// block. So a sync (durable = current) and a crash (current = durable) cost a pointer per
// block, where whole-file byte copies used to dominate the simulator's storage time.
//
// INVARIANT: bytes at or beyond size() read as zero if the file grows over them again (a
// missing block is all zeros; truncate() clears the tail of a cut block).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace reckon::sim {

class BlockImage {
 public:
  static constexpr size_t kBlockBytes = 4096;

  size_t size() const { return size_; }
  // Copies bytes [offset, offset + n) into out; the range must lie within size().
  void read(size_t offset, uint8_t* out, size_t n) const;
  // Writes n bytes at offset, growing the file (zero-filled in any gap) when needed.
  void write(size_t offset, const uint8_t* in, size_t n);
  // Cuts or zero-extends the file to `size` bytes.
  void truncate(size_t size);
  // The whole file as bytes, for inspection.
  std::vector<uint8_t> bytes() const;

 private:
  using Block = std::array<uint8_t, kBlockBytes>;
  // The block at `index`, ready for writing: present, and owned by this image alone.
  Block& writable(size_t index, bool overwrite_whole);

  std::vector<std::shared_ptr<Block>> blocks_;  // null: all zeros
  size_t size_ = 0;
};

}  // namespace reckon::sim
