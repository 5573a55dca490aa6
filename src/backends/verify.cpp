#include <crun/backends/verify.hpp>

namespace crun::backends {

std::string_view verdict_name(VerifyVerdict verdict)
{
  switch (verdict) {
  case VerifyVerdict::match: return "match";
  case VerifyVerdict::mismatch: return "mismatch";
  case VerifyVerdict::absent: return "absent";
  }
  return "absent";
}

VerifyResult compare_local_image(const std::optional<ImageInfo>& local,
                                 const VerifyExpectation& expected, const std::string& repository)
{
  VerifyResult result;
  if (!local) {
    result.verdict = VerifyVerdict::absent;
    result.compared = "id";
    result.expected = expected.config.str();
    return result;
  }
  result.local_digest = digest_for_repository(local->repo_digests, repository).value_or("");
  if (local->backend == "apple") {
    // Apple's image digest is the platform manifest's (apple_decode); its ID
    // is not a config digest.
    result.compared = "manifest";
    result.local = local->digest.value_or("");
    result.expected = expected.manifest.str();
  } else {
    result.compared = "id";
    result.local = local->id;
    result.expected = expected.config.str();
  }
  result.verdict = result.local == result.expected ? VerifyVerdict::match : VerifyVerdict::mismatch;
  return result;
}

nlohmann::json verify_json(const std::string& reference, const std::string& platform,
                           const VerifyExpectation& expected, const VerifyResult& result)
{
  auto or_null = [](const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  return nlohmann::json{
    {"reference", reference},
    {"platform", platform},
    {"source", expected.source},
    {"verdict", verdict_name(result.verdict)},
    {"compared", result.compared},
    {"local", or_null(result.local)},
    {"local_digest", or_null(result.local_digest)},
    {"expected", result.expected},
    {"expected_digests",
     {{"digest", expected.digest.str()},
      {"manifest", expected.manifest.str()},
      {"config", expected.config.str()}}},
  };
}

} // namespace crun::backends
