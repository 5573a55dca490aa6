#include <crun/core/registry_prefix.hpp>

#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crun::core {
namespace {

std::string lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The host as the policy compares it: Docker Hub has two spellings.
std::string canonical_host(std::string_view domain)
{
  std::string host = lower(domain);
  return host == "index.docker.io" ? std::string("docker.io") : host;
}

// `path` is `prefix` or lies under it on a component boundary.
bool path_under(const std::string& path, const std::string& prefix)
{
  if (prefix.empty() || path == prefix) {
    return true;
  }
  return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
         path[prefix.size()] == '/';
}

std::string problem_of(std::string_view text, std::string_view what)
{
  return fmt::format("invalid registry prefix \"{}\": {}", text, what);
}

} // namespace

Parsed<RegistryPrefix> RegistryPrefix::try_parse(std::string_view text)
{
  using P = Parsed<RegistryPrefix>;
  if (text.empty()) {
    return P::failure(problem_of(text, "empty; name a host such as ghcr.io"));
  }
  if (text.find("://") != std::string_view::npos) {
    return P::failure(problem_of(text, "a registry is named without a scheme: ghcr.io"));
  }
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) {
    return P::failure(problem_of(text, "contains a space"));
  }
  if (text.find_first_of("*?") != std::string_view::npos) {
    return P::failure(
      problem_of(text, "no wildcards: a prefix admits every name under it on whole components"));
  }
  if (text.back() == '/' || text.find("//") != std::string_view::npos) {
    return P::failure(problem_of(text, "an empty name component (a trailing or doubled \"/\")"));
  }
  if (text.find('@') != std::string_view::npos) {
    return P::failure(problem_of(text, "a prefix names no digest"));
  }
  // The reference grammar decides what a domain and a path component are:
  // the prefix with one more component is a name, or the prefix is bad.
  std::string probe = fmt::format("{}/x", text);
  auto ref = ImageRef::try_parse(probe);
  if (!ref || ref->tag()) {
    return P::failure(problem_of(text, ref ? "a prefix names no tag"
                                           : "not a registry host and path (as in ghcr.io/team)"));
  }
  std::string_view first = text.substr(0, text.find('/'));
  std::string host = canonical_host(ref->domain());
  if (host != canonical_host(first)) {
    return P::failure(
      problem_of(text, fmt::format("\"{}\" is no registry host (one has a \".\" or \":\", or is "
                                   "localhost); for Docker Hub write docker.io/{}",
                                   first, text)));
  }
  RegistryPrefix prefix;
  prefix.m_host = std::move(host);
  const std::string& path = ref->path();
  // Docker Hub's "library/" is added to single-component names only; the
  // probe's "x" is the last component whatever was added before it.
  prefix.m_path = path.size() > 2 ? path.substr(0, path.size() - 2) : std::string();
  if (prefix.m_host == "docker.io" && ref->path() == "library/x" &&
      text.find('/') == std::string_view::npos) {
    prefix.m_path.clear();
  }
  return prefix;
}

RegistryPrefix RegistryPrefix::parse(std::string_view text)
{
  return try_parse(text).value_or_throw(Errc::invalid_input);
}

std::string RegistryPrefix::str() const
{
  return m_path.empty() ? m_host : fmt::format("{}/{}", m_host, m_path);
}

bool RegistryPrefix::admits(const ImageRef& ref) const
{
  return canonical_host(ref.domain()) == m_host && path_under(ref.path(), m_path);
}

bool RegistryPrefix::contains(const RegistryPrefix& other) const
{
  return other.m_host == m_host && path_under(other.m_path, m_path);
}

std::vector<RegistryPrefix> intersect_prefixes(const std::vector<RegistryPrefix>& first,
                                               const std::vector<RegistryPrefix>& second)
{
  std::vector<RegistryPrefix> candidates;
  auto keep_contained = [&candidates](const std::vector<RegistryPrefix>& entries,
                                      const std::vector<RegistryPrefix>& others) {
    for (const auto& entry : entries) {
      if (std::any_of(others.begin(), others.end(),
                      [&entry](const RegistryPrefix& other) { return other.contains(entry); })) {
        candidates.push_back(entry);
      }
    }
  };
  keep_contained(first, second);
  keep_contained(second, first);
  std::vector<RegistryPrefix> result;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    bool covered = false;
    for (std::size_t j = 0; j < candidates.size() && !covered; ++j) {
      // A strictly wider entry covers this one; of two equal entries the
      // first stays.
      covered = j != i && candidates[j].contains(candidates[i]) &&
                (!(candidates[i] == candidates[j]) || j < i);
    }
    if (!covered) {
      result.push_back(candidates[i]);
    }
  }
  return result;
}

} // namespace crun::core
