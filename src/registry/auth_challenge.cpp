#include <crun/registry/auth_challenge.hpp>

#include <crun/core/error.hpp>
#include <crun/util/ascii.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace crun::registry {

namespace {

// A cursor over the header, following RFC 7235's grammar loosely enough
// for what registries send:
//   challenge = scheme [ SP auth-param *( "," auth-param ) ], challenges
//   separated by ",", auth-param = name "=" ( token / quoted-string ).
class Reader {
public:
  explicit Reader(std::string_view text) : m_text(text) {}

  bool at_end() const { return m_pos >= m_text.size(); }
  std::size_t pos() const { return m_pos; }
  void seek(std::size_t pos) { m_pos = pos; }
  char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
  void advance() { ++m_pos; }

  void skip_spaces()
  {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) {
      ++m_pos;
    }
  }
  void skip_spaces_and_commas()
  {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
      ++m_pos;
    }
  }
  std::string_view token()
  {
    auto start = m_pos;
    while (!at_end() && peek() != ' ' && peek() != '\t' && peek() != ',' && peek() != '=' &&
           peek() != '"') {
      ++m_pos;
    }
    return m_text.substr(start, m_pos - start);
  }
  std::string quoted_string()
  {
    std::string out;
    ++m_pos; // the opening quote
    while (!at_end() && peek() != '"') {
      if (peek() == '\\') {
        ++m_pos;
        if (at_end()) {
          break;
        }
      }
      out += peek();
      ++m_pos;
    }
    if (at_end()) {
      fail(Errc::protocol, "the registry sent a WWW-Authenticate header with an unterminated "
                           "quoted string");
    }
    ++m_pos; // the closing quote
    return out;
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

// Reads the auth-params after a scheme, stopping before the next scheme.
std::map<std::string, std::string> read_params(Reader& reader)
{
  std::map<std::string, std::string> params;
  for (;;) {
    reader.skip_spaces_and_commas();
    auto start = reader.pos();
    auto name = reader.token();
    reader.skip_spaces();
    if (name.empty() || reader.peek() != '=') {
      reader.seek(start); // a new challenge's scheme, or the end
      return params;
    }
    reader.advance();
    reader.skip_spaces();
    std::string value = reader.peek() == '"' ? reader.quoted_string() : std::string(reader.token());
    while (reader.peek() == '=') { // the padding of a token68 ("Negotiate abc==")
      reader.advance();
    }
    params.emplace(util::ascii_lower(name), std::move(value));
  }
}

} // namespace

std::optional<std::string> AuthChallenge::param(const std::string& name) const
{
  auto it = params.find(name);
  if (it == params.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<AuthChallenge> parse_www_authenticate(std::string_view header)
{
  Reader reader(header);
  for (;;) {
    reader.skip_spaces_and_commas();
    if (reader.at_end()) {
      return std::nullopt;
    }
    auto start = reader.pos();
    auto scheme = util::ascii_lower(reader.token());
    if (scheme.empty()) {
      reader.seek(start + 1); // a stray character: skip it
      continue;
    }
    auto params = read_params(reader);
    if (scheme != "bearer" && scheme != "basic") {
      continue;
    }
    AuthChallenge challenge;
    challenge.scheme =
      scheme == "bearer" ? AuthChallenge::Scheme::bearer : AuthChallenge::Scheme::basic;
    challenge.params = std::move(params);
    if (challenge.scheme == AuthChallenge::Scheme::bearer && !challenge.param("realm")) {
      fail(Errc::protocol, "the registry asked for a bearer token without naming its token "
                           "server (no realm in WWW-Authenticate)");
    }
    return challenge;
  }
}

std::string decode_token_response(std::string_view body)
{
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(Errc::protocol, "the token server answered with something that is not a JSON object");
  }
  for (const char* name : {"access_token", "token"}) {
    auto it = parsed.find(name);
    if (it != parsed.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
  }
  fail(Errc::protocol, "the token server answered without a token (no \"token\" or "
                       "\"access_token\")");
}

} // namespace crun::registry
