// The malformed reports the simulator feeds the reconciliation job: each breaks the format of
// docs/reconciliation.md exactly where it says, so the job's refusal can be judged by place.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "engine/reconcile/settlement_csv.h"
#include "sim/settlement_malformed.h"

namespace reckon::sim {
namespace {

constexpr const char* kReport =
    "psp_reference,merchant_reference,type,gross,fee,net,currency,settlement_date,event_time\n"
    "psp_12,rk_3f9c0e21d4a5b6c7,capture,49.99,1.45,48.54,USD,2026-01-01,"
    "2026-01-01T00:00:00.412000Z\n"
    "psp_12-r1,rk_77e1a0c2b3d4e5f6,refund,-10.00,0.00,-10.00,USD,2026-01-01,"
    "2026-01-01T00:00:01.903000Z\n";

TEST(SettlementMalformed, TheOriginalIsWellFormed) {
  std::istringstream in(kReport);
  int64_t lines = 0;
  EXPECT_FALSE(engine::validate_settlement_csv(in, lines).has_value());
  EXPECT_EQ(lines, 2);
}

TEST(SettlementMalformed, EveryMalformationIsRefusedWhereItSays) {
  PrngStream stream(7, "settlement-malformed");
  std::set<std::string> kinds;
  for (int i = 0; i < 300; ++i) {
    const MalformedReport bad = malform_report(kReport, stream);
    kinds.insert(bad.what.substr(0, bad.what.find(" on line")));
    std::istringstream in(bad.csv);
    int64_t lines = 0;
    const auto error = engine::validate_settlement_csv(in, lines);
    ASSERT_TRUE(error.has_value()) << bad.what;
    EXPECT_EQ(error->line, bad.line) << bad.what << ": " << error->str();
    if (bad.column != 0) {
      EXPECT_EQ(error->column, bad.column) << bad.what << ": " << error->str();
    }
  }
  EXPECT_GE(kinds.size(), 20u);  // the draws reach (nearly) every kind
  EXPECT_TRUE(kinds.contains("an empty report (no bytes)"));
  EXPECT_TRUE(kinds.contains("eight columns"));
}

TEST(SettlementMalformed, TheCalendarFamilyBreaksOnlyADateAndReachesEveryMonth) {
  PrngStream stream(11, "settlement-malformed");
  std::set<std::string> months;
  for (int i = 0; i < 400; ++i) {
    const MalformedReport bad = malform_report(kReport, stream, MalformFamily::kCalendar);
    ASSERT_TRUE(bad.column == 8 || bad.column == 9) << bad.what;
    const size_t at = bad.what.find("-") + 1;  // "... YYYY-MM-DD..."
    months.insert(bad.what.substr(at, 2));
    std::istringstream in(bad.csv);
    int64_t lines = 0;
    const auto error = engine::validate_settlement_csv(in, lines);
    ASSERT_TRUE(error.has_value()) << bad.what;
    EXPECT_EQ(error->column, bad.column) << bad.what << ": " << error->str();
  }
  EXPECT_EQ(months.size(), 12u);
}

TEST(SettlementMalformed, TheAmountBoundFamilyBreaksOnlyAnAmountPastItsBound) {
  PrngStream stream(13, "settlement-malformed");
  std::set<std::string> values;
  for (int i = 0; i < 60; ++i) {
    const MalformedReport bad = malform_report(kReport, stream, MalformFamily::kAmountBound);
    ASSERT_TRUE(bad.column >= 4 && bad.column <= 6) << bad.what;
    values.insert(bad.value);
    std::istringstream in(bad.csv);
    int64_t lines = 0;
    const auto error = engine::validate_settlement_csv(in, lines);
    ASSERT_TRUE(error.has_value()) << bad.what;
    EXPECT_EQ(error->column, bad.column) << bad.what << ": " << error->str();
  }
  EXPECT_EQ(values.size(), 4u);  // each bound malformation drawn
}

}  // namespace
}  // namespace reckon::sim
