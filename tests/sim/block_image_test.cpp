// BlockImage (sim/block_image.h) against the plain byte vector it replaces: any sequence of
// writes, truncations, copies (a sync or a crash) and reads on two images leaves each one
// holding exactly the bytes a std::vector<uint8_t> model holds, so sharing blocks never
// lets a write to one image show through in the other.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/block_image.h"

namespace reckon::sim {
namespace {

// A write of nothing changes nothing, as with pwrite(2): the file does not grow to `offset`.
void model_write(std::vector<uint8_t>& model, size_t offset, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return;
  if (model.size() < offset + bytes.size()) model.resize(offset + bytes.size());
  std::copy(bytes.begin(), bytes.end(), model.begin() + static_cast<std::ptrdiff_t>(offset));
}

RC_GTEST_PROP(BlockImage, TwoSharingImagesBehaveLikeTwoByteVectors, ()) {
  BlockImage images[2];
  std::vector<uint8_t> models[2];
  const auto steps = *rc::gen::inRange(1, 60);
  for (int step = 0; step < steps; ++step) {
    const int which = *rc::gen::inRange(0, 2);
    BlockImage& image = images[which];
    std::vector<uint8_t>& model = models[which];
    switch (*rc::gen::inRange(0, 4)) {
      case 0: {  // a write, often page-aligned and page-sized like SQLite's
        const bool page = *rc::gen::arbitrary<bool>();
        const size_t offset =
            page ? 4096 * *rc::gen::inRange<size_t>(0, 6) : *rc::gen::inRange<size_t>(0, 6 * 4096);
        const size_t n = page ? 4096 : *rc::gen::inRange<size_t>(0, 9000);
        const auto fill = *rc::gen::inRange<uint8_t>(1, 255);
        std::vector<uint8_t> bytes(n);
        for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(fill + i);
        image.write(offset, bytes.data(), n);
        model_write(model, offset, bytes);
        break;
      }
      case 1: {
        const size_t size = *rc::gen::inRange<size_t>(0, 7 * 4096);
        image.truncate(size);
        model.resize(size);
        break;
      }
      case 2:  // durable = current, or current = durable
        images[1 - which] = image;
        models[1 - which] = model;
        break;
      default: {
        if (model.empty()) break;
        const size_t offset = *rc::gen::inRange<size_t>(0, model.size());
        const size_t n = *rc::gen::inRange<size_t>(0, model.size() - offset + 1);
        std::vector<uint8_t> out(n);
        image.read(offset, out.data(), n);
        RC_ASSERT(std::equal(out.begin(), out.end(),
                             model.begin() + static_cast<std::ptrdiff_t>(offset)));
      }
    }
    RC_ASSERT(images[0].size() == models[0].size());
    RC_ASSERT(images[1].size() == models[1].size());
    RC_ASSERT(images[0].bytes() == models[0]);
    RC_ASSERT(images[1].bytes() == models[1]);
  }
}

TEST(BlockImage, ACutBlockReadsAsZerosWhenTheFileGrowsAgain) {
  BlockImage image;
  const std::vector<uint8_t> ones(5000, 1);
  image.write(0, ones.data(), ones.size());
  BlockImage durable = image;  // shares both blocks
  image.truncate(100);
  image.truncate(5000);
  const std::vector<uint8_t> bytes = image.bytes();
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), 1), 100);
  EXPECT_EQ(durable.bytes(), ones) << "the shared image keeps its bytes";
}

}  // namespace
}  // namespace reckon::sim
