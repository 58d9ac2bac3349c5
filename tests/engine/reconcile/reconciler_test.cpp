// The reconciliation job on a hand-made ledger and report: every class, the bookings, the
// second run that books nothing, and a malformed report that books nothing.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "engine/reconcile/reconciler.h"
#include "tests/support/recon_fixture.h"

namespace reckon::engine {
namespace {

using reckon::testing::add_capture;
using reckon::testing::add_refund;
using reckon::testing::count_rows;
using reckon::testing::kDayUs;
using reckon::testing::kHourUs;

const int64_t kDay = *parse_date("2026-03-10");  // D
const int64_t kD10h = kDay * kDayUs + 10 * kHourUs;
const int64_t kD23h = kDay * kDayUs + 23 * kHourUs;

// The ledger: one succeeded capture per letter, a refund of A, and an auto-capture.
void make_ledger(Db& db) {
  add_capture(db, "ch_a", "rk_a", 10000, "USD", kD10h);
  add_capture(db, "ch_b", "rk_b", 5000, "USD", kD10h);
  add_capture(db, "ch_c", "rk_c", 2000, "USD", kD10h);
  add_capture(db, "ch_d", "rk_d", 3000, "USD", kD10h);
  add_capture(db, "ch_e", "rk_e", 4000, "USD", kD10h);
  add_capture(db, "ch_f", "rk_f", 1500, "USD", kD10h);
  add_capture(db, "ch_g", "rk_g", 1000, "USD", kD10h);
  add_capture(db, "ch_h", "rk_h", 1000, "USD", kD23h);  // after the 22:00 cut-off: day D+1
  add_capture(db, "ch_i", "rk_i", 1234, "KWD", kD10h);
  add_capture(db, "ch_j", "rk_j", 700, "JPY", kD10h, /*auto_capture=*/true);
  add_refund(db, "ch_a", "op_ra", "rk_ra", 500, kD10h + 1);
}

const std::string kReport = std::string(kSettlementCsvHeader) + "\n" +
                            // matched
                            "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_a-r1,rk_ra,refund,-5.00,0.00,-5.00,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_j,rk_j,capture,700,20,680,JPY,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            // rk_b missing; rk_c twice
                            "psp_ch_c,rk_c,capture,20.00,0.58,19.42,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_c,rk_c,capture,20.00,0.58,19.42,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            // amount, currency, status, fee
                            "psp_ch_d,rk_d,capture,30.01,0.87,29.14,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_e,rk_e,capture,40.00,1.16,38.84,EUR,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_f,rk_f,refund,15.00,0.44,14.56,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_g,rk_g,capture,10.00,0.30,9.70,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            // timing: an event of 23:00 settles D+1, reported D+2
                            "psp_ch_h,rk_h,capture,10.00,0.29,9.71,USD,2026-03-12,"
                            "2026-03-10T23:00:00Z\n"
                            // rounding: 1.234 KWD written with two decimals
                            "psp_ch_i,rk_i,capture,1.23,0.036,1.194,KWD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            // unknown to the ledger; a chargeback; a separate fee
                            "psp_x,rk_unknown,capture,9.99,0.29,9.70,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_a,rk_a,chargeback,-100.00,0.00,-100.00,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            "psp_ch_g,rk_g,fee,0.00,1.50,-1.50,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n"
                            // D pays out: each currency minus the net of D's lines in it
                            // (the duplicate and the faulty lines count, as written)
                            "po_usd,payout:D:USD,payout,-92.54,0.00,-92.54,USD,2026-03-10,"
                            "2026-03-10T22:00:00Z\n"
                            "po_eur,payout:D:EUR,payout,-38.84,0.00,-38.84,EUR,2026-03-10,"
                            "2026-03-10T22:00:00Z\n"
                            "po_jpy,payout:D:JPY,payout,-680,0,-680,JPY,2026-03-10,"
                            "2026-03-10T22:00:00Z\n"
                            "po_kwd,payout:D:KWD,payout,-1.194,0.000,-1.194,KWD,2026-03-10,"
                            "2026-03-10T22:00:00Z\n";

struct Outcome {
  ReconcileResult result;
  std::multimap<std::string, std::string> found;  // merchant reference -> class
};

Outcome run_job(Db& db, const std::string& report, ReconcileOptions options = {}) {
  std::istringstream in(report);
  Outcome out;
  out.result = reconcile(db, {ReportInput{"report.csv", &in}}, options, [&](const Discrepancy& d) {
    out.found.emplace(d.merchant_reference, std::string(to_string(d.cls)));
  });
  return out;
}

std::map<std::string, int64_t> sums_by_currency(Db& db) {
  std::map<std::string, int64_t> out;
  auto& st = db.prepare("SELECT currency, SUM(amount_minor) FROM ledger_entries GROUP BY currency");
  while (st.step() == SQLITE_ROW) out[st.column_text(0)] = st.column_int(1);
  st.reset();
  return out;
}

int64_t account_sum(Db& db, const std::string& account, const std::string& currency) {
  auto& st = db.prepare(
      "SELECT IFNULL(SUM(amount_minor), 0) FROM ledger_entries WHERE account = ?1 AND "
      "currency = ?2");
  st.bind(1, account).bind(2, currency);
  EXPECT_EQ(st.step(), SQLITE_ROW);
  const int64_t v = st.column_int(0);
  st.reset();
  return v;
}

class ReconcileTest : public reckon::testing::ReconDbTest {
 protected:
  void SetUp() override {
    ReconDbTest::SetUp();
    if (db_) make_ledger(*db_);
  }
};

TEST_F(ReconcileTest, ClassifiesEveryLine) {
  const Outcome o = run_job(*db_, kReport);
  ASSERT_TRUE(o.result.ok) << o.result.error;
  const std::multimap<std::string, std::string> expected = {
      {"rk_b", "missing-in-report"}, {"rk_c", "duplicate"},
      {"rk_d", "amount-mismatch"},   {"rk_e", "currency-mismatch"},
      {"rk_f", "status-mismatch"},   {"rk_g", "fee-mismatch"},
      {"rk_g", "fee-mismatch"},      {"rk_h", "timing"},
      {"rk_i", "rounding"},          {"rk_unknown", "missing-in-ledger"},
      {"rk_a", "missing-in-ledger"}};
  EXPECT_EQ(o.found, expected);
  const auto& s = o.result.summary;
  EXPECT_EQ(s.lines, 18);
  EXPECT_EQ(s.payout_lines, 4);
  // a, ra, j, first c, and the four payouts
  EXPECT_EQ(s.by_class[static_cast<size_t>(ReconClass::kMatched)], 8);
  EXPECT_EQ(s.discrepancies, 11);
}

TEST_F(ReconcileTest, BooksFeesAndCorrectionsBalanced) {
  const int64_t txns_before = count_rows(*db_, "ledger_transactions");
  const Outcome o = run_job(*db_, kReport);
  ASSERT_TRUE(o.result.ok) << o.result.error;
  EXPECT_GT(o.result.summary.transactions_booked, 0);
  EXPECT_EQ(count_rows(*db_, "ledger_transactions"),
            txns_before + o.result.summary.transactions_booked);
  for (const auto& [currency, sum] : sums_by_currency(*db_)) EXPECT_EQ(sum, 0) << currency;
  // Agreed fees: a 290, c 58 (once: the duplicate books nothing), d 87, g 29, h 29;
  // JPY j 20; KWD i 36. The EUR line (e) and the refund-typed capture (f) book nothing.
  EXPECT_EQ(account_sum(*db_, "psp_fees", "USD"), 290 + 58 + 87 + 29 + 29);
  EXPECT_EQ(account_sum(*db_, "psp_fees", "JPY"), 20);
  EXPECT_EQ(account_sum(*db_, "psp_fees", "KWD"), 36);
  // Suspense: d's gross +1 (credit), g's extra fee 1 and its fee line 150 (debits), the
  // unknown line 999 and the chargeback -10000 (PSP says it took the money back).
  EXPECT_EQ(account_sum(*db_, "settlement_suspense", "USD"), -1 + 1 + 150 - 999 + 10000);
  // Rounding: 1.23 KWD reported for 1.234 booked.
  EXPECT_EQ(account_sum(*db_, "rounding_differences", "KWD"), 4);
}

TEST_F(ReconcileTest, SecondRunOverTheSameReportBooksNothing) {
  const Outcome first = run_job(*db_, kReport);
  ASSERT_TRUE(first.result.ok);
  const int64_t txns = count_rows(*db_, "ledger_transactions");
  const int64_t entries = count_rows(*db_, "ledger_entries");
  const Outcome second = run_job(*db_, kReport);
  ASSERT_TRUE(second.result.ok);
  EXPECT_EQ(second.result.summary.transactions_booked, 0);
  EXPECT_EQ(second.result.summary.lines_already_booked, first.result.summary.transactions_booked);
  EXPECT_EQ(count_rows(*db_, "ledger_transactions"), txns);
  EXPECT_EQ(count_rows(*db_, "ledger_entries"), entries);
  EXPECT_EQ(second.found, first.found);  // the same discrepancies are reported again
}

TEST_F(ReconcileTest, BookingsAreAppendOnly) {
  ASSERT_TRUE(run_job(*db_, kReport).result.ok);
  ASSERT_GT(count_rows(*db_, "recon_bookings"), 0);
  const Status update = db_->exec("UPDATE recon_bookings SET class = 'matched'");
  EXPECT_FALSE(update.ok);
  EXPECT_NE(update.message.find("append-only"), std::string::npos) << update.message;
  EXPECT_FALSE(db_->exec("DELETE FROM recon_bookings").ok);
}

TEST_F(ReconcileTest, MalformedReportBooksNothing) {
  std::string bad = kReport;
  bad.insert(bad.find("psp_ch_g,rk_g,capture,10.00"),
             "psp_z,rk_z,capture,1O.00,0,0,USD,"
             "2026-03-10,2026-03-10T10:00:00Z\n");
  ASSERT_TRUE(apply_reconciliation_schema(*db_).ok);  // so the count below can read it
  const int64_t txns = count_rows(*db_, "ledger_transactions");
  const Outcome o = run_job(*db_, bad);
  EXPECT_FALSE(o.result.ok);
  ASSERT_TRUE(o.result.csv_error);
  EXPECT_EQ(o.result.csv_error->line, 10);
  EXPECT_EQ(o.result.csv_error->column, 4);
  EXPECT_EQ(o.result.summary.transactions_booked, 0);
  EXPECT_EQ(count_rows(*db_, "ledger_transactions"), txns);
  EXPECT_EQ(count_rows(*db_, "recon_bookings"), 0);
  // The report is read through before the job starts: the discrepancies of the lines before
  // the malformed one (rk_b to rk_f) are not reported either.
  EXPECT_TRUE(o.found.empty());
  EXPECT_EQ(o.result.summary.lines, 0);
}

// A stream that reads but cannot seek, as a pipe: the job needs to read a report twice.
class UnseekableBuffer : public std::stringbuf {
 public:
  using std::stringbuf::stringbuf;

 protected:
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override {
    return pos_type(off_type(-1));
  }
  pos_type seekpos(pos_type, std::ios_base::openmode) override { return pos_type(off_type(-1)); }
};

TEST_F(ReconcileTest, AReportThatCannotBeReadTwiceIsAnErrorAndBooksNothing) {
  UnseekableBuffer buffer(kReport);
  std::istream in(&buffer);
  const int64_t txns = count_rows(*db_, "ledger_transactions");
  bool reported = false;
  const ReconcileResult result = reconcile(*db_, {ReportInput{"pipe.csv", &in}}, {},
                                           [&](const Discrepancy&) { reported = true; });
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.csv_error);
  EXPECT_NE(result.error.find("pipe.csv"), std::string::npos) << result.error;
  EXPECT_FALSE(reported);
  EXPECT_EQ(count_rows(*db_, "ledger_transactions"), txns);
}

TEST_F(ReconcileTest, EventsOutsideTheReportedDaysAreNotMissing) {
  // Only the line of h (settled D+2): D's events are not due in this report.
  const std::string only_h = std::string(kSettlementCsvHeader) + "\n" +
                             "psp_ch_h,rk_h,capture,10.00,0.29,9.71,USD,2026-03-11,"
                             "2026-03-10T23:00:00Z\n";
  const Outcome o = run_job(*db_, only_h);
  ASSERT_TRUE(o.result.ok);
  EXPECT_TRUE(o.found.empty());
  EXPECT_EQ(o.result.summary.by_class[static_cast<size_t>(ReconClass::kMatched)], 1);
  // The same report with the window stretched over D: all of D's events are missing.
  ReconcileOptions options;
  options.first_day = kDay;
  options.last_day = kDay + 1;
  const Outcome wide = run_job(*db_, only_h, options);
  EXPECT_EQ(wide.found.size(), 10u);
  for (const auto& [ref, cls] : wide.found) EXPECT_EQ(cls, "missing-in-report") << ref;
}

TEST_F(ReconcileTest, PlantedIgnoresCurrencyMissesTheWrongCurrency) {
  ReconcileOptions options;
  options.planted.plant(Defect::kReconIgnoresCurrency);
  const Outcome o = run_job(*db_, kReport, options);
  ASSERT_TRUE(o.result.ok);
  EXPECT_EQ(o.found.count("rk_e"), 0u);  // EUR for USD passes as matched
}

TEST(ReconClassNames, AreStableAndRoundTrip) {
  const char* names[] = {"matched",         "missing-in-ledger", "missing-in-report",
                         "duplicate",       "amount-mismatch",   "currency-mismatch",
                         "status-mismatch", "fee-mismatch",      "timing",
                         "rounding",        "payout-mismatch"};
  for (int i = 0; i < kReconClassCount; ++i) {
    EXPECT_EQ(to_string(static_cast<ReconClass>(i)), names[i]);
    EXPECT_EQ(parse_recon_class(names[i]), static_cast<ReconClass>(i));
  }
  EXPECT_FALSE(parse_recon_class("mismatch"));
}

TEST(ReconFees, HalfAwayFromZeroOnCapturesOnly) {
  EXPECT_EQ(expected_fee_minor(SettlementType::kCapture, 10000, 290), 290);
  EXPECT_EQ(expected_fee_minor(SettlementType::kCapture, 1500, 290), 44);  // 43.5
  EXPECT_EQ(expected_fee_minor(SettlementType::kCapture, 1000, 290), 29);
  EXPECT_EQ(expected_fee_minor(SettlementType::kRefund, -1000, 290), 0);
}

}  // namespace
}  // namespace reckon::engine
