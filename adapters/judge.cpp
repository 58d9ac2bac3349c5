#include "adapters/judge.h"

namespace reckon::adapters {

nlohmann::json authorize_op(Session& s, int64_t amount_minor, const std::string& currency,
                            bool capture, std::string key) {
  if (key.empty()) key = s.new_key();
  return {{"op", "authorize"},    {"idempotency_key", key},      {"amount_minor", amount_minor},
          {"currency", currency}, {"card_token", s.new_token()}, {"capture", capture}};
}

nlohmann::json capture_op(Session& s, const std::string& authorization_id, int64_t amount_minor,
                          const std::string& currency, int64_t authorized_minor) {
  return {{"op", "capture"},
          {"idempotency_key", s.new_key()},
          {"authorization_id", authorization_id},
          {"amount_minor", amount_minor},
          {"currency", currency},
          {"authorized_minor", authorized_minor}};
}

nlohmann::json void_op(Session& s, const std::string& authorization_id) {
  return {{"op", "void"}, {"idempotency_key", s.new_key()}, {"authorization_id", authorization_id}};
}

nlohmann::json refund_op(Session& s, const std::string& authorization_id, int64_t amount_minor,
                         const std::string& currency, int64_t captured_minor,
                         int64_t refunded_minor) {
  return {{"op", "refund"},
          {"idempotency_key", s.new_key()},
          {"authorization_id", authorization_id},
          {"amount_minor", amount_minor},
          {"currency", currency},
          {"captured_minor", captured_minor},
          {"refunded_minor", refunded_minor}};
}

nlohmann::json lookup_op(const std::string& key) {
  return {{"op", "lookup"}, {"idempotency_key", key}};
}

nlohmann::json settlement_op(const std::string& date) {
  return {{"op", "settlement_report"}, {"date", date}};
}

faults::FaultPlan plan_quiet() {
  return quiet_adapter_plan();
}

faults::FaultPlan plan_response_loss(uint32_t num, uint32_t den) {
  faults::FaultPlan p = quiet_adapter_plan();
  p.network.response_loss = {num, den};
  return p;
}

faults::FaultPlan plan_request_loss() {
  faults::FaultPlan p = quiet_adapter_plan();
  p.network.request_loss = Ratio::always();
  return p;
}

faults::FaultPlan plan_error_before(uint32_t num, uint32_t den) {
  faults::FaultPlan p = quiet_adapter_plan();
  p.psp.error_before_processing = {num, den};
  return p;
}

faults::FaultPlan plan_error_after(uint32_t num, uint32_t den) {
  faults::FaultPlan p = quiet_adapter_plan();
  p.psp.error_after_processing = {num, den};
  return p;
}

faults::FaultPlan plan_decline() {
  faults::FaultPlan p = quiet_adapter_plan();
  p.psp.decline = Ratio::always();
  return p;
}

faults::FaultPlan plan_mixed() {
  faults::FaultPlan p = quiet_adapter_plan();
  p.network.request_loss = {1, 6};
  p.network.response_loss = {1, 5};
  p.network.duplicate = {1, 6};
  p.psp.error_before_processing = {1, 10};
  p.psp.error_after_processing = {1, 10};
  p.psp.decline = {1, 5};
  return p;
}

Problem outcome_is(const OpRun& r, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (r.outcome == a) return std::nullopt;
    list += (list.empty() ? "'" : " or '") + std::string(a) + "'";
  }
  std::string seen;
  for (const Exchange& ex : r.exchanges) {
    seen += seen.empty() ? "" : ", ";
    seen += ex.timed_out ? "timeout" : std::to_string(ex.status);
  }
  return r.describe() + " ended '" + r.outcome + "', expected " + list + " (its " +
         std::to_string(r.exchanges.size()) + " request(s) got: " + (seen.empty() ? "-" : seen) +
         ")";
}

Problem key_passed(const OpRun& r) {
  const std::string key = r.operation.value("idempotency_key", std::string());
  for (size_t i = 0; i < r.exchanges.size(); ++i) {
    if (r.exchanges[i].psp_key != key) {
      return r.describe() + " attempt " + std::to_string(i + 1) + " sent key '" +
             r.exchanges[i].psp_key + "', the operation's key is '" + key + "'";
    }
  }
  return std::nullopt;
}

Problem one_key(const OpRun& r) {
  for (size_t i = 1; i < r.exchanges.size(); ++i) {
    if (r.exchanges[i].psp_key != r.exchanges[0].psp_key) {
      return r.describe() + " attempt " + std::to_string(i + 1) + " sent key '" +
             r.exchanges[i].psp_key + "', attempt 1 sent '" + r.exchanges[0].psp_key + "'";
    }
  }
  return std::nullopt;
}

Problem no_requests(const OpRun& r) {
  if (r.exchanges.empty()) return std::nullopt;
  return r.describe() + " sent " + std::to_string(r.exchanges.size()) +
         " request(s) to the provider; none was expected";
}

Problem at_most_requests(const OpRun& r, size_t n) {
  if (r.exchanges.size() <= n) return std::nullopt;
  return r.describe() + " sent " + std::to_string(r.exchanges.size()) +
         " requests after a definitive answer; expected " + std::to_string(n);
}

Problem reports(const OpRun& r, const std::string& authorization_id, const char* state,
                int64_t amount_minor) {
  if (r.text("authorization_id") != authorization_id) {
    return r.describe() + " reported authorization_id '" + r.text("authorization_id") +
           "', the PSP's is '" + authorization_id + "'";
  }
  if (r.text("state") != state) {
    return r.describe() + " reported state '" + r.text("state") + "', the PSP's is '" + state + "'";
  }
  if (r.integer("amount_minor", -1) != amount_minor) {
    return r.describe() + " reported amount_minor " +
           std::to_string(r.integer("amount_minor", -1)) + ", expected " +
           std::to_string(amount_minor);
  }
  return std::nullopt;
}

const sim::PspCharge* charge_by_key(const Session& s, const std::string& key) {
  return s.psp().charge_for_key(key);
}

const sim::PspCharge* charge_by_id(const Session& s, const std::string& id) {
  auto it = s.psp().charges().find(id);
  return it == s.psp().charges().end() ? nullptr : &it->second;
}

Problem psp_amounts(const Session& s, const std::string& id, int64_t captured, int64_t refunded) {
  const sim::PspCharge* c = charge_by_id(s, id);
  if (c == nullptr) return "the PSP has no authorization " + id;
  if (c->captured_minor != captured || c->refunded_minor != refunded) {
    return "the PSP holds " + id + " captured " + std::to_string(c->captured_minor) +
           ", refunded " + std::to_string(c->refunded_minor) + "; expected captured " +
           std::to_string(captured) + ", refunded " + std::to_string(refunded);
  }
  return std::nullopt;
}

Verdict judge(std::initializer_list<Problem> problems) {
  for (const Problem& p : problems) {
    if (p) return Verdict::fail(*p);
  }
  return Verdict::pass();
}

}  // namespace reckon::adapters
