#include "faults/required_coverage.h"

#include <toml++/toml.h>

#include <set>
#include <utility>

#include "config/toml_file.h"
#include "faults/scenario.h"
#include "oracle/charge_rules.h"

namespace reckon::faults {
namespace {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  bool fail(const toml::node& at, const std::string& key, const std::string& message) {
    error = path_ + ":" + std::to_string(at.source().begin.line) + ": " + key + ": " + message;
    return false;
  }

  // Reads the (from, to) of one entry and checks it is a legal transition named once.
  bool transition(const toml::table& t, const std::string& where, std::string& from,
                  std::string& to) {
    for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
      const toml::node* node = t.get(name);
      if (node == nullptr) return fail(t, where, std::string("missing key '") + name + "'");
      auto v = node->value_exact<std::string>();
      if (!v) return fail(*node, where + "." + name, "must be a string");
      if (!oracle::is_charge_status(*v)) {
        return fail(*node, where + "." + name, "'" + *v + "' is not a charge status");
      }
      *out = *v;
    }
    if (!oracle::is_documented_transition(from, to)) {
      return fail(*t.get("to"), where,
                  from + " -> " + to + " is not a legal transition (docs/state-machine.md)");
    }
    if (!named_.insert(from + ">" + to).second) {
      return fail(t, where, from + " -> " + to + " is named twice");
    }
    return true;
  }

  bool only_keys(const toml::table& t, const std::string& where, std::set<std::string> keys) {
    for (const auto& [key, node] : t) {
      if (!keys.count(std::string(key.str()))) {
        return fail(node, where + "." + std::string(key.str()), "unknown key");
      }
    }
    return true;
  }

  bool required(const toml::table& t, const std::string& where, RequiredCoverage& out) {
    RequiredTransition r;
    r.line = static_cast<int>(t.source().begin.line);
    if (!only_keys(t, where, {"from", "to", "under"}) || !transition(t, where, r.from, r.to)) {
      return false;
    }
    if (const toml::node* under = t.get("under")) {
      const toml::array* kinds = under->as_array();
      if (kinds == nullptr) return fail(*under, where + ".under", "must be an array of strings");
      for (const auto& k : *kinds) {
        auto kind = k.value_exact<std::string>();
        if (!kind) return fail(k, where + ".under", "must be an array of strings");
        if (!is_decision_kind(*kind)) {
          return fail(k, where + ".under", "'" + *kind + "' is not a fault decision kind");
        }
        r.under.push_back(*kind);
      }
    }
    out.transitions.push_back(std::move(r));
    return true;
  }

  bool exempt(const toml::table& t, const std::string& where, RequiredCoverage& out) {
    ExemptTransition e;
    if (!only_keys(t, where, {"from", "to", "reason"}) || !transition(t, where, e.from, e.to)) {
      return false;
    }
    const toml::node* reason = t.get("reason");
    auto text = reason == nullptr ? std::nullopt : reason->value_exact<std::string>();
    if (!text || text->empty()) {
      return fail(t, where + ".reason", "an exempt transition says why (a non-empty string)");
    }
    e.reason = *text;
    out.exempt.push_back(std::move(e));
    return true;
  }

  std::string error;

 private:
  std::string path_;
  std::set<std::string> named_;
};

}  // namespace

std::optional<RequiredCoverage> load_required_coverage(const std::string& path,
                                                       std::string& error) {
  const std::optional<toml::table> parsed = config::parse_toml_file(path, error);
  if (!parsed) return std::nullopt;
  const toml::table& doc = *parsed;
  RequiredCoverage out;
  out.path = path;
  Reader reader(path);
  using Parse = bool (Reader::*)(const toml::table&, const std::string&, RequiredCoverage&);
  for (const auto& [key, node] : doc) {
    const std::string name(key.str());
    Parse parse = name == "transition" ? &Reader::required
                  : name == "exempt"   ? &Reader::exempt
                                       : nullptr;
    const toml::array* entries = node.as_array();
    if (parse == nullptr || entries == nullptr) {
      reader.fail(node, name,
                  parse == nullptr ? "unknown key (transition, exempt)"
                                   : "must be an array of tables ([[" + name + "]])");
      error = reader.error;
      return std::nullopt;
    }
    for (size_t i = 0; i < entries->size(); ++i) {
      const toml::table* t = (*entries)[i].as_table();
      const std::string where = name + "[" + std::to_string(i) + "]";
      if (t == nullptr) {
        reader.fail((*entries)[i], where, "must be a table");
        error = reader.error;
        return std::nullopt;
      }
      if (!(reader.*parse)(*t, where, out)) {
        error = reader.error;
        return std::nullopt;
      }
    }
  }
  if (out.transitions.empty()) {
    error = path + ": names no required transition ([[transition]] from = ... to = ...)";
    return std::nullopt;
  }
  return out;
}

}  // namespace reckon::faults
