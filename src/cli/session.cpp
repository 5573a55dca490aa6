#include <crun/cli/session.hpp>

#include "emulator_check.hpp"

#include <crun/cli/engine_access.hpp>
#include <crun/cli/engine_platform_store.hpp>
#include <crun/cli/lock_resolve.hpp>
#include <crun/cli/pull_record_store.hpp>
#include <crun/core/error.hpp>
#include <crun/core/policy_local_content.hpp>
#include <crun/util/printable.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace crun::cli {
namespace {

const core::Policy& empty_policy()
{
  static const core::Policy policy;
  return policy;
}

[[noreturn]] void refuse(const core::PolicyVerdict& verdict)
{
  throw Error(Errc::policy_denied, refusal_message(verdict));
}

// Refuses `request` by `rules` alone: a subset of the effective policy, for
// a check made before everything evaluate_policy needs is known.
void enforce_rules(const core::Policy& rules, const core::PolicyRequest& request)
{
  core::PolicyVerdict verdict = core::evaluate_policy(rules, request);
  if (!verdict.allowed()) {
    refuse(verdict);
  }
}

// The digests in `names` ("repo@sha256:...") that belong to `repository`.
std::vector<core::Digest> repo_digests_of(const std::vector<std::string>& names,
                                          const std::string& repository)
{
  std::vector<core::Digest> digests;
  for (const auto& name : names) {
    auto at = name.rfind('@');
    if (at == std::string::npos || name.compare(0, at, repository) != 0 ||
        at != repository.size()) {
      continue;
    }
    if (auto digest = core::Digest::try_parse(name.substr(at + 1))) {
      digests.push_back(*digest);
    }
  }
  return digests;
}

} // namespace

void served_for_platform(registry::RegistryClient& client, const core::ImageRef& ref,
                         const core::Platform& platform)
{
  client.manifest_for_platform(client.resolve(ref), platform);
}

void load_policy_into(Context& ctx)
{
  auto state = std::make_shared<PolicyInEffect>();
  state->paths = system_paths(ctx.env);
  state->loaded = load_policy(ctx, state->paths);
  ctx.policy = std::move(state);
}

const core::Policy& effective_policy(const Context& ctx)
{
  return ctx.policy ? ctx.policy->loaded.effective : empty_policy();
}

void enforce_verb(const Context& ctx, const core::VerbPath& verb)
{
  const core::Policy& policy = effective_policy(ctx);
  core::Policy verbs_only;
  verbs_only.pull_only = policy.pull_only;
  verbs_only.blocked_verbs = policy.blocked_verbs;
  core::PolicyRequest request;
  request.verb = verb;
  enforce_rules(verbs_only, request);
}

void enforce_privileged(const Context& ctx)
{
  core::Policy privileged_only;
  privileged_only.privileged = effective_policy(ctx).privileged;
  core::PolicyRequest request;
  request.verb = {"run"};
  request.privileged = true;
  enforce_rules(privileged_only, request);
}

std::string refusal_message(const core::PolicyVerdict& verdict)
{
  // A refusal no file asked for (an emulator the machine lacks) is not the
  // policy's.
  const std::string built_in = core::describe_sources({});
  bool by_policy = std::any_of(verdict.violations.begin(), verdict.violations.end(),
                               [&](const core::Violation& v) { return v.file != built_in; });
  const char* what = by_policy ? "refused by the policy" : "refused";
  if (verdict.violations.size() == 1) {
    return fmt::format("{}: {}", what, verdict.violations.front().message);
  }
  std::string message = fmt::format("{} ({} violations):", what, verdict.violations.size());
  for (const auto& violation : verdict.violations) {
    message += "\n  - " + violation.message;
  }
  return message;
}

void print_policy_warnings(const Context& ctx, const core::PolicyVerdict& verdict)
{
  for (const auto& warning : verdict.warnings) {
    fmt::print(ctx.io.err, "crun-any: warning: {}\n", util::escape_unprintable(warning.message));
  }
  ctx.io.err.flush();
}

Session::Session(Context& ctx, core::VerbPath verb) : m_ctx(ctx), m_verb(std::move(verb)) {}

void Session::screen(const core::ImageRef& ref) const
{
  const core::Policy& policy = effective_policy(m_ctx);
  if (!policy.allowed_registries) {
    return;
  }
  core::Policy registries_only;
  registries_only.allowed_registries = policy.allowed_registries;
  core::PolicyRequest request;
  request.verb = m_verb;
  request.image = ref;
  enforce_rules(registries_only, request);
}

backends::Engine& Session::engine()
{
  if (!m_engine) {
    auto engine = m_ctx.open_engine ? m_ctx.open_engine(m_ctx) : open_engine(m_ctx);
    // The backends rule holds for every command that uses an engine, the
    // moment it is chosen, before anything is asked of it.
    const core::Policy& policy = effective_policy(m_ctx);
    if (policy.backends) {
      core::Policy backends_only;
      backends_only.backends = policy.backends;
      core::PolicyRequest request;
      request.verb = m_verb;
      request.backend = engine->info().backend;
      enforce_rules(backends_only, request);
    }
    m_engine = std::move(engine);
  }
  return *m_engine;
}

core::PlatformChoice Session::choose_platform(const std::optional<std::string>& flag)
{
  const core::Policy& policy = effective_policy(m_ctx);
  auto choice =
    core::choose_platform(flag, m_ctx.env, [this] { return native_platform_of(m_ctx, engine()); });
  if (choice.explicit_choice || !policy.platform) {
    return choice;
  }
  // The policy's platform comes after every explicit choice and before the
  // engine's own (PRODUCT.md, Platform).
  return {policy.platform->value.normalized(),
          fmt::format("policy ({})", core::describe_sources(policy.platform->sources)), true};
}

const LoadedLock* Session::lock()
{
  if (!m_lock_loaded) {
    m_lock = load_lock(m_ctx);
    m_lock_loaded = true;
  }
  return m_lock ? &*m_lock : nullptr;
}

core::PolicyVerdict Session::admit(const core::ImageRef& ref, const core::PlatformChoice& choice,
                                   Emulation emulation,
                                   const std::function<void()>& platform_served)
{
  backends::Engine& eng = engine();
  core::PolicyRequest request;
  request.verb = m_verb;
  request.image = ref;
  request.platform = choice.platform;
  request.backend = eng.info().backend;
  const LoadedLock* loaded = lock();
  request.lock = loaded ? &loaded->lock : nullptr;
  // The engine's own platform is asked only when the platform was chosen:
  // otherwise it is the engine's, and nothing runs emulated.
  request.native = choice.explicit_choice && emulation == Emulation::checked
                     ? native_platform_of(m_ctx, eng)
                     : choice.platform;
  std::string detail;
  if (core::needs_emulation(choice.platform, request.native)) {
    request.emulator = detect_emulator(m_ctx, eng.info(), choice.platform, request.native, &detail);
  }
  core::PolicyVerdict verdict = core::evaluate_policy(effective_policy(m_ctx), request);
  if (!detail.empty() && m_ctx.global.verbosity > 0) {
    fmt::print(m_ctx.io.err, "crun-any: emulator for {}: {}\n", choice.platform.str(), detail);
  }
  if (!verdict.allowed()) {
    bool emulator_missing = request.emulator == core::EmulatorState::absent &&
                            std::any_of(verdict.violations.begin(), verdict.violations.end(),
                                        [](const auto& v) { return v.rule == "emulation"; });
    if (emulator_missing && platform_served) {
      // An image the registry does not have for that platform at all is the
      // truer answer than an emulator to install: let the registry say so
      // (its error lists the platforms it has). Only this refusal pays for
      // the question.
      try {
        platform_served();
      } catch (const Error& error) {
        if (error.code() == Errc::not_found) {
          throw;
        }
      }
    }
    refuse(verdict);
  }
  print_policy_warnings(m_ctx, verdict);
  return verdict;
}

core::PolicyVerdict Session::judge(const core::ImageRef& ref, const core::Platform& platform)
{
  core::PolicyRequest request;
  request.verb = m_verb;
  request.image = ref;
  request.platform = platform;
  const LoadedLock* loaded = lock();
  request.lock = loaded ? &loaded->lock : nullptr;
  // No engine: nothing is known to run emulated.
  request.native = platform;
  return core::evaluate_policy(effective_policy(m_ctx), request);
}

void Session::admit_local_content(const std::string& name, const core::ImageRef& ref,
                                  const core::Platform& platform, registry::RegistryClient& client)
{
  const core::Policy& policy = effective_policy(m_ctx);
  if (!policy.pull_only || !policy.pull_only->value) {
    return;
  }
  auto image = engine().inspect_image(name);
  if (!image) {
    return;
  }
  // The ID (a config digest, or a manifest/index digest on a containerd
  // store) or a repo digest of this repository: a digest names content, so
  // a local build can carry one only for its own, different, manifest.
  std::vector<core::Digest> local = repo_digests_of(image->repo_digests, ref.repository());
  if (auto id = core::Digest::try_parse(image->id)) {
    local.insert(local.begin(), *id);
  }
  core::KnownContent known;
  if (const LoadedLock* loaded = lock()) {
    known.digests = core::locked_digests(loaded->lock, ref, platform);
  }
  for (auto& digest : core::recorded_digests(read_pull_record(m_ctx), ref.repository(), platform)) {
    known.digests.push_back(std::move(digest));
  }
  auto any_known = [&] {
    return std::any_of(local.begin(), local.end(), [&](const core::Digest& digest) {
      return std::find(known.digests.begin(), known.digests.end(), digest) != known.digests.end();
    });
  };
  if (any_known()) {
    return; // the lock or crun-any's own pull decides, offline
  }
  try {
    registry::ResolvedImage resolved = client.resolve(ref);
    core::Digest manifest = client.manifest_for_platform(resolved, platform);
    known.digests.push_back(resolved.digest);
    known.digests.push_back(manifest);
    known.digests.push_back(resolved.manifest.is_index ? config_digest(client, ref, manifest)
                                                       : resolved.manifest.config->digest);
    known.complete = true;
  } catch (const Error& error) {
    // The registry's own answer that it serves no such name or platform is
    // complete: nothing local under that name is its content. Anything else
    // (unreachable, refused) leaves only the lock to decide.
    if (error.code() == Errc::not_found) {
      known.complete = true;
    } else if (m_ctx.global.verbosity > 0) {
      fmt::print(m_ctx.io.err, "crun-any: cannot read {} at the registry: {}\n", ref.str(),
                 util::escape_unprintable(error.message()));
    }
  }
  // Refused or undecidable: the message names the image's own ID.
  std::optional<core::LocalContentCheck> first;
  for (const auto& digest : local) {
    auto check = core::check_local_content(policy, ref, platform, digest, known);
    if (check.verdict == core::LocalContentVerdict::allowed) {
      return;
    }
    if (!first) {
      first = std::move(check);
    }
  }
  core::LocalContentCheck last = first.value_or(core::LocalContentCheck{});
  if (local.empty()) {
    last.message = fmt::format("pull_only (set by {}): the local image {} has no digest to "
                               "compare with the registry's",
                               core::describe_sources(policy.pull_only->sources), name);
  }
  core::PolicyVerdict verdict;
  verdict.violations.push_back(
    {"pull_only", core::describe_sources(policy.pull_only->sources), last.message});
  refuse(verdict);
}

} // namespace crun::cli
