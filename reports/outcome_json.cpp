#include "reports/outcome_json.h"

#include "reports/transition_matrix.h"

namespace reckon::reports {
namespace {

sim::RunStats stats_from_json(const nlohmann::json& j) {
  sim::RunStats s;
  j.at("orders").get_to(s.orders);
  j.at("authorized").get_to(s.authorized);
  j.at("captured").get_to(s.captured);
  j.at("declined").get_to(s.declined);
  j.at("abandoned").get_to(s.abandoned);
  j.at("unexpected_responses").get_to(s.unexpected_responses);
  j.at("engine_crashes").get_to(s.engine_crashes);
  j.at("fault_decisions").get_to(s.fault_decisions);
  j.at("psp_charges").get_to(s.psp_charges);
  // Absent from reports written before PSP webhooks existed.
  s.psp_webhook_events = j.value("psp_webhook_events", uint64_t{0});
  s.psp_webhook_deliveries = j.value("psp_webhook_deliveries", uint64_t{0});
  s.webhook_retry_gaps_judged = j.value("webhook_retry_gaps_judged", uint64_t{0});
  s.psp_drives_judged = j.value("psp_drives_judged", uint64_t{0});
  j.at("ledger_entries").get_to(s.ledger_entries);
  j.at("events").get_to(s.events);
  j.at("messages").get_to(s.messages);
  j.at("virtual_duration_us").get_to(s.virtual_duration_us);
  return s;
}

}  // namespace

sim::SeedOutcome outcome_from_json(const nlohmann::json& run) {
  sim::SeedOutcome out;
  auto& r = out.result;
  run.at("seed").get_to(r.seed);
  run.at("trace_hash").get_to(r.trace_hash);
  run.at("trace_lines").get_to(r.trace_lines);
  r.stats = stats_from_json(run.at("stats"));
  for (const auto& f : run.at("failures")) {
    sim::Failure failure;
    f.at("property").get_to(failure.property);
    f.at("payment").get_to(failure.payment);
    f.at("detail").get_to(failure.detail);
    f.at("at_us").get_to(failure.at_us);
    r.failures.push_back(std::move(failure));
  }
  if (run.contains("transitions")) r.transitions = transitions_from_json(run.at("transitions"));
  if (run.contains("determinism")) {
    const auto& d = run.at("determinism");
    out.determinism_checked = d.at("checked").get<bool>();
    d.at("deterministic").get_to(out.deterministic);
    d.at("second_trace_hash").get_to(out.second_trace_hash);
    if (d.contains("divergence")) {  // added with issue 6
      const auto& v = d.at("divergence");
      sim::TraceDivergence div;
      v.at("event_index").get_to(div.event_index);
      v.at("first").get_to(div.first);
      v.at("second").get_to(div.second);
      out.divergence = div;
    }
  }
  return out;
}

}  // namespace reckon::reports
