#pragma once
// Card data in what an adapter writes besides the protocol (its stderr, and its results). A card
// token is a credential at the provider (it charges the card), and a card number must never be
// written anywhere (PCI DSS requirement 3.4; docs/adapters.md). The harness hands an adapter no
// secret of its own, so tokens and card numbers are what is looked for. Used by adapter-check's
// `no-card-data-in-logs` behaviour and by the same property in `reckon run|sweep --adapter`.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace reckon::adapters {

// Where `text` holds card data, said as "<where> holds ...", or nothing: the first of
// `tokens` (in their order) found in it as a whole word, else the first card number (15-19
// digits with an issuer's prefix and a valid Luhn digit, single spaces or dashes allowed
// between groups), shown only by its first six and last four digits. `identifiers`
// (idempotency keys: the harness's, and the provider keys the adapter sent) are not read as
// card numbers where they stand alone as keys.
std::optional<std::string> card_data_in(const std::string& where, const std::string& text,
                                        const std::vector<std::string>& tokens,
                                        const std::vector<std::string>& identifiers = {});

// An adapter's stdout message as scanned for card data: without a request's headers and
// body, which carry the card token to the provider on purpose.
std::string message_beyond_the_request(const nlohmann::json& message);

// The same for everything an adapter wrote besides what it sends the provider: its stderr
// first, then the text of its stdout messages (scanned apart, so a message never joins a
// stderr line's digits): its results, and its other messages (message_beyond_the_request).
std::optional<std::string> card_data_in_output(const std::string& stderr_text,
                                               const std::string& results_text,
                                               const std::vector<std::string>& tokens,
                                               const std::vector<std::string>& identifiers);

}  // namespace reckon::adapters
