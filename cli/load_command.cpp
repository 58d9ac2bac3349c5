// reckon load: drives `reckon serve` with concurrent clients, each creating charges one
// after another, every charge under its own Idempotency-Key and card token, retrying the
// same key (with backoff) through timeouts, 503s, 409s and a server that was killed, until
// the answer is final. Reports final answers per second and end-to-end latency
// percentiles; --acks writes every acknowledged charge for `reckon check-live`.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/live_commands.h"
#include "live/address.h"
#include "live/http_exchange.h"

namespace reckon::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct ChargeResult {
  std::string key;
  std::string card_token;
  int status = 0;          // final HTTP status, 0 if given up
  nlohmann::json charge;   // the charge object of the final answer, if any
  int64_t latency_us = 0;  // first attempt sent -> final answer
  int attempts = 0;
};

bool is_final(int status) {
  return (status >= 200 && status < 300) || status == 402;
}
// Statuses after which the same key must be retried: the outcome is not known yet.
bool is_retryable(int status) {
  return status == 409 || status >= 500;
}

ChargeResult run_charge(live::KeepAliveConnection& client, const LoadOptions& o,
                        const std::string& key, const std::string& token, std::mt19937_64& jitter) {
  ChargeResult result;
  result.key = key;
  result.card_token = token;
  const nlohmann::json body = {
      {"amount", o.amount}, {"currency", o.currency}, {"source", token}, {"capture", o.capture}};
  engine::HttpRequest request{"POST",
                              "/v1/charges",
                              {{"authorization", "Bearer " + o.api_key},
                               {"content-type", "application/json"},
                               {"idempotency-key", key}},
                              body.dump()};
  const auto started = Clock::now();
  const auto give_up = started + std::chrono::milliseconds(o.give_up_after_ms);
  int64_t backoff_ms = 10;
  while (Clock::now() < give_up) {
    ++result.attempts;
    const live::HttpAnswer answer = client.exchange(request);
    const int status = answer.status;  // 0: no answer (connection failed or timed out)
    if (is_final(status)) {
      result.status = status;
      const auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
      if (parsed.is_object()) {
        result.charge = parsed.contains("charge") ? parsed["charge"] : parsed;
      }
      break;
    }
    if (status != 0 && !is_retryable(status)) {  // a 4xx: the request itself is wrong
      result.status = status;
      break;
    }
    std::uniform_int_distribution<int64_t> spread(0, backoff_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms / 2 + spread(jitter)));
    backoff_ms = std::min<int64_t>(backoff_ms * 2, 500);
  }
  result.latency_us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  return result;
}

int64_t percentile(std::vector<int64_t> values, int pct) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = (values.size() - 1) * static_cast<size_t>(pct) / 100;
  return values[index];
}

// Prints the summary (text or JSON); passed when every charge got a final or declined
// answer, none refused and none given up.
int report(const LoadOptions& o, const std::vector<ChargeResult>& results, double seconds) {
  std::vector<int64_t> latencies;
  int succeeded = 0, declined = 0, gave_up = 0, rejected = 0, retried = 0;
  for (const auto& r : results) {
    if (r.attempts > 1) ++retried;
    if (r.status == 0)
      ++gave_up;
    else if (r.status == 402)
      ++declined;
    else if (r.status >= 200 && r.status < 300)
      ++succeeded;
    else
      ++rejected;
    if (is_final(r.status)) latencies.push_back(r.latency_us);
  }
  const double rate = static_cast<double>(succeeded + declined) / seconds;
  const nlohmann::json summary = {{"clients", o.clients},
                                  {"charges", o.charges},
                                  {"succeeded", succeeded},
                                  {"declined", declined},
                                  {"rejected", rejected},
                                  {"gave_up", gave_up},
                                  {"retried", retried},
                                  {"seconds", seconds},
                                  {"final_per_second", rate},
                                  {"p50_us", percentile(latencies, 50)},
                                  {"p99_us", percentile(latencies, 99)}};
  if (o.format == "json") {
    std::cout << summary.dump() << "\n";
  } else {
    std::printf(
        "%d clients, %d charges in %.2f s: %.0f final answers/s; latency p50 %.2f ms, p99 %.2f "
        "ms\n  succeeded %d, declined %d, rejected %d, gave up %d, retried %d\n",
        o.clients, o.charges, seconds, rate, static_cast<double>(percentile(latencies, 50)) / 1000,
        static_cast<double>(percentile(latencies, 99)) / 1000, succeeded, declined, rejected,
        gave_up, retried);
  }
  return (gave_up == 0 && rejected == 0) ? kExitPassed : kExitPropertyFailed;
}

}  // namespace

int do_load(const LoadOptions& o) {
  std::string error;
  const auto target = live::parse_http_url(o.target, error);
  if (!target) {
    std::cerr << "reckon load: --target: " << error << "\n";
    return kExitBadInput;
  }
  if (o.clients < 1 || o.charges < 1 || o.amount < 1) {
    std::cerr << "reckon load: --clients, --charges and --amount must be >= 1\n";
    return kExitBadInput;
  }
  // Keys and tokens unique to this run, so reruns against one database never collide.
  const uint64_t nonce =
      std::random_device{}() ^ static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  char nonce_text[20];
  std::snprintf(nonce_text, sizeof nonce_text, "%012llx",
                static_cast<unsigned long long>(nonce & 0xffffffffffffULL));

  // Acknowledgements are appended and flushed as they arrive, so a checker running while
  // the load is still going (the crash test does, after every restart) sees each one.
  std::ofstream acks;
  std::mutex acks_mutex;
  if (!o.acks.empty()) {
    acks.open(o.acks, std::ios::trunc);
    if (!acks) {
      std::cerr << "reckon load: cannot write --acks '" << o.acks << "'\n";
      return kExitBadInput;
    }
  }
  std::vector<ChargeResult> results(static_cast<size_t>(o.charges));
  std::atomic<int> next{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      live::KeepAliveConnection client(*target, std::chrono::seconds(10));
      std::mt19937_64 jitter(nonce + static_cast<uint64_t>(c));
      for (int i = next++; i < o.charges; i = next++) {
        const std::string suffix = std::string(nonce_text) + "_" + std::to_string(i);
        ChargeResult& r = results[static_cast<size_t>(i)];
        // The token's digits stay in runs of at most 12 (the nonce; a letter, not '_', before
        // the index), so no token looks like a card number (docs/api.md: 13-19 digits,
        // '_' allowed between them) and is refused 400 card_number_refused.
        const std::string token = "tok_load_" + std::string(nonce_text) + "n" + std::to_string(i);
        r = run_charge(client, o, "load-" + suffix, token, jitter);
        if (acks.is_open() && is_final(r.status)) {
          const nlohmann::json line = {{"idempotency_key", r.key},
                                       {"card_token", r.card_token},
                                       {"http_status", r.status},
                                       {"charge", r.charge}};
          std::lock_guard lock(acks_mutex);
          acks << line.dump() << "\n" << std::flush;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report(o, results, seconds);
}

}  // namespace reckon::cli
