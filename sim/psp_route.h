#pragma once
// How the engine node's PSP calls reach the provider. Without a route the node sends each
// call itself, in the provider's dialect, across the simulated network (sim/engine_node.cpp).
// A route replaces that leg: `reckon run --adapter CMD` puts an external PSP adapter there
// (adapters/adapter_route.h), which speaks the dialect to the same simulated provider over
// the same network. The route lives in the simulated world: it acts only in events of the
// world's queue, so a deterministic adapter gives a deterministic run.

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/psp.h"
#include "sim/event_queue.h"

namespace reckon::sim {

class FaultInjector;
class Network;
class PspEndpoint;
class Trace;

// A part of the run that is not the harness's own (an external adapter) broke its contract:
// the run cannot be judged, and reckon exits 2 naming the part's message and the problem.
class ExternalPartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PspRoute {
 public:
  using Done = std::function<void(const engine::PspReply&)>;
  virtual ~PspRoute() = default;
  // Carries one call of the engine; `done` is called once, in a later event, with the reply
  // (an ambiguous one when the route gave up), unless the engine restarts first.
  // Throws ExternalPartError.
  virtual void carry(const engine::PspRequest& request, Done done) = 0;
  // The engine process died: every call in progress is abandoned (its `done` is never called)
  // and whatever the route keeps for the dead process is gone. Throws ExternalPartError.
  virtual void engine_restarted() = 0;
  // At the end of the run, after its last call (the route may end its external part to
  // read everything it wrote): what that part wrote besides its answers that it must not
  // have (card data in its logs: docs/adapters.md), or "" (property no-card-data-in-logs).
  virtual std::string log_problem() { return ""; }
};

// What a route may use of the world it is built in.
struct PspRouteWorld {
  uint64_t seed = 0;
  std::string node;  // the engine node's name: its messages cross the network from there
  EventQueue* queue = nullptr;
  Network* network = nullptr;
  PspEndpoint* endpoint = nullptr;
  Trace* trace = nullptr;
};

using PspRouteFactory = std::function<std::unique_ptr<PspRoute>(const PspRouteWorld& world)>;

}  // namespace reckon::sim
