#pragma once
// Building blocks of the behaviours: operations as the harness sends them, fault plans, and
// judgements of one operation's run that return what went wrong (nullopt: nothing).

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/behaviours.h"
#include "adapters/session.h"

namespace reckon::adapters {

using Problem = std::optional<std::string>;

nlohmann::json authorize_op(Session& s, int64_t amount_minor, const std::string& currency,
                            bool capture, std::string key = "");
// `authorized_minor`: the authorization's amount, so that an adapter without partial
// capture can tell a partial capture (protocol v1, added field; docs/adapters.md).
nlohmann::json capture_op(Session& s, const std::string& authorization_id, int64_t amount_minor,
                          const std::string& currency, int64_t authorized_minor);
nlohmann::json void_op(Session& s, const std::string& authorization_id);
// `captured_minor`, `refunded_minor`: what the engine's records hold for the authorization
// before this refund, so that an adapter without multiple refunds can tell a second refund
// (protocol v1, added fields; docs/adapters.md).
nlohmann::json refund_op(Session& s, const std::string& authorization_id, int64_t amount_minor,
                         const std::string& currency, int64_t captured_minor,
                         int64_t refunded_minor);
nlohmann::json lookup_op(const std::string& key);
nlohmann::json settlement_op(const std::string& date);

// Plans: the quiet one with one fault kind at `rate` (num/den).
faults::FaultPlan plan_quiet();
faults::FaultPlan plan_response_loss(uint32_t num, uint32_t den);
faults::FaultPlan plan_request_loss();
faults::FaultPlan plan_error_before(uint32_t num, uint32_t den);
faults::FaultPlan plan_error_after(uint32_t num, uint32_t den);
faults::FaultPlan plan_decline();
// Loss both ways, duplicates, 5xx before and after, declines: the weather of a bad day.
faults::FaultPlan plan_mixed();

Problem outcome_is(const OpRun& r, std::initializer_list<const char*> allowed);
// Every request of the operation carried its key unchanged.
Problem key_passed(const OpRun& r);
// Every request of the operation carried one and the same key (whatever it is).
Problem one_key(const OpRun& r);
Problem no_requests(const OpRun& r);
Problem at_most_requests(const OpRun& r, size_t n);
// The result reports what the PSP holds for this authorization: its id, state and amount.
Problem reports(const OpRun& r, const std::string& authorization_id, const char* state,
                int64_t amount_minor);
// The PSP's charge behind an authorize operation (by key), or a problem.
const sim::PspCharge* charge_by_key(const Session& s, const std::string& key);
// The PSP's authorization by its id (nullptr: none).
const sim::PspCharge* charge_by_id(const Session& s, const std::string& id);
// The PSP holds exactly these captured and refunded amounts for authorization `id`.
Problem psp_amounts(const Session& s, const std::string& id, int64_t captured, int64_t refunded);

// The first problem of several, as a verdict.
Verdict judge(std::initializer_list<Problem> problems);

}  // namespace reckon::adapters
