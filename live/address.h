#pragma once
// Parses the addresses the live commands take: "HOST:PORT" for --listen and
// "http://HOST:PORT" for --psp and --target. HOST must be an IP address (no DNS in the
// hot path, nothing resolved behind the user's back).

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace reckon::live {

// `allow_port_zero`: for --listen, where 0 asks the OS for a free port.
std::optional<boost::asio::ip::tcp::endpoint> parse_host_port(const std::string& text,
                                                              bool allow_port_zero,
                                                              std::string& error);
// "http://HOST:PORT" with an optional trailing slash and no path.
std::optional<boost::asio::ip::tcp::endpoint> parse_http_url(const std::string& text,
                                                             std::string& error);

}  // namespace reckon::live
