#pragma once
// One command's resolution of what it uses and whether it may: the policy in
// effect, the engine, the platform, the lock and the policy's verdict, in one
// place, so that pull, run, inspect, lock, verify and `policy check` enforce
// the same rules in the same order (docs/policy.md):
//   1. the frame loads the policy and refuses a blocked verb (enforce_verb);
//   2. screen(): the rules that need no engine and no network
//      (allowed_registries), before anything is contacted;
//   3. engine(), choose_platform(), lock();
//   4. admit(): every rule, with the engine's backend and platform and the
//      emulator detected;
//   5. for `run` under pull_only, admit_local_content(): the local image must
//      be content the registry or the lock holds.
// A refusal is Error(Errc::policy_denied) listing every violation; warnings
// go to stderr as "crun-any: warning: ...".

#include <crun/backends/engine.hpp>
#include <crun/cli/command.hpp>
#include <crun/cli/lock_store.hpp>
#include <crun/cli/policy_files.hpp>
#include <crun/core/platform_choice.hpp>
#include <crun/core/policy_evaluate.hpp>
#include <crun/registry/registry_client.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace crun::cli {

/// The policy of this invocation: where the machine's files are and what
/// they say, merged.
struct PolicyInEffect {
  SystemPaths paths;
  LoadedPolicy loaded;
};

/// Loads the policy for `ctx` (policy_files.hpp) into ctx.policy. Throws as
/// load_policy(): Error(Errc::policy_invalid) naming the file.
void load_policy_into(Context& ctx);

/// The effective policy of `ctx`; an empty one when none was loaded. Never
/// fails.
const core::Policy& effective_policy(const Context& ctx);

/// Refuses `verb` when pull_only blocks it. Throws
/// Error(Errc::policy_denied) naming pull_only and its file.
void enforce_verb(const Context& ctx, const core::VerbPath& verb);

/// Refuses `run --privileged` when the effective policy says
/// `"privileged": false`. Throws Error(Errc::policy_denied) naming the file.
void enforce_privileged(const Context& ctx);

/// The message of a refusal: one violation on one line, several as a list.
/// Never fails.
std::string refusal_message(const core::PolicyVerdict& verdict);

/// Prints each warning of `verdict` on ctx.io.err. Never fails.
void print_policy_warnings(const Context& ctx, const core::PolicyVerdict& verdict);

/// Whether the registry serves `ref` for `platform`, for
/// Session::admit's platform_served. Throws as RegistryClient::resolve and
/// manifest_for_platform (Error(Errc::not_found) listing the platforms it
/// has).
void served_for_platform(registry::RegistryClient& client, const core::ImageRef& ref,
                         const core::Platform& platform);

class Session {
public:
  /// `verb` is the command's words ({"run"}). Never fails.
  Session(Context& ctx, core::VerbPath verb);

  /// The rules that need neither engine nor registry: refuses `ref` before
  /// any network call when allowed_registries does not admit it. Throws
  /// Error(Errc::policy_denied).
  void screen(const core::ImageRef& ref) const;

  /// The engine (ctx.open_engine, else open_engine()), connected on first
  /// use, and refused when the policy's `backends` does not list it. Throws
  /// as open_engine(); Error(Errc::policy_denied) naming `backends`.
  backends::Engine& engine();

  /// --platform > CRUN_ANY_PLATFORM > DOCKER_DEFAULT_PLATFORM > the
  /// policy's `platform` > the engine's native platform. Throws as
  /// core::choose_platform() and engine().
  core::PlatformChoice choose_platform(const std::optional<std::string>& flag);

  /// The lock in effect (lock_store.hpp: the policy's `lockfile` first),
  /// read once; nullptr when there is none. Throws as load_lock().
  const LoadedLock* lock();

  /// Every rule for `ref` on `choice` with the engine in use: backends, the
  /// registry, digest and lock rules, platform(s), emulation (the emulator
  /// detected for the engine when the platform is not its own). Prints the
  /// warnings. Throws Error(Errc::policy_denied) listing every violation.
  /// With Emulation::ignored (verify: nothing runs), the emulation rule is
  /// left out. `platform_served`, when given, is called only when the
  /// platform needs an emulator the engine lacks: it asks the registry
  /// whether it serves that platform at all and throws Error(Errc::not_found)
  /// listing what it has, which is then the error instead. Returns the
  /// verdict (allowed, perhaps with warnings).
  enum class Emulation { checked, ignored };
  core::PolicyVerdict admit(const core::ImageRef& ref, const core::PlatformChoice& choice,
                            Emulation emulation = Emulation::checked,
                            const std::function<void()>& platform_served = {});

  /// The verdict for `ref` on `platform` without an engine (lock, `policy
  /// check`): the backends and emulation rules are left out. Throws as
  /// lock().
  core::PolicyVerdict judge(const core::ImageRef& ref, const core::Platform& platform);

  /// pull_only's check before `run` starts the local image `name` (a
  /// reference or repo@digest) for `ref` on `platform`: its ID or a repo
  /// digest of the same repository must be a digest the lock pins, crun-any
  /// recorded pulling (pull_record_store.hpp), or the registry serves for
  /// that name and platform; the registry is asked only when the first two
  /// do not decide. No check without pull_only
  /// or when the engine has no such image (the run then pulls it from the
  /// registry). Throws Error(Errc::policy_denied) when the content is not
  /// the registry's, or cannot be decided (the registry unreachable and the
  /// lock silent), saying which.
  void admit_local_content(const std::string& name, const core::ImageRef& ref,
                           const core::Platform& platform, registry::RegistryClient& client);

private:
  Context& m_ctx;
  core::VerbPath m_verb;
  std::unique_ptr<backends::Engine> m_engine;
  bool m_lock_loaded = false;
  std::optional<LoadedLock> m_lock;
};

} // namespace crun::cli
