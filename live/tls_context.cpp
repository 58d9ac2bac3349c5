#include "live/tls_context.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

namespace reckon::live {
namespace {

namespace ssl = boost::asio::ssl;

// Reads the whole file, or says why it cannot (naming the flag and the file).
bool read_file(const std::string& flag, const std::string& path, std::string& content,
               std::string& error) {
  const std::string named = flag + " '" + path + "'";
  std::error_code fs_error;
  if (!std::filesystem::exists(path, fs_error)) {
    error = named + ": no such file";
    return false;
  }
  if (!std::filesystem::is_regular_file(path, fs_error)) {
    error = named + ": not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = named + ": cannot read: " + std::strerror(errno);
    return false;
  }
  content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = named + ": cannot read: " + std::strerror(errno);
    return false;
  }
  return true;
}

// Whether `pem` holds an unencrypted private key, parsed on its own: OpenSSL's
// SSL_CTX_use_PrivateKey also compares the key with the certificate, and a mismatch must be
// reported as a mismatch, not as a bad file.
bool parses_as_private_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return false;
  // A password callback that supplies none: an encrypted key fails instead of prompting.
  auto no_password = [](char*, int, int, void*) { return 0; };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr), &EVP_PKEY_free);
  ERR_clear_error();
  return key != nullptr;
}

}  // namespace

std::shared_ptr<ssl::context> load_tls_context(const std::string& cert_path,
                                               const std::string& key_path, std::string& error) {
  std::string cert_pem;
  std::string key_pem;
  if (!read_file("--tls-cert", cert_path, cert_pem, error)) return nullptr;
  if (!read_file("--tls-key", key_path, key_pem, error)) return nullptr;

  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 and 1.3 only; the option bits and the minimum version say the same thing, so
  // neither an old OpenSSL default nor a system configuration can lower the floor.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1) {
    error = "cannot restrict TLS to version 1.2 and later";
    return nullptr;
  }
  // An encrypted key would make OpenSSL prompt on the terminal; with an empty password it
  // fails instead, and is reported as unusable.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  boost::system::error_code ec;
  context->use_certificate_chain(boost::asio::buffer(cert_pem), ec);
  if (ec) {
    error = "--tls-cert '" + cert_path + "': not a PEM certificate (" + ec.message() + ")";
    return nullptr;
  }
  if (!parses_as_private_key(key_pem)) {
    error = "--tls-key '" + key_path + "': not an unencrypted PEM private key";
    return nullptr;
  }
  context->use_private_key(boost::asio::buffer(key_pem), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(context->native_handle()) != 1) {
    error = "--tls-key '" + key_path + "' does not match the certificate in --tls-cert '" +
            cert_path + "'";
    return nullptr;
  }
  return context;
}

}  // namespace reckon::live
