// libFuzzer target: the docker config.json and containers auth.json readers
// of registry::ConfigCredentialStore, through its FileReader seam. The input
// is split at NUL bytes: docker's config.json, containers' auth.json, and
// what the credential helper (a fake) prints. A crun::Error is a correct
// answer.
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/registry/config_credential_store.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

class MemoryFiles final : public crun::transport::FileReader {
public:
  std::map<std::string, std::string> files;
  std::optional<std::string> read(const std::string& path) const override
  {
    auto it = files.find(path);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
};

class FakeHelper final : public crun::registry::HelperRunner {
public:
  std::string output;
  crun::registry::HelperResult run(const std::vector<std::string>&, std::string_view) override
  {
    return {0, output};
  }
};

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  for (std::size_t i = 0; i < 3; ++i) {
    auto nul = input.find('\0');
    parts.push_back(input.substr(0, nul));
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  auto files = std::make_shared<MemoryFiles>();
  files->files["/home/u/.docker/config.json"] = std::string(parts[0]);
  if (!parts[1].empty()) {
    files->files["/run/user/1/containers/auth.json"] = std::string(parts[1]);
  }
  auto helper = std::make_shared<FakeHelper>();
  helper->output = std::string(parts[2]);
  crun::registry::ConfigCredentialStore store(
    crun::Env{{"HOME", "/home/u"}, {"XDG_RUNTIME_DIR", "/run/user/1"}}, files, helper);
  static const crun::core::ImageRef repos[] = {
    crun::core::ImageRef::parse("alpine"),
    crun::core::ImageRef::parse("registry.example:5000/team/app/web:1"),
  };
  for (const auto& repo : repos) {
    try {
      (void)store.find(repo);
    } catch (const crun::Error&) {
    }
  }
  return 0;
}
