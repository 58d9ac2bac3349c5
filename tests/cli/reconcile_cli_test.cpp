// reckon reconcile: the command's contract (exit codes, text and JSON output, errors that
// name the line and column, a second run that books nothing).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

#include "tests/support/recon_fixture.h"
#include "tests/support/run_reckon.h"

namespace reckon::cli {
namespace {

using reckon::testing::run_reckon;
using reckon::testing::temp_path;

constexpr int64_t kD10h = 20'522LL * reckon::testing::kDayUs + 10 * reckon::testing::kHourUs;

class ReconcileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = temp_path("recon-cli.db");
    report_path_ = temp_path("recon-cli.csv");
    std::remove(db_path_.c_str());
    auto db = reckon::testing::open_engine_db(db_path_);
    ASSERT_TRUE(db);
    reckon::testing::add_capture(*db, "ch_a", "rk_a", 10000, "USD", kD10h);  // 2026-03-10
    reckon::testing::add_capture(*db, "ch_b", "rk_b", 5000, "USD", kD10h);
    write_report(
        "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n"
        "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n");
  }
  void write_report(const std::string& body) {
    std::ofstream out(report_path_, std::ios::trunc);
    out << engine::kSettlementCsvHeader << "\n" << body;
  }
  std::string args() const { return "reconcile --db " + db_path_ + " --report " + report_path_; }

  std::string db_path_;
  std::string report_path_;
};

TEST_F(ReconcileCli, ReportsDiscrepanciesAndExitsZero) {
  const auto r = run_reckon(args());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("duplicate  " + report_path_ + ":3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("missing-in-report  capture rk_b"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("reconciled 2 lines: 1 matched, 2 discrepancies; booked 1"),
            std::string::npos)
      << r.output;
}

TEST_F(ReconcileCli, SecondRunBooksNothing) {
  ASSERT_EQ(run_reckon(args()).exit_code, 0);
  const auto again = run_reckon(args());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("booked 0 transactions (1 lines booked before)"), std::string::npos)
      << again.output;
  // The ledger still verifies: the fee booking balanced and chained.
  const auto verify = run_reckon("ledger verify --db " + db_path_);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(ReconcileCli, JsonListsEveryDiscrepancyAndTheSummary) {
  const auto r = run_reckon(args() + " --format json", /*merge_stderr=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["discrepancies"].size(), 2u);
  EXPECT_EQ(j["discrepancies"][0]["class"], "duplicate");
  EXPECT_EQ(j["discrepancies"][0]["line"], 3);
  EXPECT_EQ(j["discrepancies"][1]["class"], "missing-in-report");
  EXPECT_EQ(j["discrepancies"][1]["merchant_reference"], "rk_b");
  EXPECT_EQ(j["summary"]["by_class"]["matched"], 1);
  EXPECT_EQ(j["summary"]["transactions_booked"], 1);
}

TEST_F(ReconcileCli, WithoutCutoffTheDayClosesAt2200Utc) {
  // docs/reconciliation.md, "Cut-off": default 22:00 UTC; an event at the cut-off settles the
  // next day, so a line dated the same day is a timing discrepancy.
  write_report(
      "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T21:59:59.999999Z\n"
      "psp_ch_b,rk_b,capture,50.00,1.45,48.55,USD,2026-03-10,2026-03-10T22:00:00Z\n");
  const auto r = run_reckon(args() + " --format json", /*merge_stderr=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["discrepancies"].size(), 1u) << r.output;
  EXPECT_EQ(j["discrepancies"][0]["class"], "timing");
  EXPECT_EQ(j["discrepancies"][0]["merchant_reference"], "rk_b");
  EXPECT_EQ(j["summary"]["by_class"]["matched"], 1);
}

TEST_F(ReconcileCli, MalformedReportNamesLineAndColumnAndBooksNothing) {
  write_report(
      "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n"
      "psp_ch_b,rk_b,capture,50.00,1.45,48.55,USD,2026-13-10,2026-03-10T10:00:00Z\n");
  const auto r = run_reckon(args());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("line 3, column 8 (settlement_date): '2026-13-10' is not a date"),
            std::string::npos)
      << r.output;
  // Nothing was reported, nothing booked: the next good run books the fee of line 2.
  EXPECT_EQ(r.output.find("matched"), std::string::npos);
  write_report("psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n");
  const auto good = run_reckon(args());
  EXPECT_NE(good.output.find("booked 1 transactions (0 lines booked before)"), std::string::npos)
      << good.output;
}

// Each report is read twice (through, then for the job), so a pipe or device is bad input
// (exit 2) before anything is read or reported, not a job failure.
TEST_F(ReconcileCli, AReportThatIsNotARegularFileIsBadInput) {
  const auto r = run_reckon("reconcile --db " + db_path_ + " --report /dev/null --format json",
                            /*merge_stderr=*/false);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output, "");  // stdout: no JSON document begun
  const auto text = run_reckon("reconcile --db " + db_path_ + " --report /dev/null");
  EXPECT_NE(text.output.find("--report '/dev/null': not a regular file"), std::string::npos)
      << text.output;
}

// Live mode checks payouts like the simulator: minus the net of the day's lines per currency.
TEST_F(ReconcileCli, PayoutLinesAreCheckedAgainstTheDaysNet) {
  const std::string lines =
      "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n"
      "psp_ch_b,rk_b,capture,50.00,1.45,48.55,USD,2026-03-10,2026-03-10T10:00:00Z\n";
  write_report(lines +
               "po_1,payout:2026-03-10:USD,payout,-145.65,0,-145.65,USD,2026-03-10,"
               "2026-03-10T22:00:00Z\n");
  auto r = run_reckon(args());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("reconciled 3 lines: 3 matched, 0 discrepancies"), std::string::npos)
      << r.output;
  write_report(lines +
               "po_1,payout:2026-03-10:USD,payout,-145.60,0,-145.60,USD,2026-03-10,"
               "2026-03-10T22:00:00Z\n");
  r = run_reckon(args());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("payout-mismatch  " + report_path_ +
                          ":4  payout payout:2026-03-10:USD (po_1): paid out -145.60 USD for "
                          "2026-03-10, whose lines net 145.65 USD (off by 0.05)"),
            std::string::npos)
      << r.output;
  r = run_reckon(args() + " --format json", /*merge_stderr=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["summary"]["by_class"]["payout-mismatch"], 1);
  EXPECT_EQ(j["summary"]["payout_lines"], 1);
  EXPECT_EQ(j["discrepancies"][0]["class"], "payout-mismatch");
}

TEST_F(ReconcileCli, MalformedPayoutLineNamesLineAndColumn) {
  write_report(
      "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00Z\n"
      "po_1,payout:2026-03-10:USD,payout,-97.10,0,-97.1O,USD,2026-03-10,"
      "2026-03-10T22:00:00Z\n");
  const auto r = run_reckon(args());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("line 3, column 6 (net): '-97.1O' is not a decimal amount"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("matched"), std::string::npos) << r.output;
}

// A capture the engine booked 200 ms before the cut-off of 2026-03-10, by its own clock, may
// be a 2026-03-11 event by the PSP's. A report of 2026-03-11 alone that lacks it: without a
// tolerance the job cannot call it missing (it is due the day before the report); with one
// above the 200 ms it does.
TEST_F(ReconcileCli, ClockToleranceFlagsABookingJustBeforeTheCutoff) {
  {
    auto db = reckon::testing::open_engine_db(db_path_);
    ASSERT_TRUE(db);
    const int64_t day11 = 20'523LL * reckon::testing::kDayUs;
    reckon::testing::add_capture(*db, "ch_c", "rk_c", 7000, "USD",
                                 day11 - 2 * reckon::testing::kHourUs - 200'000);
    reckon::testing::add_capture(*db, "ch_d", "rk_d", 5000, "USD",
                                 day11 + 10 * reckon::testing::kHourUs);
  }
  write_report("psp_ch_d,rk_d,capture,50.00,1.45,48.55,USD,2026-03-11,2026-03-11T10:00:00Z\n");
  const auto strict = run_reckon(args() + " --format json", /*merge_stderr=*/false);
  ASSERT_EQ(strict.exit_code, 0) << strict.output;
  EXPECT_EQ(strict.output.find("rk_c"), std::string::npos) << strict.output;
  const auto tolerant =
      run_reckon(args() + " --format json --clock-tolerance-ms 500", /*merge_stderr=*/false);
  ASSERT_EQ(tolerant.exit_code, 0) << tolerant.output;
  EXPECT_NE(tolerant.output.find("rk_c"), std::string::npos) << tolerant.output;
  EXPECT_NE(tolerant.output.find("missing-in-report"), std::string::npos) << tolerant.output;
  EXPECT_EQ(run_reckon(args() + " --clock-tolerance-ms -1").exit_code, 2);
}

TEST_F(ReconcileCli, BadInputExitsTwo) {
  auto r = run_reckon("reconcile --db " + temp_path("no-such.db") + " --report " + report_path_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no such file"), std::string::npos) << r.output;
  r = run_reckon("reconcile --db " + db_path_ + " --report " + temp_path("no-such.csv"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("cannot read the file"), std::string::npos) << r.output;
  r = run_reckon("reconcile --db " + report_path_ + " --report " + report_path_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--db"), std::string::npos) << r.output;
  r = run_reckon(args() + " --cutoff 25:00");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--cutoff '25:00'"), std::string::npos) << r.output;
  r = run_reckon("reconcile --report " + report_path_);
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace reckon::cli
