#include "reports/transition_matrix.h"

#include <set>

#include "oracle/charge_rules.h"

namespace reckon::reports {

nlohmann::json run_transitions_json(const sim::TransitionCounts& counts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, tally] : counts) {
    out.push_back({{"from", key.first},
                   {"to", key.second},
                   {"count", tally.count},
                   {"fault_free", tally.fault_free},
                   {"under", tally.under}});
  }
  return out;
}

sim::TransitionCounts transitions_from_json(const nlohmann::json& transitions) {
  sim::TransitionCounts out;
  for (const auto& t : transitions) {
    sim::TransitionTally tally;
    t.at("count").get_to(tally.count);
    t.at("fault_free").get_to(tally.fault_free);
    t.at("under").get_to(tally.under);
    out[{t.at("from").get<std::string>(), t.at("to").get<std::string>()}] = std::move(tally);
  }
  return out;
}

void TransitionMatrix::add_run(const sim::TransitionCounts& counts) {
  for (const auto& [key, tally] : counts) {
    Cell& cell = cells_[key];
    cell.count += tally.count;
    cell.runs += tally.count > 0 ? 1 : 0;
    cell.fault_free += tally.fault_free;
    for (const auto& [kind, n] : tally.under) cell.under[kind] += n;
  }
}

void TransitionMatrix::add_coverage(const nlohmann::json& coverage) {
  if (!coverage.contains("transitions")) return;
  for (const auto& t : coverage.at("transitions")) {
    Cell& cell = cells_[{t.at("from").get<std::string>(), t.at("to").get<std::string>()}];
    cell.count += t.at("count").get<int64_t>();
    cell.runs += t.at("runs").get<int64_t>();
    cell.fault_free += t.at("fault_free").get<int64_t>();
    for (const auto& [kind, n] : t.at("under").items()) cell.under[kind] += n.get<int64_t>();
  }
}

nlohmann::json TransitionMatrix::to_json() const {
  std::vector<sim::TransitionKey> order;
  for (const auto& t : oracle::kDocumentedTransitions) order.emplace_back(t.from, t.to);
  for (const auto& [key, cell] : cells_) {
    if (!oracle::is_documented_transition(key.first, key.second)) order.push_back(key);
  }
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json uncovered = nlohmann::json::array();
  std::set<std::string> kinds;
  static const Cell kEmpty;
  for (const auto& key : order) {
    auto found = cells_.find(key);
    const Cell& cell = found == cells_.end() ? kEmpty : found->second;
    const bool legal = oracle::is_documented_transition(key.first, key.second);
    rows.push_back({{"from", key.first},
                    {"to", key.second},
                    {"legal", legal},
                    {"count", cell.count},
                    {"runs", cell.runs},
                    {"fault_free", cell.fault_free},
                    {"under", nlohmann::json(cell.under)}});
    if (legal && cell.count == 0) uncovered.push_back({{"from", key.first}, {"to", key.second}});
    for (const auto& [kind, n] : cell.under) kinds.insert(kind);
  }
  return {{"transitions", rows}, {"fault_kinds", kinds}, {"uncovered", uncovered}};
}

std::string CoverageGap::describe() const {
  return "transition " + from + " -> " + to +
         (under.empty() ? " never occurred" : " never occurred under fault kind " + under);
}

std::vector<CoverageGap> coverage_gaps(const nlohmann::json& coverage,
                                       const faults::RequiredCoverage& required) {
  std::map<sim::TransitionKey, const nlohmann::json*> rows;
  if (coverage.contains("transitions")) {
    for (const auto& t : coverage.at("transitions")) {
      rows[{t.at("from").get<std::string>(), t.at("to").get<std::string>()}] = &t;
    }
  }
  std::vector<CoverageGap> gaps;
  for (const auto& r : required.transitions) {
    auto row = rows.find({r.from, r.to});
    if (row == rows.end() || row->second->at("count").get<int64_t>() == 0) {
      gaps.push_back({r.from, r.to, "", r.line});
      continue;
    }
    const auto& under = row->second->at("under");
    for (const auto& kind : r.under) {
      if (under.value(kind, int64_t{0}) == 0) gaps.push_back({r.from, r.to, kind, r.line});
    }
  }
  return gaps;
}

void add_required(nlohmann::json& coverage, const faults::RequiredCoverage& required,
                  const std::vector<CoverageGap>& gaps) {
  size_t items = 0;
  for (const auto& r : required.transitions) items += 1 + r.under.size();
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& g : gaps) {
    nlohmann::json m = {{"from", g.from}, {"to", g.to}};
    if (!g.under.empty()) m["under"] = g.under;
    missing.push_back(std::move(m));
  }
  coverage["required"] = {{"items", items}, {"met", gaps.empty()}, {"missing", missing}};
}

}  // namespace reckon::reports
