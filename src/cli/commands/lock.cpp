// `crun-any lock [--platform P]... [--check] [IMAGE...]`: records what each
// tag resolves to at the registry in the lock file (docs/lockfile.md), or,
// with --check, says whether the registry still serves what is locked.
//
// Output (stdout), one line per image: `<reference> <digest>` (the tag's
// digest: index or single manifest). --check prints the same line for an
// image that still matches and, for one that does not, one line per drift:
// `<reference> <digest|platform> locked <digest> served <digest|none>`, then
// fails (exit 1) naming the lock.

#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>
#include <crun/cli/lock_resolve.hpp>
#include <crun/cli/lock_store.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>

namespace crun::cli {
namespace {

class LockCommand : public Command {
public:
  explicit LockCommand(CLI::App& sub)
  {
    sub.add_option("--platform", m_platforms, "Lock only this platform (repeatable)")
      ->type_name("P")
      ->allow_extra_args(false);
    sub.add_flag("--check", m_check,
                 "Write nothing; exit 1 when the registry no longer serves what is locked");
    sub.add_option("IMAGE", m_images, "Images to lock (default: every entry of the lock)");
  }

  int execute(Context& ctx) override
  {
    auto location = locate_lock(ctx);
    std::filesystem::path path =
      location ? location->path : std::filesystem::path(core::k_lock_file_name);
    std::error_code exists_error;
    const bool exists = std::filesystem::exists(path, exists_error);
    core::LockFile lock = exists ? read_lock(path) : core::LockFile{};
    if (m_check && !exists) {
      fail(Errc::invalid_input, "there is no lock file to check: {} does not exist", path.string());
    }

    std::vector<core::Platform> only;
    for (const auto& text : m_platforms) {
      only.push_back(core::Platform::parse(text));
    }
    // A lock only records what a registry serves: of the policy, the verb
    // and allowed_registries rules apply (a tag is locked precisely so that
    // require_digest and require_lock can accept it).
    Session session(ctx, {"lock"});
    std::vector<core::ImageRef> refs;
    for (const auto& image : m_images) {
      refs.push_back(core::ImageRef::parse(image));
      session.screen(refs.back());
    }
    if (refs.empty()) {
      if (lock.images.empty()) {
        fail(Errc::usage, "nothing to lock: {} holds no image; name one: crun-any lock IMAGE",
             path.string());
      }
      for (const auto& [key, entry] : lock.images) {
        refs.push_back(core::ImageRef::parse(key));
        session.screen(refs.back());
      }
    }

    RegistryAccess access(ctx);
    return m_check ? check(ctx, access, lock, path, refs, only)
                   : update(ctx, access, lock, path, refs, only);
  }

private:
  int update(Context& ctx, RegistryAccess& access, core::LockFile lock,
             const std::filesystem::path& path, const std::vector<core::ImageRef>& refs,
             const std::vector<core::Platform>& only)
  {
    const std::string before = write_lock_file(lock);
    std::vector<std::string> lines;
    for (const auto& ref : refs) {
      // Re-resolving an entry (no IMAGE named) keeps the platforms it was
      // locked for; naming an image locks every platform, or --platform's.
      std::vector<core::Platform> platforms = only;
      const core::LockedImage* old = lock.find(ref);
      if (platforms.empty() && m_images.empty() && old) {
        for (const auto& [key, digest] : old->platforms) {
          platforms.push_back(core::Platform::parse(key));
        }
      }
      core::LockedImage entry = [&] {
        try {
          return resolve_lock_entry(access.client(), ref, platforms);
        } catch (Error& error) {
          error.add_context(fmt::format("locking {}", ref.str()));
          throw;
        }
      }();
      lines.push_back(fmt::format("{} {}", core::lock_key(ref), entry.digest.str()));
      lock.images.insert_or_assign(core::lock_key(ref), std::move(entry));
    }
    const std::string after = write_lock_file(lock);
    // Nothing changed: the file is not touched (a read-only lock that
    // already holds the answer is no error).
    if (after != before || !std::filesystem::exists(path)) {
      write_file_atomically(path, after);
    }
    for (const auto& line : lines) {
      fmt::print(ctx.io.out, "{}\n", line);
    }
    return exit_code::ok;
  }

  int check(Context& ctx, RegistryAccess& access, const core::LockFile& lock,
            const std::filesystem::path& path, const std::vector<core::ImageRef>& refs,
            const std::vector<core::Platform>& only)
  {
    std::size_t drifting = 0;
    for (const auto& ref : refs) {
      const std::string key = core::lock_key(ref);
      const core::LockedImage* locked = lock.find(ref);
      if (!locked) {
        fmt::print(ctx.io.out, "{} not in the lock\n", key);
        ++drifting;
        continue;
      }
      core::LockedImage compared = *locked;
      if (!only.empty()) {
        std::erase_if(compared.platforms, [&](const auto& entry) {
          return std::none_of(only.begin(), only.end(), [&](const core::Platform& wanted) {
            return core::Platform::parse(entry.first).matches(wanted);
          });
        });
      }
      std::vector<core::LockDrift> drifts = [&] {
        try {
          return core::lock_drifts(compared, resolve_lock_entry(access.client(), ref, {}));
        } catch (Error& error) {
          if (error.code() != Errc::not_found) {
            error.add_context(fmt::format("checking {} against the registry", key));
            throw;
          }
          // The tag is gone: every locked digest drifts to nothing.
          std::vector<core::LockDrift> gone{{"digest", compared.digest.str(), "none"}};
          for (const auto& [platform, digest] : compared.platforms) {
            gone.push_back({platform, digest.str(), "none"});
          }
          return gone;
        }
      }();
      if (drifts.empty()) {
        fmt::print(ctx.io.out, "{} {}\n", key, locked->digest.str());
        continue;
      }
      ++drifting;
      for (const auto& drift : drifts) {
        fmt::print(ctx.io.out, "{} {} locked {} served {}\n", key, drift.what, drift.locked,
                   drift.served);
      }
    }
    ctx.io.out.flush();
    if (drifting > 0) {
      fail(Errc::mismatch,
           "{} of {} images no longer match the lock {}: run `crun-any lock` to update it",
           drifting, refs.size(), path.string());
    }
    return exit_code::ok;
  }

  std::vector<std::string> m_platforms;
  bool m_check = false;
  std::vector<std::string> m_images;
};

} // namespace

void add_lock_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand(
    "lock", "Record what each tag resolves to (index and per-platform digests) in crun-any.lock");
  out.push_back({sub, std::make_unique<LockCommand>(*sub)});
}

} // namespace crun::cli
