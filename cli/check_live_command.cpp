// reckon check-live: after a live run (reckon serve + reckon psp-sim + reckon load, with or
// without kills), checks what it left behind against the properties the simulator checks:
//   ledger                           docs/ledger.md's rules, judged by the checkers' own
//                                    statement of them (cli/live_ledger_check.h), never by
//                                    the engine's verifier
//   no-double-charge                 no card token holds two successful PSP authorizations
//   acknowledged-operation-survives  every final answer a client received is in the database
//   engine-psp-agreement             every PSP authorization belongs to an engine charge in
//                                    the same state
//   liveness                         no charge is left pending or unknown
// Exit 0 when all hold, 1 when one fails, 2 on bad input.
#include <sqlite3.h>

#include <boost/asio/io_context.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/live_commands.h"
#include "cli/live_ledger_check.h"
#include "engine/store/db.h"
#include "live/address.h"
#include "live/http_exchange.h"

namespace reckon::cli {
namespace {

using nlohmann::json;

struct EngineCharge {
  std::string status;
  int64_t amount = 0;
  std::string currency;
  std::string psp_charge_id;
};

std::optional<json> fetch_psp_charges(const std::string& url, std::string& error) {
  const auto endpoint = live::parse_http_url(url, error);
  if (!endpoint) return std::nullopt;
  engine::HttpRequest request;
  request.method = "GET";
  request.target = "/admin/charges";
  live::HttpAnswer answer;
  boost::asio::io_context io;
  live::http_exchange(io, *endpoint, request, std::chrono::seconds(10),
                      [&answer](const live::HttpAnswer& a) { answer = a; });
  io.run();
  if (answer.status == 0) {
    error = "cannot reach the PSP: " + answer.body;
    return std::nullopt;
  }
  json charges = json::parse(answer.body, nullptr, false);
  if (answer.status != 200 || !charges.is_array()) {
    error = "GET /admin/charges did not answer 200 with a JSON array";
    return std::nullopt;
  }
  return charges;
}

std::optional<std::map<std::string, EngineCharge>> load_engine_charges(const std::string& path,
                                                                       std::string& error) {
  engine::Status status;
  // Waits a moment for the server's write lock (it may be recovering the WAL after a restart).
  const auto db = engine::Db::open_read_only(path, status);
  if (!db) {
    error = status.message;
    return std::nullopt;
  }
  engine::Statement* charges = db->try_prepare(
      "SELECT id, status, amount_minor, currency, coalesce(psp_charge_id, '') FROM charges",
      status);
  if (charges == nullptr) {
    error = "'" + path + "' is not an engine database: " + status.message;
    return std::nullopt;
  }
  std::map<std::string, EngineCharge> out;
  int rc = SQLITE_ROW;
  while ((rc = charges->step()) == SQLITE_ROW) {
    out[charges->column_text(0)] = EngineCharge{charges->column_text(1), charges->column_int(2),
                                                charges->column_text(3), charges->column_text(4)};
  }
  charges->reset();
  if (rc != SQLITE_DONE) {
    error = "cannot read the charges of '" + path + "': " + db->last_error();
    return std::nullopt;
  }
  return out;
}

class Verdicts {
 public:
  void fail(const std::string& property, const std::string& detail) {
    if (++failures_[property] <= 5) std::cout << "FAIL " << property << ": " << detail << "\n";
  }
  void report(const std::string& property, const std::string& summary) {
    const int n = failures_[property];
    if (n == 0) std::cout << "ok   " << property << ": " << summary << "\n";
    if (n > 5) std::cout << "     (" << n - 5 << " more " << property << " failures)\n";
  }
  bool all_held() const {
    for (const auto& [name, n] : failures_) {
      if (n > 0) return false;
    }
    return true;
  }

 private:
  std::map<std::string, int> failures_;
};

// Reads reckon load's acknowledgements, one JSON object per line; false (and a message on
// stderr) at the first line that is not one.
bool read_acks(std::istream& in, const std::string& path, std::vector<json>& acks) {
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    json ack = json::parse(line, nullptr, false);
    if (!ack.is_object() || !ack.contains("charge") || !ack["charge"].is_object()) {
      std::cerr << "reckon check-live: --acks '" << path << "' line " << line_number
                << ": not an acknowledgement written by reckon load\n";
      return false;
    }
    acks.push_back(std::move(ack));
  }
  return true;
}

// What the PSP says it holds against the engine: no card token with two live successful
// authorizations; unless safety_only, every PSP authorization is an engine charge in the
// same state.
void check_psp_charges(const std::map<std::string, EngineCharge>& charges, const json& psp_charges,
                       bool safety_only, Verdicts& v) {
  std::map<std::string, int> successes_by_token;
  std::map<std::string, const EngineCharge*> engine_by_psp_id;
  for (const auto& [id, charge] : charges) {
    if (!charge.psp_charge_id.empty()) engine_by_psp_id[charge.psp_charge_id] = &charge;
  }
  int psp_successes = 0;
  for (const json& c : psp_charges) {
    const std::string state = c.value("state", "");
    if (state == "declined") continue;
    ++psp_successes;
    const std::string token = c.value("card_token", "");
    if (state != "voided" && ++successes_by_token[token] == 2) {
      v.fail("no-double-charge", "card token " + token + " holds two successful authorizations");
    }
    const std::string psp_id = c.value("authorization_id", "");
    if (safety_only) continue;
    auto it = engine_by_psp_id.find(psp_id);
    if (it == engine_by_psp_id.end()) {
      v.fail("engine-psp-agreement",
             "PSP authorization " + psp_id + " (" + state + ") belongs to no engine charge");
    } else if (it->second->status != state) {
      v.fail("engine-psp-agreement", "PSP authorization " + psp_id + " is " + state +
                                         ", the engine says " + it->second->status);
    }
  }
  v.report("no-double-charge", std::to_string(successes_by_token.size()) + " card tokens charged");
  if (!safety_only) {
    v.report("engine-psp-agreement",
             std::to_string(psp_successes) + " PSP authorizations match engine charges");
  }
}

}  // namespace

int do_check_live(const CheckLiveOptions& o) {
  std::string error;
  // The acknowledgements are read before the database: an answer a client holds was
  // committed before it was sent, so every acknowledgement read now must be in any snapshot
  // taken after. (The other order races with a server still answering.)
  std::ifstream acks_file(o.acks);
  if (!acks_file) {
    std::cerr << "reckon check-live: cannot read --acks '" << o.acks << "'\n";
    return kExitBadInput;
  }
  std::vector<json> acks;
  if (!read_acks(acks_file, o.acks, acks)) return kExitBadInput;
  const LiveLedgerVerdict ledger = judge_live_ledger(o.db);
  if (ledger.bad_input) {
    std::cerr << "reckon check-live: --db '" << o.db << "': " << ledger.message << "\n";
    return kExitBadInput;
  }
  const auto charges = load_engine_charges(o.db, error);
  const auto psp_charges = charges ? fetch_psp_charges(o.psp, error) : std::nullopt;
  if (!charges || !psp_charges) {
    std::cerr << "reckon check-live: " << error << "\n";
    return kExitBadInput;
  }
  Verdicts v;
  if (!ledger.sound) v.fail("ledger", ledger.message);
  v.report("ledger", ledger.message);

  check_psp_charges(*charges, *psp_charges, o.safety_only, v);
  for (const json& ack : acks) {
    const json& told = ack["charge"];
    const std::string id = told.value("id", "");
    auto it = charges->find(id);
    if (it == charges->end()) {
      v.fail("acknowledged-operation-survives",
             "charge " + id + " was acknowledged and is missing");
    } else if (it->second.status != told.value("status", "") ||
               it->second.amount != told.value("amount", int64_t{0})) {
      v.fail("acknowledged-operation-survives", "charge " + id + " was acknowledged as " +
                                                    told.value("status", "") + " and is " +
                                                    it->second.status);
    }
  }
  v.report("acknowledged-operation-survives",
           std::to_string(acks.size()) + " acknowledged charges present");

  if (o.safety_only) return v.all_held() ? kExitPassed : kExitPropertyFailed;
  for (const auto& [id, charge] : *charges) {
    if (charge.status == "pending" || charge.status == "unknown") {
      v.fail("liveness", "charge " + id + " is still " + charge.status);
    }
  }
  v.report("liveness", std::to_string(charges->size()) + " charges, none unresolved");
  return v.all_held() ? kExitPassed : kExitPropertyFailed;
}

}  // namespace reckon::cli
