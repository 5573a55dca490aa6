// `crun-any verify [--platform P] [--json] IMAGE...`: is the local image the
// content the lock (or, for a tag it does not hold, the registry) names for
// the platform? (backends/verify.hpp says what is compared, and why no
// RepoDigest is trusted alone.)
//
// Output (stdout), one line per image:
//   `<reference> <platform> match <id>`
//   `<reference> <platform> mismatch local <id> expected <id> (<source>)`
//   `<reference> <platform> absent expected <id> (<source>)`
// or, with --json, an array of one object per image. Exit 0 when every
// image matches, 1 otherwise.

#include <crun/backends/verify.hpp>

#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>
#include <crun/cli/lock_resolve.hpp>
#include <crun/cli/lock_store.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

namespace crun::cli {
namespace {

class VerifyCommand : public Command {
public:
  explicit VerifyCommand(CLI::App& sub)
  {
    sub.add_option("--platform", m_platform, "Platform to verify: os/arch[/variant]")
      ->type_name("P");
    sub.add_flag("--json", m_json, "One JSON object per image, in an array");
    sub.add_option("IMAGE", m_images, "Images to verify")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"verify"});
    std::vector<core::ImageRef> refs;
    for (const auto& image : m_images) {
      refs.push_back(core::ImageRef::parse(image));
      session.screen(refs.back());
    }
    auto choice = session.choose_platform(m_platform);
    for (const auto& ref : refs) {
      // Nothing runs: emulation is no concern of verify's.
      session.admit(ref, choice, Session::Emulation::ignored);
    }
    backends::Engine* engine = &session.engine();
    const core::Platform& platform = choice.platform;
    auto loaded = load_lock(ctx);
    RegistryAccess access(ctx);

    nlohmann::json docs = nlohmann::json::array();
    std::size_t failed = 0;
    for (const auto& ref : refs) {
      try {
        auto expected = expectation(loaded, access, ref, platform);
        // The name the user means: the tag (or the pinned digest).
        std::string name = ref.digest() ? ref.repository() + "@" + ref.digest()->str() : ref.str();
        auto result =
          backends::compare_local_image(engine->inspect_image(name), expected, ref.repository());
        if (result.verdict != backends::VerifyVerdict::match) {
          ++failed;
        }
        print(ctx, ref, platform, expected, result, docs);
      } catch (Error& error) {
        error.add_context(fmt::format("verifying {} for {}", ref.str(), platform.str()));
        throw;
      }
    }
    if (m_json) {
      ctx.io.out << docs.dump(2) << "\n";
    }
    ctx.io.out.flush();
    if (failed > 0) {
      fail(Errc::mismatch, "{} of {} images are not the content {} for {}", failed, m_images.size(),
           loaded ? "locked or served" : "the registry serves", platform.str());
    }
    return exit_code::ok;
  }

private:
  backends::VerifyExpectation expectation(const std::optional<LoadedLock>& loaded,
                                          RegistryAccess& access, const core::ImageRef& ref,
                                          const core::Platform& platform)
  {
    auto& client = access.client();
    if (loaded) {
      if (auto locked =
            backends::decide_from_lock(&loaded->lock, loaded->path.string(), ref, platform)) {
        return {"lock", locked->digest, locked->manifest,
                config_digest(client, ref, locked->manifest)};
      }
    }
    registry::ResolvedImage resolved = client.resolve(ref);
    core::Digest manifest = client.manifest_for_platform(resolved, platform);
    core::Digest config = resolved.manifest.is_index ? config_digest(client, ref, manifest)
                                                     : resolved.manifest.config->digest;
    return {"registry", resolved.digest, manifest, config};
  }

  void print(Context& ctx, const core::ImageRef& ref, const core::Platform& platform,
             const backends::VerifyExpectation& expected, const backends::VerifyResult& result,
             nlohmann::json& docs) const
  {
    const std::string reference = ref.str();
    if (m_json) {
      docs.push_back(backends::verify_json(reference, platform.str(), expected, result));
      return;
    }
    switch (result.verdict) {
    case backends::VerifyVerdict::match:
      fmt::print(ctx.io.out, "{} {} match {}\n", reference, platform.str(), result.local);
      break;
    case backends::VerifyVerdict::mismatch:
      fmt::print(ctx.io.out, "{} {} mismatch local {} expected {} ({} {})\n", reference,
                 platform.str(), result.local, result.expected, expected.source,
                 expected.manifest.str());
      break;
    case backends::VerifyVerdict::absent:
      fmt::print(ctx.io.out, "{} {} absent expected {} ({} {})\n", reference, platform.str(),
                 result.expected, expected.source, expected.manifest.str());
      break;
    }
  }

  std::optional<std::string> m_platform;
  bool m_json = false;
  std::vector<std::string> m_images;
};

} // namespace

void add_verify_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand(
    "verify", "Check that a local image is the content the lock or the registry names");
  out.push_back({sub, std::make_unique<VerifyCommand>(*sub)});
}

} // namespace crun::cli
