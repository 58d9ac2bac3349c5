#include "sim/epoch.h"

#include <array>
#include <chrono>

#include "engine/check.h"
#include "sim/prng.h"

namespace reckon::sim {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

constexpr int kFirstYear = 1970;
constexpr int kLastYear = 2399;
constexpr int64_t kMsPerDay = 86'400'000;

// Days whose neighbours break naive calendar code.
// 1970-01-01 is day 0 of Unix time and the first day a settlement report may carry.
constexpr std::array<std::array<int, 3>, 9> kEdges{{{1970, 1, 1},
                                                    {1999, 12, 31},
                                                    {2000, 2, 28},
                                                    {2000, 2, 29},
                                                    {2024, 2, 29},
                                                    {2038, 1, 18},
                                                    {2038, 1, 19},
                                                    {2100, 2, 28},
                                                    {2399, 12, 31}}};

int64_t ms_of(sys_days d) {
  return static_cast<int64_t>(d.time_since_epoch().count()) * kMsPerDay;
}

}  // namespace

int64_t draw_start_time_of_day_ms(uint64_t seed) {
  PrngStream stream(seed, "start-time");
  return static_cast<int64_t>(stream.below(kMsPerDay));
}

int64_t draw_epoch_unix_ms(uint64_t seed) {
  PrngStream stream(seed, "epoch");
  const uint64_t kind = stream.below(8);
  if (kind == 0) {
    const auto& e = kEdges[stream.below(kEdges.size())];
    return ms_of(sys_days{year{e[0]} / month{static_cast<unsigned>(e[1])} /
                          day{static_cast<unsigned>(e[2])}});
  }
  const int y = kFirstYear + static_cast<int>(stream.below(kLastYear - kFirstYear + 1));
  const auto m = month{static_cast<unsigned>(1 + stream.below(12))};
  if (kind <= 4) return ms_of(sys_days{year_month_day_last{year{y}, m / std::chrono::last}});
  const auto last = year_month_day_last{year{y}, m / std::chrono::last}.day();
  const auto d = day{1 + static_cast<unsigned>(stream.below(static_cast<unsigned>(last)))};
  const year_month_day drawn{year{y} / m / d};
  RECKON_CHECK(drawn.ok(), "the drawn epoch is a calendar day");
  return ms_of(sys_days{drawn});
}

}  // namespace reckon::sim
