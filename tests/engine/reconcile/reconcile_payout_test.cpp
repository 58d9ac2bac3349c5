// Payout lines: on a day that pays out, each currency's payouts must be minus the net of the
// day's lines in that currency (docs/reconciliation.md); anything else is payout-mismatch.
// Hand-made cases, the planted defect that skips the check, and a RapidCheck property
// against an integer model of the day's nets.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "engine/money.h"
#include "engine/reconcile/reconciler.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/recon_fixture.h"

namespace reckon::engine {
namespace {

using reckon::testing::add_capture;
using reckon::testing::add_refund;
using reckon::testing::kDayUs;
using reckon::testing::kHourUs;

const int64_t kDay = *parse_date("2026-03-10");
const int64_t kD10h = kDay * kDayUs + 10 * kHourUs;

// D's lines: a capture of 100.00 (net 97.10) and a refund of 5.00: they net 92.10 USD.
const std::string kLines = std::string(kSettlementCsvHeader) + "\n" +
                           "psp_ch_a,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,"
                           "2026-03-10T10:00:00Z\n"
                           "psp_ch_a-r1,rk_ra,refund,-5.00,0.00,-5.00,USD,2026-03-10,"
                           "2026-03-10T10:00:00Z\n";

// A payout line of `amount` (negative: paid to the merchant's bank).
std::string payout(const std::string& amount, const std::string& currency,
                   const std::string& date = "2026-03-10", const std::string& psp_reference = "") {
  const std::string psp = psp_reference.empty() ? "po_" + currency : psp_reference;
  return psp + ",payout:" + date + ":" + currency + ",payout," + amount + ",0," + amount + "," +
         currency + "," + date + "," + date + "T22:00:00Z\n";
}

struct Found {
  ReconcileResult result;
  std::vector<Discrepancy> payouts;  // the payout-mismatch discrepancies, in order
  std::multiset<std::string> classes;
};

Found run_job(Db& db, const std::string& report, ReconcileOptions options = {}) {
  std::istringstream in(report);
  Found out;
  out.result = reconcile(db, {ReportInput{"report.csv", &in}}, options, [&](const Discrepancy& d) {
    out.classes.insert(std::string(to_string(d.cls)));
    if (d.cls == ReconClass::kPayoutMismatch) out.payouts.push_back(d);
  });
  return out;
}

// The ledger of kLines: the capture and the refund.
class ReconcilePayout : public reckon::testing::ReconDbTest {
 protected:
  void SetUp() override {
    ReconDbTest::SetUp();
    if (!db_) return;
    add_capture(*db_, "ch_a", "rk_a", 10000, "USD", kD10h);
    add_refund(*db_, "ch_a", "op_ra", "rk_ra", 500, kD10h + 1);
  }
};

TEST_F(ReconcilePayout, PayoutOfTheDaysNetMatches) {
  const Found f = run_job(*db_, kLines + payout("-92.10", "USD"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_TRUE(f.classes.empty()) << *f.classes.begin();
  EXPECT_EQ(f.result.summary.payout_lines, 1);
  EXPECT_EQ(f.result.summary.by_class[static_cast<size_t>(ReconClass::kMatched)], 3);
  // The same value written with more decimals is the same money.
  EXPECT_TRUE(run_job(*db_, kLines + payout("-92.1000", "USD")).classes.empty());
}

TEST_F(ReconcilePayout, DriftedPayoutIsAPayoutMismatch) {
  const Found f = run_job(*db_, kLines + payout("-92.11", "USD"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.classes, (std::multiset<std::string>{"payout-mismatch"}));
  ASSERT_EQ(f.payouts.size(), 1u);
  const Discrepancy& d = f.payouts[0];
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.merchant_reference, "payout:2026-03-10:USD");
  EXPECT_EQ(d.type, "payout");
  EXPECT_EQ(d.currency, "USD");
  EXPECT_NE(d.detail.find("paid out -92.11 USD for 2026-03-10, whose lines net 92.10 USD"),
            std::string::npos)
      << d.detail;
  EXPECT_NE(d.detail.find("off by -0.01"), std::string::npos) << d.detail;
  // A payout is money to the bank: its sign matters (92.10 is not minus 92.10).
  EXPECT_EQ(run_job(*db_, kLines + payout("92.10", "USD")).payouts.size(), 1u);
  // Split over two payout lines, the day still nets to zero.
  const std::string split =
      payout("-90.00", "USD") + payout("-2.10", "USD", "2026-03-10", "po_usd_2");
  EXPECT_TRUE(run_job(*db_, kLines + split).classes.empty());
}

TEST_F(ReconcilePayout, PayoutInAnotherCurrencyMismatchesBothCurrencies) {
  const Found f = run_job(*db_, kLines + payout("-92.10", "EUR"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  ASSERT_EQ(f.payouts.size(), 2u);
  // By currency: EUR, paid out with no EUR lines; USD, never paid out on a day that pays out.
  EXPECT_EQ(f.payouts[0].currency, "EUR");
  EXPECT_EQ(f.payouts[0].merchant_reference, "payout:2026-03-10:EUR");
  EXPECT_NE(f.payouts[0].detail.find("whose lines net 0 EUR"), std::string::npos)
      << f.payouts[0].detail;
  EXPECT_EQ(f.payouts[1].currency, "USD");
  EXPECT_EQ(f.payouts[1].line, 0);
  EXPECT_EQ(f.payouts[1].report, "report.csv");
  EXPECT_NE(f.payouts[1].detail.find("no payout in USD for 2026-03-10"), std::string::npos)
      << f.payouts[1].detail;
}

TEST_F(ReconcilePayout, ADayWithoutPayoutsIsNotChecked) {
  // Reports that leave payouts out (paid out elsewhere) are not payout discrepancies.
  const Found f = run_job(*db_, kLines);
  ASSERT_TRUE(f.result.ok);
  EXPECT_TRUE(f.classes.empty());
  // Another day's payout does not make this day's missing.
  EXPECT_TRUE(run_job(*db_, kLines + payout("0.00", "USD", "2026-03-11")).classes.empty());
}

TEST_F(ReconcilePayout, ADuplicatedPayoutIsADuplicateOnly) {
  const Found f = run_job(*db_, kLines + payout("-92.10", "USD") + payout("-92.10", "USD"));
  ASSERT_TRUE(f.result.ok);
  EXPECT_EQ(f.classes, (std::multiset<std::string>{"duplicate"}));
  EXPECT_EQ(f.result.summary.payout_lines, 2);
}

TEST_F(ReconcilePayout, PayoutsAreCheckedAgainKnowingTheWholeDay) {
  // A payout before its day's lines, and a day split over two reports: the check waits for
  // every report of the run.
  std::istringstream first(std::string(kSettlementCsvHeader) + "\n" + payout("-92.10", "USD"));
  std::istringstream second(kLines);
  int mismatches = 0;
  const ReconcileResult r =
      reconcile(*db_, {ReportInput{"a.csv", &first}, ReportInput{"b.csv", &second}}, {},
                [&](const Discrepancy& d) { mismatches += d.cls == ReconClass::kPayoutMismatch; });
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(mismatches, 0);
}

TEST_F(ReconcilePayout, PlantedIgnoresPayoutsMissesTheDrift) {
  ReconcileOptions options;
  options.planted.plant(Defect::kReconIgnoresPayouts);
  const Found f = run_job(*db_, kLines + payout("-92.11", "USD"), options);
  ASSERT_TRUE(f.result.ok);
  EXPECT_TRUE(f.payouts.empty());
}

// The property: a day's lines in random currencies and amounts (written with the currency's
// decimals or one more), payouts of minus the day's net per currency, some drifted and some
// left out. The job flags exactly the drifted currencies and, when the day pays out at all,
// the left-out ones whose lines do not net to zero. The model sums integers.
TEST(ReconcilePayoutProperty, FlagsExactlyTheCurrenciesWhosePayoutIsOff) {
  reckon::test::check_property([] {
    const std::vector<std::string> currencies{"USD", "JPY", "KWD"};
    const std::vector<std::string> types{"capture", "refund", "fee", "chargeback"};
    const auto count = *rc::gen::inRange(0, 9);
    std::string report = std::string(kSettlementCsvHeader) + "\n";
    std::map<std::string, int64_t> net_minor;  // the model
    for (int i = 0; i < count; ++i) {
      const std::string currency = *rc::gen::elementOf(currencies);
      const int exponent = find_currency(currency)->exponent;
      const int64_t net = *rc::gen::inRange<int64_t>(-1'000'000, 1'000'001);
      const bool extra_decimal = *rc::gen::arbitrary<bool>();
      const DecimalAmount written =
          extra_decimal ? DecimalAmount{net * 10, exponent + 1} : DecimalAmount{net, exponent};
      const std::string amount = format_decimal(written);
      report += "psp_" + std::to_string(i) + ",rk_" + std::to_string(i) + "," +
                *rc::gen::elementOf(types) + "," + amount + ",0," + amount + "," + currency +
                ",2026-03-10,2026-03-10T10:00:00Z\n";
      net_minor[currency] += net;
    }
    std::set<std::string> expected;
    std::set<std::string> left_out;
    bool pays_out = false;
    for (const auto& [currency, net] : net_minor) {
      if (*rc::gen::inRange(0, 4) == 0) {
        left_out.insert(currency);
        continue;
      }
      pays_out = true;
      const int64_t drift =
          *rc::gen::oneOf(rc::gen::just<int64_t>(0), rc::gen::inRange<int64_t>(-3, 4));
      if (drift != 0) expected.insert(currency);
      const int exponent = find_currency(currency)->exponent;
      report += payout(format_decimal({-net + drift, exponent}), currency);
    }
    for (const auto& currency : left_out) {
      if (pays_out && net_minor[currency] != 0) expected.insert(currency);
    }
    RC_CLASSIFY(!expected.empty(), "some payout is off");
    auto db = reckon::testing::open_engine_db(":memory:");
    RC_ASSERT(db != nullptr);
    const Found f = run_job(*db, report);
    RC_ASSERT(f.result.ok);
    std::set<std::string> flagged;
    for (const auto& d : f.payouts) flagged.insert(d.currency);
    RC_ASSERT(f.payouts.size() == flagged.size());  // at most one per day and currency
    RC_ASSERT(flagged == expected);
  });
}

}  // namespace
}  // namespace reckon::engine
