#include "live/address.h"

#include <charconv>

namespace reckon::live {

std::optional<boost::asio::ip::tcp::endpoint> parse_host_port(const std::string& text,
                                                              bool allow_port_zero,
                                                              std::string& error) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    error = "'" + text + "' is not HOST:PORT";
    return std::nullopt;
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:8080
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535 || (port == 0 && !allow_port_zero)) {
    error = "'" + port_text + "' in '" + text + "' is not a port (1-65535)";
    return std::nullopt;
  }
  boost::system::error_code parse_error;
  const auto address = boost::asio::ip::make_address(host, parse_error);
  if (parse_error) {
    error = "'" + host + "' in '" + text + "' is not an IP address";
    return std::nullopt;
  }
  return boost::asio::ip::tcp::endpoint(address, static_cast<uint16_t>(port));
}

std::optional<boost::asio::ip::tcp::endpoint> parse_http_url(const std::string& text,
                                                             std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (text.rfind(kScheme, 0) != 0) {
    error = "'" + text + "' must start with http://";
    return std::nullopt;
  }
  std::string rest = text.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) {
    error = "'" + text + "' must not have a path";
    return std::nullopt;
  }
  return parse_host_port(rest, /*allow_port_zero=*/false, error);
}

}  // namespace reckon::live
