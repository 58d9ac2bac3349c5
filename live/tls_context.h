#pragma once
// The server side of TLS for `reckon serve --tls-cert FILE --tls-key FILE`: loads a PEM
// certificate chain and its private key into a context that allows TLS 1.2 and 1.3 only.
// Every problem is found here, before the server listens, and the message names the flag
// and the file (a missing or unreadable file, a file that is not PEM, a key that does not
// match the certificate).

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace reckon::live {

// Null, with `error` set, if the pair cannot be used.
std::shared_ptr<boost::asio::ssl::context> load_tls_context(const std::string& cert_path,
                                                            const std::string& key_path,
                                                            std::string& error);

}  // namespace reckon::live
