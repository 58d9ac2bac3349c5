#pragma once
// The engine's clock and randomness in live mode: wall time, Asio timers on the service's
// io_context, and a generator seeded from the OS. Crash points are inert (no object).

#include <memory>
#include <random>

#include <boost/asio/io_context.hpp>

#include "engine/ports.h"

namespace reckon::live {

class SystemClock final : public engine::Clock {
 public:
  explicit SystemClock(boost::asio::io_context& io) : io_(io) {}
  int64_t now_us() override;
  // The action runs on the io_context's thread, like every engine callback.
  void after(int64_t delay_us, std::function<void()> action) override;

 private:
  boost::asio::io_context& io_;
};

class OsRandom final : public engine::Random {
 public:
  OsRandom();
  uint64_t next_u64() override { return generator_(); }

 private:
  std::mt19937_64 generator_;
};

}  // namespace reckon::live
