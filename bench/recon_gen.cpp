// Generates a reconciliation workload: an engine database with N captured charges and the
// PSP's settlement report for them (N lines, one in 1000 with a discrepancy, and the day's
// payout, which matches), for measuring
// `reckon reconcile` on large reports (docs/reconciliation.md, Memory). Not test data: the
// files are written where asked and never committed.
//
//   reckon_recon_gen --lines 1000000 --db /tmp/recon.db --report /tmp/recon.csv
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "engine/reconcile/reconciler.h"
#include "engine/reconcile/settlement_csv.h"
#include "engine/store/db.h"
#include "engine/store/records.h"
#include "engine/store/schema.h"

namespace {

using namespace reckon::engine;

constexpr int64_t kDayUs = 86'400'000'000;

int usage() {
  std::cerr << "usage: reckon_recon_gen --lines N --db FILE --report FILE.csv\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t lines = 0;
  std::string db_path;
  std::string report_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--lines") {
      lines = std::strtoll(argv[i + 1], nullptr, 10);
    } else if (flag == "--db") {
      db_path = argv[i + 1];
    } else if (flag == "--report") {
      report_path = argv[i + 1];
    } else {
      return usage();
    }
  }
  if (lines <= 0 || db_path.empty() || report_path.empty() || argc % 2 == 0) return usage();
  std::remove(db_path.c_str());
  Status s;
  auto db = Db::open(db_path, "", s);
  if (!db || !(s = apply_schema(*db)).ok) {
    std::cerr << "cannot create " << db_path << ": " << s.message << "\n";
    return 1;
  }
  std::ofstream report(report_path, std::ios::trunc | std::ios::binary);
  report << kSettlementCsvHeader << "\n";
  const int64_t day = *parse_date("2026-03-10");
  const int64_t base_us = day * kDayUs + 8LL * 3'600'000'000;  // 08:00, well before 22:00
  int64_t day_net_minor = 0;  // what the day's payout must pay out (docs/reconciliation.md)
  s = in_transaction(*db, [&]() -> Status {
    char key[32];
    for (int64_t i = 0; i < lines; ++i) {
      const std::string id = "ch_" + std::to_string(i);
      std::snprintf(key, sizeof key, "rk_%016llx", static_cast<unsigned long long>(i));
      const int64_t amount = 100 + (i * 7919) % 99'900;
      const int64_t at_us = base_us + i * 10'000;  // 100 per second: all before the cut-off
      ChargeRow c{id,    "m_bench", amount, "USD", "tok_" + id,
                  false, "pending", 0,      0,     "psp_" + std::to_string(i),
                  at_us};
      Status w = insert_charge(*db, c, at_us);  // a charge starts pending (schema trigger)
      if (!w.ok) return w;
      c.status = "captured";
      c.captured_minor = amount;
      w = update_charge(*db, c, at_us);
      if (!w.ok) return w;
      w = insert_operation(*db,
                           OperationRow{"op_" + id, id, "capture", amount, "succeeded", key, 1,
                                        "m_bench", "k_" + id},
                           at_us);
      if (!w.ok) return w;
      // One line in 1000 drifts by a minor unit, so the run books corrections too.
      const int64_t gross = amount + (i % 1000 == 999 ? 1 : 0);
      const int64_t fee = expected_fee_minor(SettlementType::kCapture, amount, 290);
      report << "psp_" << i << ',' << key << ",capture," << format_decimal({gross, 2}) << ','
             << format_decimal({fee, 2}) << ',' << format_decimal({gross - fee, 2})
             << ",USD,2026-03-10," << format_timestamp(at_us) << '\n';
      day_net_minor += gross - fee;
    }
    // The day's payout, matching its lines, at the cut-off: the job checks it as it ends.
    const int64_t paid = -day_net_minor;
    report << "po_2026-03-10_USD,payout:2026-03-10:USD,payout," << format_decimal({paid, 2})
           << ",0.00," << format_decimal({paid, 2}) << ",USD,2026-03-10,"
           << format_timestamp(day * kDayUs + 22LL * 3'600'000'000) << '\n';
    return Status::success();
  });
  if (!s.ok || !report) {
    std::cerr << "generation failed: " << s.message << "\n";
    return 1;
  }
  std::cout << "wrote " << lines << " charges to " << db_path << " and " << lines << " lines to "
            << report_path << "\n";
  return 0;
}
