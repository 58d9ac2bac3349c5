#include "oracle/settlement_text.h"

#include <cstdlib>

#include "oracle/currencies.h"

namespace reckon::oracle {

namespace {

std::string padded(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// Floor division, so that times before 1970 fall on the right day.
int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::string decimal_text(const Decimal& amount) {
  const bool negative = amount.units < 0;
  // Magnitude as unsigned, so INT64_MIN is written right too.
  const unsigned long long magnitude = negative
                                           ? 0ULL - static_cast<unsigned long long>(amount.units)
                                           : static_cast<unsigned long long>(amount.units);
  std::string digits = std::to_string(magnitude);
  if (amount.decimals > 0) {
    const size_t places = static_cast<size_t>(amount.decimals);
    if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
    digits.insert(digits.size() - places, ".");
  }
  return negative ? "-" + digits : digits;
}

bool add_decimals(const Decimal& a, const Decimal& b, Decimal& sum) {
  const int decimals = a.decimals > b.decimals ? a.decimals : b.decimals;
  int64_t x = a.units;
  int64_t y = b.units;
  for (int i = a.decimals; i < decimals; ++i) {
    if (__builtin_mul_overflow(x, 10, &x)) return false;
  }
  for (int i = b.decimals; i < decimals; ++i) {
    if (__builtin_mul_overflow(y, 10, &y)) return false;
  }
  int64_t total = 0;
  if (__builtin_add_overflow(x, y, &total)) return false;
  sum = Decimal{total, decimals};
  return true;
}

Decimal with_decimals(int64_t amount_minor, int exponent, int decimals) {
  if (decimals >= exponent) {
    return Decimal{amount_minor * minor_units_per_major(decimals - exponent), decimals};
  }
  const long long step = minor_units_per_major(exponent - decimals);
  const long long magnitude = std::llabs(amount_minor);
  const long long rounded = (magnitude + step / 2) / step;  // half away from zero
  return Decimal{amount_minor < 0 ? -rounded : rounded, decimals};
}

std::string date_text(int64_t days) {
  // Civil date from a day count: shift the epoch to 0000-03-01 so that leap days fall at the
  // end of a year, then split into 400-year eras of 146097 days.
  const int64_t shifted = days + 719'468;
  const int64_t era = floor_div(shifted, 146'097);
  const int64_t day_of_era = shifted - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
  const int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2);
}

std::string timestamp_text(int64_t unix_us) {
  const int64_t day = floor_div(unix_us, kMicrosPerDay);
  const int64_t of_day = unix_us - day * kMicrosPerDay;
  const int64_t seconds = of_day / 1'000'000;
  return date_text(day) + "T" + padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2) +
         ":" + padded(seconds % 60, 2) + "." + padded(of_day % 1'000'000, 6) + "Z";
}

int64_t settlement_day_of(int64_t unix_us, int64_t cutoff_us_of_day) {
  const int64_t day = floor_div(unix_us, kMicrosPerDay);
  const int64_t of_day = unix_us - day * kMicrosPerDay;
  return of_day < cutoff_us_of_day ? day : day + 1;
}

int64_t capture_fee_minor(int64_t gross_minor, int64_t fee_bps) {
  if (gross_minor <= 0) return 0;
  const int64_t numerator = gross_minor * fee_bps;
  const int64_t fee = numerator / 10'000;
  return (numerator % 10'000) * 2 >= 10'000 ? fee + 1 : fee;  // half away from zero
}

}  // namespace reckon::oracle
