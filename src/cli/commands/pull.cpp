// `crun-any pull [--platform P] [--progress MODE] [-q] IMAGE`: the registry is
// read first (or the lock, when it holds IMAGE), the platform's manifest is
// pulled by digest and tagged, and the pinned reference
// (repository:tag@sha256:...) is printed on stdout.

#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>
#include <crun/cli/lock_store.hpp>
#include <crun/cli/pull_record_store.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>

namespace crun::cli {
namespace {

class PullCommand : public Command {
public:
  explicit PullCommand(CLI::App& sub)
  {
    sub.add_option("--platform", m_platform, "Platform to pull: os/arch[/variant]")->type_name("P");
    sub.add_option("--progress", m_progress, "Progress on stderr: auto, tty, plain, json or none")
      ->type_name("MODE");
    sub.add_flag("-q,--quiet", m_quiet, "No progress; only the pinned reference on stdout");
    sub.add_option("IMAGE", m_image, "The image to pull")->required();
  }

  int execute(Context& ctx) override
  {
    core::ImageRef ref = core::ImageRef::parse(m_image);
    Session session(ctx, {"pull"});
    session.screen(ref);
    auto choice = session.choose_platform(m_platform);
    RegistryAccess access(ctx);
    session.admit(ref, choice, Session::Emulation::checked,
                  [&] { served_for_platform(access.client(), ref, choice.platform); });
    backends::Engine& engine = session.engine();
    // A platform nobody chose that the image lacks: the message says which
    // --platform would run it.
    auto registry = backends::make_registry_reader(
      access.client(),
      choice.explicit_choice ? registry::SuggestPlatform::no : registry::SuggestPlatform::yes);
    try {
      // The lock's digest, when it holds the tag, so the registry's current
      // answer for the tag is never asked.
      auto locked = consult_lock(ctx, session.lock(), ref, choice.platform, m_quiet);
      ProgressSink sink(ctx, m_quiet ? "none" : m_progress);
      auto pulled = backends::pull_image(engine, *registry, ref, choice.platform, sink,
                                         access.engine_credentials(ref), locked);
      sink.finish(pulled.manifest_digest.str());
      remember_pull(ctx, pulled, choice.platform);
      fmt::print(ctx.io.out, "{}\n", pulled.pinned());
    } catch (Error& error) {
      error.add_context(fmt::format("pulling {} for {}", ref.str(), choice.platform.str()));
      throw;
    }
    return exit_code::ok;
  }

private:
  std::optional<std::string> m_platform;
  std::string m_progress = "auto";
  bool m_quiet = false;
  std::string m_image;
};

} // namespace

void add_pull_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("pull", "Pull an image from its registry, pinned by digest");
  out.push_back({sub, std::make_unique<PullCommand>(*sub)});
}

} // namespace crun::cli
