#include <crun/core/image_ref.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace crun::core {

namespace {

// distribution/reference, normalize.go and regexp.go.
constexpr std::string_view k_default_domain = "docker.io";
constexpr std::string_view k_legacy_default_domain = "index.docker.io";
constexpr std::string_view k_official_prefix = "library/";
constexpr std::string_view k_localhost = "localhost";
constexpr std::string_view k_default_tag = "latest";
constexpr std::size_t k_name_max = 255;
constexpr std::size_t k_tag_max = 128;
constexpr std::size_t k_identifier_length = 64;

// Every rejection names the whole reference first, so that the message
// stands alone when printed far from where the reference was typed.
Parsed<ImageRef> rejected(std::string_view ref, std::string_view problem)
{
  return Parsed<ImageRef>::failure(fmt::format("invalid reference \"{}\": {}", ref, problem));
}

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}
bool is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}
bool is_lower_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || is_digit(c);
}
bool is_alnum(char c)
{
  return is_lower_alnum(c) || is_upper(c);
}
bool is_word(char c)
{
  return is_alnum(c) || c == '_';
}
bool is_lower_hex(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_hex(char c)
{
  return is_lower_hex(c) || (c >= 'A' && c <= 'F');
}

bool has_upper(std::string_view s)
{
  return std::any_of(s.begin(), s.end(), is_upper);
}

// The character at `c` in `text`, whole: a UTF-8 lead byte with the
// continuation bytes that follow it (at most three), so a message never
// shows half of "é". Invalid bytes the frame shows escaped.
std::string_view character_at(std::string_view text, const char& c)
{
  const auto start = static_cast<std::size_t>(&c - text.data());
  std::size_t length = 1;
  if (static_cast<unsigned char>(c) >= 0xC0) {
    while (length < 4 && start + length < text.size() &&
           (static_cast<unsigned char>(text[start + length]) & 0xC0) == 0x80) {
      ++length;
    }
  }
  return text.substr(start, length);
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

// docker refuses a bare image ID as a name, so that "docker run <id>" can
// never be mistaken for a repository of that name.
bool is_identifier(std::string_view s)
{
  return s.size() == k_identifier_length && std::all_of(s.begin(), s.end(), is_lower_hex);
}

// splitDockerDomain: the first of several components is a domain when it
// cannot be a path component of Docker Hub.
bool looks_like_domain(std::string_view first)
{
  return first == k_localhost || first == k_legacy_default_domain ||
         first.find_first_of(".:") != std::string_view::npos || has_upper(first);
}

// domainName: components of [A-Za-z0-9-] joined by ".", which covers IPv4.
std::optional<std::string> host_problem(std::string_view host, std::string_view domain)
{
  if (host.empty()) {
    return fmt::format("domain \"{}\" has an empty host", domain);
  }
  for (const auto label : split(host, '.')) {
    if (label.empty()) {
      return fmt::format("domain \"{}\" has an empty component", domain);
    }
    for (const char& c : label) {
      if (!is_alnum(c) && c != '-') {
        return fmt::format("invalid character \"{}\" in domain \"{}\"", character_at(label, c),
                           domain);
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return fmt::format("domain component \"{}\" must start and end with a letter or digit",
                         label);
    }
  }
  return std::nullopt;
}

// host [":" port], host being a domain name or an IPv6 address in brackets
// (no zone, as regexp.go). Returns what is wrong, or nothing.
std::optional<std::string> domain_problem(std::string_view domain)
{
  std::string_view host = domain;
  std::optional<std::string_view> port;
  if (domain.front() == '[') {
    const auto close = domain.find(']');
    if (close == std::string_view::npos) {
      return fmt::format("IPv6 address in domain \"{}\" has no closing \"]\"", domain);
    }
    const auto address = domain.substr(1, close - 1);
    if (address.empty() || !std::all_of(address.begin(), address.end(),
                                        [](char c) { return is_hex(c) || c == ':'; })) {
      return fmt::format("invalid IPv6 address \"{}\" in domain \"{}\"",
                         domain.substr(0, close + 1), domain);
    }
    const auto rest = domain.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return fmt::format("unexpected \"{}\" after the IPv6 address in domain \"{}\"", rest, domain);
    }
    if (!rest.empty()) {
      port = rest.substr(1);
    }
  } else {
    if (const auto colon = domain.find(':'); colon != std::string_view::npos) {
      host = domain.substr(0, colon);
      port = domain.substr(colon + 1);
    }
    if (auto problem = host_problem(host, domain)) {
      return problem;
    }
  }
  if (port && port->empty()) {
    return fmt::format("domain \"{}\" has an empty port", domain);
  }
  if (port && !std::all_of(port->begin(), port->end(), is_digit)) {
    return fmt::format("port \"{}\" in domain \"{}\" is not a number", *port, domain);
  }
  return std::nullopt;
}

// alphanumeric (separator alphanumeric)*, separator being ".", "_", "__" or
// a run of "-". The path is already known to be lowercase. Returns what is
// wrong, or nothing.
std::optional<std::string> path_component_problem(std::string_view component)
{
  if (component.empty()) {
    return "empty path component";
  }
  for (const char& c : component) {
    if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-') {
      return fmt::format(
        "invalid character \"{}\" in path component \"{}\": path components may contain "
        "lowercase letters, digits, \".\", \"_\" and \"-\"",
        character_at(component, c), component);
    }
  }
  if (!is_lower_alnum(component.front()) || !is_lower_alnum(component.back())) {
    return fmt::format("path component \"{}\" must start and end with a lowercase letter or digit",
                       component);
  }
  for (std::size_t i = 0; i < component.size();) {
    if (is_lower_alnum(component[i])) {
      ++i;
      continue;
    }
    const auto end = component.find_first_of("abcdefghijklmnopqrstuvwxyz0123456789", i);
    const auto separator = component.substr(i, end - i);
    const bool dashes = separator.find_first_not_of('-') == std::string_view::npos;
    if (separator != "." && separator != "_" && separator != "__" && !dashes) {
      return fmt::format(
        "path component \"{}\" has the invalid separator \"{}\": separators are \".\", "
        "\"_\", \"__\" or a run of \"-\"",
        component, separator);
    }
    i = end;
  }
  return std::nullopt;
}

std::optional<std::string> path_problem(std::string_view path)
{
  if (path.empty()) {
    return "missing repository name";
  }
  if (path.back() == '/') {
    return "repository name ends with \"/\"";
  }
  for (const auto component : split(path, '/')) {
    if (auto problem = path_component_problem(component)) {
      return problem;
    }
  }
  return std::nullopt;
}

// [\w][\w.-]{0,127}
std::optional<std::string> tag_problem(std::string_view tag)
{
  if (tag.empty()) {
    return "empty tag";
  }
  if (tag.find(':') != std::string_view::npos) {
    return fmt::format("tag \"{}\" contains \":\": a reference has at most one tag", tag);
  }
  if (tag.size() > k_tag_max) {
    return fmt::format("tag is longer than {} characters", k_tag_max);
  }
  if (!is_word(tag.front())) {
    return fmt::format("tag \"{}\" must start with a letter, digit or \"_\"", tag);
  }
  for (const char& c : tag) {
    if (!is_word(c) && c != '.' && c != '-') {
      return fmt::format(
        "invalid character \"{}\" in tag \"{}\": tags may contain letters, digits, \"_\", "
        "\".\" and \"-\"",
        character_at(tag, c), tag);
    }
  }
  return std::nullopt;
}

std::string with_suffix(std::string name, const std::optional<std::string>& tag,
                        const std::optional<Digest>& digest)
{
  if (tag || !digest) {
    name += ":";
    name += tag ? *tag : std::string(k_default_tag);
  }
  if (digest) {
    name += "@" + digest->str();
  }
  return name;
}

} // namespace

ImageRef ImageRef::parse(std::string_view text)
{
  return try_parse(text).value_or_throw(Errc::invalid_input);
}

Parsed<ImageRef> ImageRef::try_parse(std::string_view text)
{
  if (text.empty()) {
    return rejected(text, "empty reference");
  }
  if (is_identifier(text)) {
    return rejected(text, "a 64-character hex string is an image ID, not a repository name");
  }

  ImageRef ref;
  std::string_view name_and_tag = text;
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    if (text.find('@', at + 1) != std::string_view::npos) {
      return rejected(text, "more than one \"@\"");
    }
    const auto digest = text.substr(at + 1);
    if (digest.empty()) {
      return rejected(text, "empty digest after \"@\"");
    }
    auto parsed_digest = Digest::try_parse(digest);
    if (!parsed_digest) {
      return rejected(text, parsed_digest.problem());
    }
    ref.m_digest = *std::move(parsed_digest);
    name_and_tag = text.substr(0, at);
  }
  if (name_and_tag.empty()) {
    return rejected(text, "missing repository name");
  }
  if (name_and_tag.front() == '/') {
    return rejected(text, "reference starts with \"/\"");
  }

  std::string_view domain = k_default_domain;
  std::string_view remainder = name_and_tag;
  bool domain_by_case_only = false;
  if (const auto slash = name_and_tag.find('/'); slash != std::string_view::npos) {
    const auto first = name_and_tag.substr(0, slash);
    if (looks_like_domain(first)) {
      domain = first;
      remainder = name_and_tag.substr(slash + 1);
      domain_by_case_only =
        first != k_localhost && first.find_first_of(".:") == std::string_view::npos;
    }
  }
  if (domain == k_legacy_default_domain) {
    domain = k_default_domain;
  }

  // With the domain split off, only a tag may hold ":", so the first ":"
  // starts it.
  std::string_view path = remainder;
  std::optional<std::string_view> tag;
  if (const auto colon = remainder.find(':'); colon != std::string_view::npos) {
    path = remainder.substr(0, colon);
    tag = remainder.substr(colon + 1);
  }

  // docker checks case before the grammar, so "Busybox" is told why.
  if (has_upper(path)) {
    return rejected(text, "repository name must be lowercase");
  }
  if (domain != k_default_domain) {
    if (auto problem = domain_problem(domain)) {
      // An uppercase first component is a domain only by docker's guess;
      // when it is no valid domain either, the user meant a repository name.
      return rejected(text, domain_by_case_only ? "repository name must be lowercase" : *problem);
    }
  }
  if (auto problem = path_problem(path)) {
    return rejected(text, *problem);
  }
  if (tag) {
    if (auto problem = tag_problem(*tag)) {
      return rejected(text, *problem);
    }
    ref.m_tag = std::string(*tag);
  }

  ref.m_domain = std::string(domain);
  ref.m_path = std::string(path);
  if (domain == k_default_domain && path.find('/') == std::string_view::npos) {
    ref.m_path.insert(0, k_official_prefix);
  }
  // docker limits the normalised name, "docker.io/library/" included.
  const auto name_length = ref.m_domain.size() + 1 + ref.m_path.size();
  if (name_length > k_name_max) {
    return rejected(text, fmt::format("normalised repository name is {} characters long, over "
                                      "the limit of {}",
                                      name_length, k_name_max));
  }
  return ref;
}

std::string ImageRef::repository() const
{
  return m_domain + "/" + m_path;
}

std::string ImageRef::str() const
{
  return with_suffix(repository(), m_tag, m_digest);
}

std::string ImageRef::familiar() const
{
  if (m_domain != k_default_domain) {
    return str();
  }
  std::string_view name = m_path;
  if (name.starts_with(k_official_prefix) &&
      name.find('/', k_official_prefix.size()) == std::string_view::npos) {
    name.remove_prefix(k_official_prefix.size());
  }
  return with_suffix(std::string(name), m_tag, m_digest);
}

std::string ImageRef::tag_or_latest() const
{
  return m_tag ? *m_tag : std::string(k_default_tag);
}

ImageRef ImageRef::with_digest(const Digest& digest) const
{
  ImageRef copy = *this;
  copy.m_digest = digest;
  return copy;
}

ImageRef ImageRef::without_tag() const
{
  ImageRef copy = *this;
  copy.m_tag.reset();
  return copy;
}

} // namespace crun::core
