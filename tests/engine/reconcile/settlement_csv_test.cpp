// The settlement report reader: every field validated, errors name line and column.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>

#include "engine/reconcile/settlement_csv.h"

namespace reckon::engine {
namespace {

const std::string kHeader = std::string(kSettlementCsvHeader) + "\n";
const std::string kGood =
    "psp_1,rk_a,capture,100.00,2.90,97.10,USD,2026-03-10,2026-03-10T10:00:00.000000Z\n";

// The first error reading `text`, or an empty error when it reads cleanly.
CsvError first_error(const std::string& text, int64_t* lines = nullptr) {
  std::istringstream in(text);
  SettlementCsvReader reader(in);
  int64_t n = 0;
  while (reader.next()) ++n;
  if (lines) *lines = n;
  return reader.error().value_or(CsvError{});
}

TEST(SettlementCsv, ReadsAGoodLine) {
  std::istringstream in(kHeader + kGood);
  SettlementCsvReader reader(in);
  auto line = reader.next();
  ASSERT_TRUE(line) << reader.error()->str();
  EXPECT_EQ(line->line_number, 2);
  EXPECT_EQ(line->psp_reference, "psp_1");
  EXPECT_EQ(line->merchant_reference, "rk_a");
  EXPECT_EQ(line->type, SettlementType::kCapture);
  EXPECT_EQ(line->gross, (DecimalAmount{10000, 2}));
  EXPECT_EQ(line->fee, (DecimalAmount{290, 2}));
  EXPECT_EQ(line->net, (DecimalAmount{9710, 2}));
  EXPECT_EQ(line->currency, "USD");
  EXPECT_EQ(format_date(line->settlement_day), "2026-03-10");
  EXPECT_EQ(format_timestamp(line->event_unix_us), "2026-03-10T10:00:00.000000Z");
  EXPECT_FALSE(reader.next());
  EXPECT_FALSE(reader.error());
}

TEST(SettlementCsv, AcceptsCrlfAndAMissingFinalNewline) {
  std::string crlf = kHeader + kGood;
  for (size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2)) {
    crlf.insert(at, "\r");
  }
  int64_t lines = 0;
  EXPECT_EQ(first_error(crlf, &lines).line, 0);
  EXPECT_EQ(lines, 1);
  EXPECT_EQ(first_error(kHeader + kGood.substr(0, kGood.size() - 1), &lines).line, 0);
  EXPECT_EQ(lines, 1);
}

TEST(SettlementCsv, EachBadFieldIsNamedByLineAndColumn) {
  struct Case {
    std::string line;
    int column;
    std::string column_name;
  };
  const Case cases[] = {
      {",rk_a,capture,1.00,0.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 1, "psp_reference"},
      {"psp_1,rk a,capture,1.00,0.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 2,
       "merchant_reference"},
      {"psp_1,rk_a,settled,1.00,0.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 3, "type"},
      {"psp_1,rk_a,capture,1.0x,0.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 4, "gross"},
      {"psp_1,rk_a,capture,1.00,.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 5, "fee"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97.1,USD,2026-03-10,2026-03-10T10:00:00Z", 6, "net"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,usd,2026-03-10,2026-03-10T10:00:00Z", 7, "currency"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,XXX,2026-03-10,2026-03-10T10:00:00Z", 7, "currency"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,USD,2026-02-30,2026-03-10T10:00:00Z", 8,
       "settlement_date"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,USD,2026-03-10,2026-03-10 10:00:00", 9, "event_time"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,USD,2026-03-10,2026-03-10T24:00:00Z", 9, "event_time"},
      {"psp_1,rk_a,capture,1.00,0.03,0.97,USD,2026-03-10", 9, "event_time"},
      {"psp_1,rk_a,capture", 4, "gross"},
      // Issue 19, item 10: a fee that made the reconciler's difference wrap int64. Every
      // amount is under 10^9 major units of the line's currency.
      {"psp_1,rk_a,capture,12.50,-92233720368547758.0,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 5,
       "fee"},
      {"psp_1,rk_a,capture,1000000000.00,0.03,0.97,USD,2026-03-10,2026-03-10T10:00:00Z", 4,
       "gross"},
      {"psp_1,rk_a,capture,1.00,0.03,-1000000000,JPY,2026-03-10,2026-03-10T10:00:00Z", 6, "net"},
  };
  for (const auto& c : cases) {
    // The bad line is the third line of the file: header, a good line, then it.
    const CsvError e = first_error(kHeader + kGood + c.line + "\n" + kGood);
    EXPECT_EQ(e.line, 3) << c.line;
    EXPECT_EQ(e.column, c.column) << c.line << ": " << e.str();
    EXPECT_EQ(e.column_name, c.column_name) << c.line;
    EXPECT_NE(
        e.str().find("line 3, column " + std::to_string(c.column) + " (" + c.column_name + ")"),
        std::string::npos)
        << e.str();
  }
}

TEST(SettlementCsv, AmountsJustUnderTheMaximumAreRead) {
  EXPECT_EQ(
      first_error(kHeader + "psp_1,rk_a,capture,999999999.99,-999999999.999999,0.97,USD,2026-03-10,"
                            "2026-03-10T10:00:00Z\n")
          .line,
      0);
}

TEST(SettlementCsv, WholeLineProblems) {
  EXPECT_NE(first_error("").message.find("empty file"), std::string::npos);
  CsvError e = first_error("psp_reference,merchant_reference\n" + kGood);
  EXPECT_EQ(e.line, 1);
  EXPECT_NE(e.message.find("expected the header"), std::string::npos);
  e = first_error(kHeader + kGood.substr(0, kGood.size() - 1) + ",extra\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.message.find("more than 9 columns"), std::string::npos);
  e = first_error(kHeader + "\n" + kGood);
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.message.find("empty line"), std::string::npos);
  e = first_error(kHeader + std::string(kSettlementCsvMaxLine + 10, 'a') + "\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.message.find("longer than"), std::string::npos);
}

// docs/reconciliation.md refuses "a line longer than 4096 characters": 4096 is read (and then
// judged field by field), 4097 is refused for its length, with "\n" or "\r\n" line ends.
TEST(SettlementCsv, TheLongestLineIs4096CharactersWithEitherLineEnd) {
  ASSERT_EQ(kSettlementCsvMaxLine, 4096u);
  const std::string line = kGood.substr(0, kGood.size() - 1);  // without its "\n"
  for (const std::string end : {"\n", "\r\n"}) {
    const std::string exact = line + std::string(4096 - line.size(), ' ');
    CsvError e = first_error(kHeader + exact + end);
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.column, 9) << e.str();  // the padded event_time, not the length
    e = first_error(kHeader + exact + " " + end);
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.column, 0) << e.str();
    EXPECT_NE(e.message.find("longer than 4096 characters"), std::string::npos) << e.str();
  }
}

TEST(SettlementCsv, DecimalsAreKeptAsWritten) {
  EXPECT_EQ(parse_decimal("-49.99"), (DecimalAmount{-4999, 2}));
  EXPECT_EQ(parse_decimal("500"), (DecimalAmount{500, 0}));
  EXPECT_EQ(parse_decimal("1.230"), (DecimalAmount{1230, 3}));
  for (const char* bad : {"", "-", ".5", "5.", "1.2.3", "+1", "1e3", "1,5", "1234567890123456789",
                          "0.1234567", " 1"}) {
    EXPECT_FALSE(parse_decimal(bad)) << bad;
  }
  EXPECT_EQ(to_minor_units({4999, 2}, 2), 4999);
  EXPECT_EQ(to_minor_units({50, 0}, 2), 5000);
  EXPECT_EQ(to_minor_units({50000, 2}, 0), 500);
  EXPECT_FALSE(to_minor_units({50037, 2}, 0));
  // Half away from zero when fewer decimals are written.
  EXPECT_EQ(round_to_decimals(1235, 3, 2), (DecimalAmount{124, 2}));
  EXPECT_EQ(round_to_decimals(1234, 3, 2), (DecimalAmount{123, 2}));
  EXPECT_EQ(round_to_decimals(-1235, 3, 2), (DecimalAmount{-124, 2}));
  EXPECT_EQ(round_to_decimals(500, 0, 2), (DecimalAmount{50000, 2}));
  EXPECT_EQ(format_decimal({-4999, 2}), "-49.99");
  EXPECT_EQ(format_decimal({5, 3}), "0.005");
  EXPECT_EQ(format_decimal({500, 0}), "500");
  // Sums are exact, at the larger number of decimals; overflow is refused.
  EXPECT_EQ(add_decimal({12, 1}, {5, 2}), (DecimalAmount{125, 2}));
  EXPECT_EQ(add_decimal({-9710, 2}, {9710, 2}), (DecimalAmount{0, 2}));
  EXPECT_EQ(add_decimal({680, 0}, {-1194, 3}), (DecimalAmount{678806, 3}));
  EXPECT_FALSE(add_decimal({INT64_MAX, 0}, {1, 0}));
  EXPECT_FALSE(add_decimal({INT64_MAX / 10 + 1, 0}, {0, 1}));
}

TEST(SettlementCsv, CutOffMovesLateEventsToTheNextDay) {
  const int64_t day = *parse_date("2026-03-10");
  const int64_t cutoff = 22LL * 3'600'000'000;
  const int64_t before = *parse_timestamp("2026-03-10T21:59:59.999999Z");
  const int64_t at = *parse_timestamp("2026-03-10T22:00:00Z");
  EXPECT_EQ(settlement_day(before, cutoff), day);
  EXPECT_EQ(settlement_day(at, cutoff), day + 1);
  EXPECT_EQ(format_date(*parse_date("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(parse_date("2027-02-29"));
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:01.5Z"), 1'500'000);
}

}  // namespace
}  // namespace reckon::engine
