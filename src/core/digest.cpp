#include <crun/core/digest.hpp>

#include <crun/core/error.hpp>

#include <utility>

namespace crun::core {

namespace {

constexpr std::string_view k_sha256 = "sha256";
constexpr std::size_t k_sha256_hex_length = 64;

bool is_lower_hex(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool is_upper_hex(char c)
{
  return c >= 'A' && c <= 'F';
}

} // namespace

Digest::Digest(std::string algorithm, std::string hex)
  : m_algorithm(std::move(algorithm)), m_hex(std::move(hex))
{
}

Digest Digest::parse(std::string_view text)
{
  return try_parse(text).value_or_throw(Errc::invalid_input);
}

Parsed<Digest> Digest::try_parse(std::string_view text)
{
  using Result = Parsed<Digest>;
  if (text.empty()) {
    return Result::failure(
      "empty digest: expected \"sha256:\" followed by 64 lowercase hex characters");
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Result::failure(fmt::format(
      "digest \"{}\" has no algorithm: expected \"sha256:\" followed by 64 lowercase hex "
      "characters",
      text));
  }
  const auto algorithm = text.substr(0, colon);
  const auto hex = text.substr(colon + 1);
  if (algorithm.empty()) {
    return Result::failure(fmt::format(
      "digest \"{}\" has an empty algorithm: expected \"sha256:\" followed by 64 lowercase "
      "hex characters",
      text));
  }
  if (algorithm != k_sha256) {
    return Result::failure(fmt::format(
      "unsupported digest algorithm \"{}\" in \"{}\": crun-any accepts sha256 digests only",
      algorithm, text));
  }
  // Characters before length: "sha256:ABC..." is better told "use lowercase"
  // than "wrong length" when both apply.
  for (char c : hex) {
    if (is_upper_hex(c)) {
      return Result::failure(
        fmt::format("digest \"{}\" has uppercase hex: sha256 digests are lowercase", text));
    }
    if (!is_lower_hex(c)) {
      return Result::failure(
        fmt::format("digest \"{}\" has a non-hex character \"{}\"", text, std::string_view(&c, 1)));
    }
  }
  if (hex.size() != k_sha256_hex_length) {
    return Result::failure(
      fmt::format("digest \"{}\" has {} hex characters: sha256 digests have exactly {}", text,
                  hex.size(), k_sha256_hex_length));
  }
  return Digest(std::string(algorithm), std::string(hex));
}

std::string Digest::str() const
{
  return m_algorithm + ":" + m_hex;
}

} // namespace crun::core
