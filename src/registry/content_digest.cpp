#include <crun/registry/content_digest.hpp>

#include <crun/core/error.hpp>

#include <openssl/evp.h>

#include <array>
#include <string>

namespace crun::registry {

core::Digest sha256_digest(std::string_view bytes)
{
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    fail(Errc::internal, "openssl cannot compute sha256 (is the openssl installation broken?)");
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string text = "sha256:";
  for (unsigned int i = 0; i < size; ++i) {
    text += k_hex[digest[i] >> 4];
    text += k_hex[digest[i] & 0xf];
  }
  return core::Digest::parse(text);
}

} // namespace crun::registry
