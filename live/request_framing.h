#pragma once
// What the live server refuses in a request's header block before the engine sees it: the
// framing and header repetitions a proxy and this server could read differently.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reckon::live {

struct HeaderRefusal {
  int status = 400;
  std::string code;
  std::string message;
};

// `fields`: the header block's (name, value) pairs in arrival order, names as sent.
// Refused (the connection is then closed):
// - RFC 9112 §6.1/§6.3: a Transfer-Encoding that is not exactly one `chunked` (gzip,
//   identity, xchunked, `chunked, chunked`, or two such fields): the body's length would be
//   unknown, and bytes after the header block would run as a second request (smuggling);
//   also Transfer-Encoding together with Content-Length.
// - A field the engine reads as one value sent more than once (Authorization,
//   Idempotency-Key, Content-Type): which copy counts would be a guess.
std::optional<HeaderRefusal> refuse_header_block(
    const std::vector<std::pair<std::string, std::string>>& fields);

// The request path as a log may show it: a card number in it is replaced by `[card number]`
// (docs/live.md: a card number never reaches the log).
std::string loggable_path(const std::string& path);

}  // namespace reckon::live
