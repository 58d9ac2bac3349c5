#include "adapters/check.h"

#include "adapters/card_data.h"
#include "reports/xml_escape.h"

namespace reckon::adapters {

bool CheckResult::passed() const {
  return !adapter_error && count(Status::kFailed) == 0 && count(Status::kNotRun) == 0;
}

size_t CheckResult::count(Status status) const {
  size_t n = 0;
  for (const auto& r : results) n += r.status == status ? 1 : 0;
  return n;
}

Capabilities handshake(AdapterLink& link) {
  const nlohmann::json hello = link.exchange({{"type", "hello"}, {"protocol", kProtocolVersion}},
                                             "the handshake answer 'hello'");
  return read_hello(hello, link.last_line());
}

namespace {

// Every session of every behaviour is scanned for card data as it ends (docs/adapters.md:
// no card data in an adapter's logs, whatever it was asked to do); the first find is
// no-card-data-in-logs' to report.
void watch_for_card_data(Session& session, const std::string& behaviour,
                         std::optional<CardDataFind>& first_found) {
  session.on_end([&first_found, behaviour](const Session& ended) {
    if (first_found) return;
    const std::vector<std::string> keys = ended.identifiers();
    if (const auto found =
            card_data_in_output(ended.adapter_log(), ended.results_log(), ended.tokens(), keys)) {
      first_found = CardDataFind{"during behaviour " + behaviour + " (seed " +
                                     std::to_string(ended.seed()) + "), " + *found,
                                 ended.seed()};
    }
  });
}

// One behaviour over the seeds: the first failing seed, or a pass.
void run_behaviour(AdapterLink& link, const Capabilities& caps, const CheckOptions& o,
                   BehaviourResult& out, uint64_t& current_seed,
                   std::optional<CardDataFind>& card_data_found) {
  const Behaviour& b = *out.behaviour;
  if (b.skip) {
    if (auto why = b.skip(caps)) {
      out.status = Status::kSkipped;
      out.detail = *why;
      return;
    }
  }
  const faults::FaultPlan plan = b.plan(caps);
  for (uint64_t seed = o.seed_first;; ++seed) {
    current_seed = seed;
    const std::optional<CardDataFind> earlier = card_data_found;
    Session session(link, caps, seed, plan);
    watch_for_card_data(session, b.name, card_data_found);
    CheckContext context{session,
                         [&] {
                           auto another = std::make_unique<Session>(link, caps, seed, plan);
                           watch_for_card_data(*another, b.name, card_data_found);
                           return another;
                         },
                         earlier};
    const Verdict v = b.check(context);
    if (v.status == Status::kFailed) {
      out.status = Status::kFailed;
      out.seed = v.seed.value_or(seed);
      out.detail = v.detail;
      return;
    }
    if (seed == o.seed_last) break;
  }
  out.status = Status::kPassed;
}

}  // namespace

CheckResult run_check(AdapterLink& link, const CheckOptions& o,
                      const std::function<void(const BehaviourResult&)>& on_result) {
  CheckResult result;
  for (const Behaviour& b : all_behaviours()) {
    bool wanted = o.only.empty();
    for (const auto& name : o.only) wanted = wanted || name == b.name;
    if (wanted) result.results.push_back(BehaviourResult{&b, Status::kNotRun, std::nullopt, ""});
  }
  try {
    result.caps = handshake(link);
  } catch (const AdapterError& e) {
    result.adapter_error = e.what();
    return result;
  }
  std::optional<CardDataFind> card_data_found;
  bool hygiene_selected = false;
  for (const BehaviourResult& r : result.results) {
    hygiene_selected = hygiene_selected || r.behaviour->name == kNoCardDataInLogs;
  }
  for (BehaviourResult& r : result.results) {
    uint64_t seed = o.seed_first;
    try {
      run_behaviour(link, *result.caps, o, r, seed, card_data_found);
    } catch (const AdapterError& e) {
      r.status = Status::kFailed;
      r.seed = seed;
      r.detail = std::string("bad adapter: ") + e.what();
      result.adapter_error = e.what();
      result.error_behaviour = r.behaviour->name;
      result.error_seed = seed;
      on_result(r);
      break;
    }
    on_result(r);
  }
  // Every session is judged for card data whatever ran (docs/adapters.md): with --only not
  // naming no-card-data-in-logs, a leak is still reported, under that behaviour's name.
  if (card_data_found && !hygiene_selected) {
    for (const Behaviour& b : all_behaviours()) {
      if (b.name != kNoCardDataInLogs) continue;
      result.results.push_back(
          BehaviourResult{&b, Status::kFailed, card_data_found->seed, card_data_found->detail});
      on_result(result.results.back());
    }
  }
  return result;
}

nlohmann::json check_report_json(const CheckResult& r, const CheckOptions& o,
                                 const std::string& command) {
  nlohmann::json adapter = {{"command", command}};
  if (r.caps) {
    adapter["name"] = r.caps->adapter_name;
    adapter["protocol"] = kProtocolVersion;
    adapter["capabilities"] = r.caps->to_json();
  }
  nlohmann::json behaviours = nlohmann::json::array();
  for (const auto& b : r.results) {
    behaviours.push_back({{"name", b.behaviour->name},
                          {"group", b.behaviour->group},
                          {"what", b.behaviour->what},
                          {"status", to_string(b.status)},
                          {"seed", b.seed ? nlohmann::json(*b.seed) : nlohmann::json(nullptr)},
                          {"detail", b.detail}});
  }
  nlohmann::json error = nullptr;
  if (r.adapter_error) {
    error = {{"message", *r.adapter_error},
             {"behaviour", r.error_behaviour},
             {"seed", r.error_seed ? nlohmann::json(*r.error_seed) : nlohmann::json(nullptr)}};
  }
  return {{"schema_version", 1},
          {"adapter", adapter},
          {"seeds", {{"first", o.seed_first}, {"last", o.seed_last}}},
          {"passed", r.passed()},
          {"counts",
           {{"passed", r.count(Status::kPassed)},
            {"failed", r.count(Status::kFailed)},
            {"skipped", r.count(Status::kSkipped)},
            {"not_run", r.count(Status::kNotRun)}}},
          {"behaviours", behaviours},
          {"adapter_error", error}};
}

std::string check_report_junit(const CheckResult& r, const std::string& command) {
  using reports::xml_escape;
  // A handshake that failed is a failure of its own: no behaviour was running.
  const bool handshake_failed = r.adapter_error && r.error_behaviour.empty();
  const size_t failures = r.count(Status::kFailed) + (handshake_failed ? 1 : 0);
  const size_t tests = r.results.size() + (handshake_failed ? 1 : 0);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"reckon adapter-check\" tests=\"" + std::to_string(tests) +
         "\" failures=\"" + std::to_string(failures) + "\">\n";
  out += "  <testsuite name=\"reckon.adapter-check\" tests=\"" + std::to_string(tests) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(r.count(Status::kSkipped) + r.count(Status::kNotRun)) + "\">\n";
  out += "    <properties><property name=\"adapter\" value=\"" + xml_escape(command) +
         "\"/></properties>\n";
  if (handshake_failed) {
    out +=
        "    <testcase classname=\"reckon.adapter.protocol\" name=\"handshake\">\n      <failure "
        "type=\"handshake\" message=\"" +
        xml_escape(*r.adapter_error) + "\">" + xml_escape(*r.adapter_error) +
        "</failure>\n    </testcase>\n";
  }
  for (const auto& b : r.results) {
    out += "    <testcase classname=\"reckon.adapter." + xml_escape(b.behaviour->group) +
           "\" name=\"" + xml_escape(b.behaviour->name) + "\"";
    if (b.status == Status::kPassed) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (b.status == Status::kFailed) {
      const std::string message =
          (b.seed ? "seed " + std::to_string(*b.seed) + ": " : std::string()) + b.detail;
      out += "      <failure type=\"" + xml_escape(b.behaviour->name) + "\" message=\"" +
             xml_escape(message) + "\">" + xml_escape(message) + "</failure>\n";
    } else {
      const std::string why =
          b.status == Status::kSkipped ? b.detail : "not run: the adapter failed earlier";
      out += "      <skipped message=\"" + xml_escape(why) + "\"/>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace reckon::adapters
