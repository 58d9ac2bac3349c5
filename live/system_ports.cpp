#include "live/system_ports.h"

#include <chrono>

#include <boost/asio/steady_timer.hpp>

namespace reckon::live {

int64_t SystemClock::now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::after(int64_t delay_us, std::function<void()> action) {
  auto timer =
      std::make_shared<boost::asio::steady_timer>(io_, std::chrono::microseconds(delay_us));
  timer->async_wait([timer, action = std::move(action)](const boost::system::error_code& ec) {
    if (!ec) action();
  });
}

OsRandom::OsRandom() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device(), device(), device()};
  generator_.seed(seed);
}

}  // namespace reckon::live
