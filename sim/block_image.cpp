#include "sim/block_image.h"

#include <algorithm>
#include <cstring>

#include "engine/check.h"

namespace reckon::sim {

void BlockImage::read(size_t offset, uint8_t* out, size_t n) const {
  RECKON_CHECK(offset + n <= size_, "a read stays within the file");
  while (n > 0) {
    const size_t index = offset / kBlockBytes;
    const size_t within = offset % kBlockBytes;
    const size_t take = std::min(n, kBlockBytes - within);
    const auto& block = blocks_[index];
    if (block) {
      std::memcpy(out, block->data() + within, take);
    } else {
      std::memset(out, 0, take);
    }
    out += take;
    offset += take;
    n -= take;
  }
}

BlockImage::Block& BlockImage::writable(size_t index, bool overwrite_whole) {
  auto& block = blocks_[index];
  if (!block) {
    block = overwrite_whole ? std::make_shared_for_overwrite<Block>() : std::make_shared<Block>();
  } else if (block.use_count() > 1) {
    // Shared with the other image: that image keeps the old bytes.
    block =
        overwrite_whole ? std::make_shared_for_overwrite<Block>() : std::make_shared<Block>(*block);
  }
  return *block;
}

void BlockImage::write(size_t offset, const uint8_t* in, size_t n) {
  if (n == 0) return;
  const size_t end = offset + n;
  const size_t blocks_needed = (end + kBlockBytes - 1) / kBlockBytes;
  if (blocks_.size() < blocks_needed) blocks_.resize(blocks_needed);
  while (n > 0) {
    const size_t index = offset / kBlockBytes;
    const size_t within = offset % kBlockBytes;
    const size_t take = std::min(n, kBlockBytes - within);
    Block& block = writable(index, take == kBlockBytes);
    std::memcpy(block.data() + within, in, take);
    in += take;
    offset += take;
    n -= take;
  }
  size_ = std::max(size_, end);
}

void BlockImage::truncate(size_t size) {
  const size_t blocks_needed = (size + kBlockBytes - 1) / kBlockBytes;
  if (size < size_) {
    blocks_.resize(blocks_needed);
    const size_t within = size % kBlockBytes;
    if (within != 0 && blocks_.back()) {
      Block& last = writable(blocks_.size() - 1, false);
      std::memset(last.data() + within, 0, kBlockBytes - within);
    }
  } else {
    blocks_.resize(std::max(blocks_.size(), blocks_needed));
  }
  size_ = size;
}

std::vector<uint8_t> BlockImage::bytes() const {
  std::vector<uint8_t> out(size_);
  if (size_ > 0) read(0, out.data(), size_);
  return out;
}

}  // namespace reckon::sim
