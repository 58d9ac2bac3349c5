#include "oracle/psp_webhook_retry.h"

#include <algorithm>
#include <cassert>

namespace reckon::oracle {

std::optional<int64_t> PspWebhookRetryPolicy::delay_after_us(int deliveries) const {
  assert(deliveries >= 1 && deliveries_max >= 1 && "a webhook is delivered at least once");
  if (deliveries >= deliveries_max) return std::nullopt;
  const int shift = std::min(deliveries - 1, 20);  // 2^20 * base is past any sane max
  return std::min(base_us << shift, max_us);
}

}  // namespace reckon::oracle
