#pragma once
// The PSP's daily settlement report as CSV (docs/reconciliation.md): a strict, streaming
// reader that validates every field and names the line and column of the first problem,
// and the formatting helpers the simulated PSP uses to write one.
//
// Columns, in this order, with this header line:
//   psp_reference,merchant_reference,type,gross,fee,net,currency,settlement_date,event_time
// Amounts are decimal strings in major units ("49.99", "-5", "1.234"); they are kept as
// written (digits and decimal places) so the job can tell a rounding from a wrong amount.

#include <array>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "engine/planted.h"

namespace reckon::engine {

inline constexpr std::string_view kSettlementCsvHeader =
    "psp_reference,merchant_reference,type,gross,fee,net,currency,settlement_date,event_time";
inline constexpr int kSettlementCsvColumns = 9;
// A line longer than this is refused (the reader never buffers more than one line).
inline constexpr size_t kSettlementCsvMaxLine = 4096;

enum class SettlementType { kCapture, kRefund, kFee, kChargeback, kPayout };
std::string_view to_string(SettlementType type);
std::optional<SettlementType> parse_settlement_type(std::string_view text);

// A decimal as written: value = units / 10^decimals. No floating point.
struct DecimalAmount {
  int64_t units = 0;
  int decimals = 0;
  bool operator==(const DecimalAmount&) const = default;
};

// "-49.99" -> {-4999, 2}. Digits only, one optional leading '-', at most 18 digits, at most
// 6 decimals; nullopt otherwise.
std::optional<DecimalAmount> parse_decimal(std::string_view text);
// The amount in minor units of a currency with `exponent`, or nullopt when it has more
// (nonzero) decimals than the currency allows, or overflows.
std::optional<int64_t> to_minor_units(const DecimalAmount& amount, int exponent);
// minor units of a currency with `exponent`, expressed with `decimals` decimal places,
// rounding half away from zero when decimals < exponent.
DecimalAmount round_to_decimals(int64_t amount_minor, int exponent, int decimals);
// {-4999, 2} -> "-49.99"; {500, 0} -> "500".
std::string format_decimal(const DecimalAmount& amount);
// a + b exactly, written with the larger number of decimals of the two ({1, 1} + {5, 2} ->
// {15, 2}); nullopt when the sum does not fit in int64.
std::optional<DecimalAmount> add_decimal(const DecimalAmount& a, const DecimalAmount& b);

// Days since 1970-01-01 <-> "YYYY-MM-DD".
std::optional<int64_t> parse_date(std::string_view text);
std::string format_date(int64_t days);
// Microseconds since the Unix epoch <-> "YYYY-MM-DDTHH:MM:SS.ffffffZ" (the fraction is
// optional when parsing, 1 to 6 digits).
std::optional<int64_t> parse_timestamp(std::string_view text);
std::string format_timestamp(int64_t unix_us);
// The settlement day of an event at `unix_us` under a daily cut-off (microseconds after
// midnight UTC): its own day before the cut-off, the next day from the cut-off on.
int64_t settlement_day(int64_t unix_us, int64_t cutoff_us_of_day);

struct SettlementLine {
  int64_t line_number = 0;  // 1 is the header
  std::string psp_reference;
  std::string merchant_reference;
  SettlementType type = SettlementType::kCapture;
  DecimalAmount gross;
  DecimalAmount fee;
  DecimalAmount net;
  std::string currency;
  int64_t settlement_day = 0;  // days since 1970-01-01
  int64_t event_unix_us = 0;
};

struct CsvError {
  int64_t line = 0;
  int column = 0;  // 1-based; 0 when the problem is the line as a whole
  std::string column_name;
  std::string message;
  // "line 7, column 4 (gross): '4x.00' is not a decimal amount"
  std::string str() const;
};

// Reads one report line by line; holds one line in memory at a time.
class SettlementCsvReader {
 public:
  // `planted`: the reader's planted defects (report-amount-unbounded,
  // settlement-date-any-day); none outside tests of the harness.
  explicit SettlementCsvReader(std::istream& in, PlantedDefects planted = {})
      : in_(in), planted_(planted) {}
  // The next data line, or nullopt at the end or on an error (then `error()` is set). The
  // header is checked before the first line.
  std::optional<SettlementLine> next();
  const std::optional<CsvError>& error() const { return error_; }
  int64_t lines_read() const { return line_number_; }

 private:
  bool read_line(std::string& out);
  // Reads and checks the header line (a UTF-8 BOM before it is allowed); false with the
  // error set when it is missing or wrong.
  bool read_header();
  // The line of these columns, or the error naming the first column that is wrong.
  std::optional<SettlementLine> parse_fields(
      const std::array<std::string_view, kSettlementCsvColumns>& fields);
  std::optional<SettlementLine> fail(int column, std::string message);

  std::istream& in_;
  PlantedDefects planted_;
  int64_t line_number_ = 0;
  bool header_checked_ = false;
  std::optional<CsvError> error_;
};

// Reads a whole report only to validate it (as the reader does under `planted`); the first
// error, or nullopt. Used before a run so that nothing is reported or booked from a file
// that turns out to be malformed.
std::optional<CsvError> validate_settlement_csv(std::istream& in, int64_t& data_lines,
                                                const PlantedDefects& planted = {});

}  // namespace reckon::engine
