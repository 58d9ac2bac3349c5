// The behaviour of what an adapter writes besides the protocol: its logs (stderr) and the
// free-text fields of its results must hold no card data (adapters/card_data.h).
#include <string>
#include <vector>

#include "adapters/behaviours.h"
#include "adapters/card_data.h"
#include "adapters/judge.h"

namespace reckon::adapters {

void add_hygiene_behaviours(std::vector<Behaviour>& out) {
  out.push_back(Behaviour{
      std::string(kNoCardDataInLogs), "hygiene",
      "no card token or card number in stderr or in a result, in any behaviour run before "
      "this one, nor here under loss, duplicates, 5xx and declines",
      [](const Capabilities&) { return plan_mixed(); }, nullptr,
      [](CheckContext& c) {
        if (const auto& found = c.card_data_earlier)
          return Verdict::fail_at(found->seed, found->detail);
        Session& s = c.session;
        std::vector<OpRun> runs;
        for (int i = 0; i < 3; ++i) runs.push_back(s.run(authorize_op(s, 1999, "USD", i == 2)));
        const std::string held = s.direct_authorize(5000, "USD", false);
        runs.push_back(s.run(capture_op(s, held, 5000, "USD", 5000)));
        runs.push_back(s.run(refund_op(s, held, 1000, "USD", 5000, 0)));
        runs.push_back(s.run(void_op(s, s.direct_authorize(700, "USD", false))));
        runs.push_back(s.run(lookup_op(runs[0].operation["idempotency_key"])));
        s.advance_ms(2'000);  // late answers and duplicates play out
        const std::vector<std::string> keys = s.identifiers();
        if (auto p = card_data_in("the adapter's stderr", s.adapter_log(), s.tokens(), keys)) {
          return Verdict::fail(*p);
        }
        for (const OpRun& r : runs) {
          const std::string where = "the result of " + r.describe();
          if (auto p = card_data_in(where, r.result.dump(), s.tokens(), keys)) {
            return Verdict::fail(*p);
          }
        }
        return Verdict::pass();
      }});
}

}  // namespace reckon::adapters
