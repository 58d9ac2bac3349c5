#pragma once
// The only ways the engine reaches the world. Simulation implements them with the
// simulator (virtual time, simulated network, in-memory durable VFS, seeded PRNG);
// live mode implements them with Boost.Asio, a SQLite file and the OS.
//
// INVARIANT: engine/ code touches the clock, timers, the PSP, storage and randomness only
// through these interfaces, so the same engine runs unchanged in both worlds.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/psp.h"

namespace reckon::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_us() = 0;
  // Runs `action` once, `delay_us` from now. The engine never assumes it runs if the
  // process dies first.
  virtual void after(int64_t delay_us, std::function<void()> action) = 0;
};

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t next_u64() = 0;
};

// Sends one request to the PSP and calls `done` exactly once with its outcome: a reply,
// or Ambiguous when the caller gave up waiting (timeout, reset). Implementations own the
// timeout, like an HTTP client with a deadline.
class PspTransport {
 public:
  virtual ~PspTransport() = default;
  virtual void call(const PspRequest& request, std::function<void(const PspReply&)> done) = 0;
};

// One webhook delivery: an outbox event POSTed to the merchant's endpoint.
struct WebhookDelivery {
  std::string endpoint;  // the merchant's webhook URL (EngineConfig::webhook_endpoints)
  std::string event_id;  // also sent as the Webhook-Id header: the merchant's dedup key
  std::string body;      // the event, exactly as the outbox holds it
};

// The endpoint's answer. status 0: no answer (timeout, reset, refused connection), which
// is ambiguous: the merchant may have received the event. Only a 2xx marks it delivered.
struct WebhookReply {
  int status = 0;
  std::string detail;
};

// Delivers one event and calls `done` exactly once with the outcome. Implementations own
// the timeout, like PspTransport.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual void deliver(const WebhookDelivery& delivery,
                       std::function<void(const WebhookReply&)> done) = 0;
};

// Named points inside the engine where the simulator may crash the process (issue: faults).
// Inert in live mode.
class CrashPoints {
 public:
  virtual ~CrashPoints() = default;
  virtual void reached(std::string_view point_name) = 0;
};

// How commits reach the disk.
//   kRollbackFull  rollback journal, synchronous=FULL: every commit is durable when it
//                  returns (simulation: the durability VFS models exactly this).
//   kWalFull       WAL, synchronous=FULL: every commit fsyncs the WAL (live default).
//   kWalGroup      WAL, synchronous=NORMAL: commits do not fsync; the live edge fsyncs the
//                  WAL once for a batch of commits and holds every response and PSP call
//                  until the fsync covering it is done (group commit), so nothing the
//                  world can observe is ever lost.
enum class Durability { kRollbackFull, kWalFull, kWalGroup };

// Where the engine's SQLite database lives: a path and the VFS to open it with
// (empty: SQLite's default VFS, which is the durability VFS in simulation).
struct StorageConfig {
  std::string path;
  std::string vfs_name;
  Durability durability = Durability::kRollbackFull;
};

struct EnginePorts {
  Clock* clock = nullptr;
  Random* random = nullptr;
  PspTransport* psp = nullptr;
  CrashPoints* crash_points = nullptr;   // may be null
  WebhookTransport* webhooks = nullptr;  // may be null: events are kept, not dispatched
  StorageConfig storage;
};

}  // namespace reckon::engine
