#include "live/psp_http_client.h"

#include "engine/psp_wire.h"
#include "live/http_exchange.h"

namespace reckon::live {

void HttpPspTransport::call(const engine::PspRequest& request,
                            std::function<void(const engine::PspReply&)> done) {
  engine::HttpRequest http_request = engine::encode_psp_request(request);
  durability_.after_durable(
      [this, done = std::move(done), http_request = std::move(http_request)]() mutable {
        http_exchange(io_, psp_, http_request, timeout_,
                      [done = std::move(done)](const HttpAnswer& answer) {
                        if (answer.status != 0) {
                          return done(engine::decode_psp_reply(answer.status, answer.body));
                        }
                        engine::PspReply reply;
                        reply.outcome = engine::PspOutcome::kAmbiguous;
                        reply.detail = answer.body;
                        done(reply);
                      });
      });
}

}  // namespace reckon::live
