#pragma once
// TLS material made in-process for the transport tests, laid out as docker's
// DOCKER_CERT_PATH: a CA (ca.pem) that signs a server certificate and a client
// certificate (cert.pem, key.pem). Plus a tiny blocking OpenSSL server side.

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <string>

namespace crun::transport::test {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

inline Pkey make_key()
{
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

inline void add_extension(X509* cert, X509* issuer, int nid, const char* value)
{
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  ASSERT_NE(extension, nullptr) << value;
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

/// A certificate for `key` named `common_name`, signed by `issuer_key`
/// (self-signed when `issuer` is null). `alt_names`: "DNS:x,IP:y" or empty.
inline Cert make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                      const char* alt_names, bool is_ca, long serial)
{
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "CA:FALSE");
  }
  if (alt_names && *alt_names) {
    add_extension(cert.get(), signer, NID_subject_alt_name, alt_names);
  }
  EXPECT_GT(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()), 0);
  return cert;
}

inline void write_pem(const std::string& path, X509* cert, EVP_PKEY* key)
{
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr) << path;
  if (cert) {
    PEM_write_X509(file, cert);
  }
  if (key) {
    PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  std::fclose(file);
}

/// ca.pem, cert.pem and key.pem (the client's), server-cert.pem and
/// server-key.pem (valid for `server_names`), in `dir`.
inline void write_tls_files(const std::string& dir, const char* server_names)
{
  Pkey ca_key = make_key();
  Cert ca = make_cert(ca_key.get(), "crun test ca", nullptr, nullptr, "", true, 1);
  Pkey server_key = make_key();
  Cert server =
    make_cert(server_key.get(), "engine", ca.get(), ca_key.get(), server_names, false, 2);
  Pkey client_key = make_key();
  Cert client = make_cert(client_key.get(), "crun-client", ca.get(), ca_key.get(), "", false, 3);
  write_pem(dir + "/ca.pem", ca.get(), nullptr);
  write_pem(dir + "/server-cert.pem", server.get(), nullptr);
  write_pem(dir + "/server-key.pem", nullptr, server_key.get());
  write_pem(dir + "/cert.pem", client.get(), nullptr);
  write_pem(dir + "/key.pem", nullptr, client_key.get());
}

/// The server side of one TLS connection on `fd`, requiring a client
/// certificate signed by dir/ca.pem. Null when the handshake fails.
class TlsServerSession {
public:
  TlsServerSession(int fd, const std::string& dir)
  {
    m_context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(m_context, (dir + "/server-cert.pem").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(m_context, (dir + "/server-key.pem").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_load_verify_locations(m_context, (dir + "/ca.pem").c_str(), nullptr);
    SSL_CTX_set_verify(m_context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    m_ssl = SSL_new(m_context);
    SSL_set_fd(m_ssl, fd);
    m_ok = SSL_accept(m_ssl) == 1;
  }
  ~TlsServerSession()
  {
    if (m_ok) {
      SSL_shutdown(m_ssl);
    }
    SSL_free(m_ssl);
    SSL_CTX_free(m_context);
  }
  TlsServerSession(const TlsServerSession&) = delete;
  TlsServerSession& operator=(const TlsServerSession&) = delete;

  bool ok() const { return m_ok; }

  /// The client certificate's common name.
  std::string peer_name() const
  {
    X509* peer = SSL_get1_peer_certificate(m_ssl);
    if (!peer) {
      return {};
    }
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof(name));
    X509_free(peer);
    return name;
  }

  /// Reads up to the end of a request head.
  std::string read_head()
  {
    std::string data;
    char c;
    while (data.find("\r\n\r\n") == std::string::npos && SSL_read(m_ssl, &c, 1) == 1) {
      data += c;
    }
    return data;
  }

  void write(const std::string& data)
  {
    SSL_write(m_ssl, data.data(), static_cast<int>(data.size()));
  }

private:
  SSL_CTX* m_context = nullptr;
  SSL* m_ssl = nullptr;
  bool m_ok = false;
};

} // namespace crun::transport::test
