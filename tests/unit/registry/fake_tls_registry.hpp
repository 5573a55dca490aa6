#pragma once
// A registry behind TLS for the client's tests: a test CA (made in-process,
// as the transport's tests make theirs) signs a certificate for this
// machine's host name, and a FakeHttpServer speaks TLS with it, serving the
// multi-arch index for any request. The host name must resolve to 127.0.0.1
// (authority() is "" when it does not): a loopback name or address would be
// spoken to over plain HTTP.

#include "support/fake_http_server.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"
#include "unit/transport/tls_fixture.hpp"

#include <netdb.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>

namespace crun::registry::test {

/// This machine's host name when it resolves to 127.0.0.1, else "".
inline std::string loopback_host_name()
{
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || std::string_view(name) == "localhost") {
    return {};
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name, nullptr, &hints, &found) != 0) {
    return {};
  }
  bool loopback = true;
  for (auto* entry = found; entry; entry = entry->ai_next) {
    auto* address = reinterpret_cast<sockaddr_in*>(entry->ai_addr);
    loopback = loopback && address->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
  }
  ::freeaddrinfo(found);
  return loopback ? std::string(name) : std::string();
}

class FakeTlsRegistry {
public:
  FakeTlsRegistry()
  {
    if (!m_name.empty()) {
      transport::test::write_tls_files(m_dir.path(), ("DNS:" + m_name).c_str());
    }
  }

  /// "<host name>:<port>", or "" when the host name is unusable.
  std::string authority() const
  {
    return m_name.empty() ? std::string() : m_name + ":" + std::to_string(m_server.port());
  }
  /// ca.pem, server-cert.pem, server-key.pem, cert.pem and key.pem (a client
  /// certificate the CA signed, named "crun-client").
  const std::string& dir() const { return m_dir.path(); }
  /// From now on, handshakes without a client certificate the CA signed fail.
  void require_client_certificate() { m_require_client = true; }
  /// The common name of the last client certificate presented.
  std::string client_name() const
  {
    std::lock_guard lock(m_mutex);
    return m_client_name;
  }
  std::vector<crun::test::FakeRequest> requests() const
  {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

private:
  void serve(int fd)
  {
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(context, (dir() + "/server-cert.pem").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(context, (dir() + "/server-key.pem").c_str(), SSL_FILETYPE_PEM);
    if (m_require_client) {
      SSL_CTX_load_verify_locations(context, (dir() + "/ca.pem").c_str(), nullptr);
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      answer(ssl);
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(context);
  }

  void answer(SSL* ssl)
  {
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      char name[256] = {};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof(name));
      X509_free(peer);
      std::lock_guard lock(m_mutex);
      m_client_name = name;
    }
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && SSL_read(ssl, &c, 1) == 1) {
      head += c;
    }
    auto request = crun::test::parse_request(head);
    if (!request) {
      return;
    }
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(*request);
    }
    std::string body = fixture("multi-index.json");
    std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\n"
                      "Content-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    SSL_write(ssl, out.data(), static_cast<int>(out.size()));
  }

  std::string m_name = loopback_host_name();
  crun::test::TempDir m_dir{"crun-tls-reg"};
  std::atomic<bool> m_require_client{false};
  mutable std::mutex m_mutex;
  std::string m_client_name;
  std::vector<crun::test::FakeRequest> m_requests;
  crun::test::FakeHttpServer m_server{[this](int fd) { serve(fd); },
                                      crun::test::FakeHttpServer::Listen::tcp};
};

} // namespace crun::registry::test
