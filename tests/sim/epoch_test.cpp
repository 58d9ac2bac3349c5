// The day a run starts on (sim/epoch.h) and the PSP's time text (oracle/settlement_text.h):
// the calendar paths of the settlement reports must see many years, month and year ends and
// leap days, and every precision docs/reconciliation.md allows.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "oracle/settlement_text.h"
#include "sim/epoch.h"

namespace reckon::sim {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

std::chrono::year_month_day civil(int64_t unix_ms) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{unix_ms / kMsPerDay}}};
}

TEST(Epoch, EverySeedStartsAtAMidnightBetween1970And2399) {
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    const int64_t ms = draw_epoch_unix_ms(seed);
    ASSERT_EQ(ms % kMsPerDay, 0) << "seed " << seed;
    const auto ymd = civil(ms);
    ASSERT_GE(static_cast<int>(ymd.year()), 1970) << "seed " << seed;
    ASSERT_LE(static_cast<int>(ymd.year()), 2399) << "seed " << seed;
    ASSERT_EQ(draw_epoch_unix_ms(seed), ms) << "the same seed draws the same day";
  }
}

TEST(Epoch, SeedsReachMonthEndsYearEndsAndLeapDays) {
  std::set<std::string> days;
  int month_ends = 0;
  int year_ends = 0;
  std::set<int> years;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const int64_t ms = draw_epoch_unix_ms(seed);
    const std::string text = oracle::date_text(ms / kMsPerDay);
    days.insert(text);
    const auto ymd = civil(ms);
    years.insert(static_cast<int>(ymd.year()));
    const auto next = civil(ms + kMsPerDay);
    if (next.month() != ymd.month()) ++month_ends;
    if (next.year() != ymd.year()) ++year_ends;
  }
  EXPECT_GT(month_ends, 400 / 3);
  EXPECT_GT(year_ends, 10);
  EXPECT_GT(years.size(), 200U);
  for (const char* edge : {"1970-01-01", "2000-02-29", "2100-02-28", "2024-02-29", "1999-12-31"}) {
    EXPECT_TRUE(days.count(edge)) << edge << " never drawn in 400 seeds";
  }
}

TEST(Epoch, StartTimesCoverTheDay) {
  std::set<int64_t> hours;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const int64_t ms = draw_start_time_of_day_ms(seed);
    ASSERT_GE(ms, 0);
    ASSERT_LT(ms, kMsPerDay);
    hours.insert(ms / 3'600'000);
  }
  EXPECT_EQ(hours.size(), 24U);
}

TEST(SettlementText, DatesAreTheCivilCalendar) {
  EXPECT_EQ(oracle::date_text(0), "1970-01-01");
  EXPECT_EQ(oracle::date_text(11'016), "2000-02-29");
  EXPECT_EQ(oracle::days_in_month(2000, 2), 29);
  EXPECT_EQ(oracle::days_in_month(2100, 2), 28);
  EXPECT_EQ(oracle::days_in_month(2024, 2), 29);
  EXPECT_EQ(oracle::days_in_month(2026, 4), 30);
  EXPECT_EQ(oracle::days_in_month(2026, 12), 31);
  EXPECT_EQ(oracle::date_text(47'541), "2100-03-01");  // 2100 is not a leap year
  EXPECT_EQ(oracle::date_text(-1), "1969-12-31");
}

RC_GTEST_PROP(SettlementText, AShorterFractionIsAPrefixOfTheFullTime, ()) {
  const int64_t unix_us = *rc::gen::inRange<int64_t>(0, 13'569'465'600'000'000);  // to 2400
  const int digits = *rc::gen::inRange(0, 7);
  const int64_t cut = oracle::truncated_to_digits(unix_us, digits);
  RC_ASSERT(cut <= unix_us);
  RC_ASSERT(unix_us - cut < 1'000'000);
  const std::string full = oracle::timestamp_text(unix_us);
  const std::string text = oracle::timestamp_text(cut, digits);
  RC_ASSERT(full.size() == 27U);  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  RC_ASSERT(text.size() == (digits == 0 ? 20U : 21U + static_cast<size_t>(digits)));
  RC_ASSERT(text.substr(0, text.size() - 1) == full.substr(0, text.size() - 1));
  RC_ASSERT(text.back() == 'Z');
  // Cutting again changes nothing: the text is the exact time.
  RC_ASSERT(oracle::truncated_to_digits(cut, digits) == cut);
}

}  // namespace
}  // namespace reckon::sim
