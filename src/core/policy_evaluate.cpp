// evaluate_policy: one function per rule, each appending its violation, so
// that all of them are reported and the rule order is the message order.
#include <crun/core/policy_evaluate.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace crun::core {
namespace {

template <typename T>
std::string set_by(const Sourced<T>& value)
{
  return describe_sources(value.sources);
}

class Evaluation {
public:
  Evaluation(const Policy& policy, const PolicyRequest& request)
    : m_policy(policy), m_request(request),
      m_platform(request.platform ? request.platform->normalized() : request.native.normalized())
  {
  }

  PolicyVerdict run()
  {
    verbs();
    privileged();
    backends();
    if (m_request.image) {
      registries(*m_request.image);
      digest(*m_request.image);
      lock(*m_request.image);
    }
    platform();
    platforms();
    emulation();
    return std::move(m_verdict);
  }

private:
  template <typename T>
  void violation(std::string_view rule, const Sourced<T>& value, std::string message)
  {
    m_verdict.violations.push_back({std::string(rule), set_by(value), std::move(message)});
  }

  void verbs()
  {
    if (!m_policy.pull_only || !m_policy.pull_only->value) {
      return;
    }
    const auto& blocked =
      m_policy.blocked_verbs ? m_policy.blocked_verbs->value : default_blocked_verbs();
    if (verb_blocked(m_request.verb, blocked)) {
      violation("pull_only", *m_policy.pull_only,
                fmt::format("pull_only (set by {}) refuses `{}`: images are built in CI and "
                            "pulled from a registry, never made locally; pull the image instead",
                            set_by(*m_policy.pull_only), verb_path_str(m_request.verb)));
    }
  }

  void privileged()
  {
    const auto& rule = m_policy.privileged;
    if (!m_request.privileged || !rule || rule->value) {
      return;
    }
    violation("privileged", *rule,
              fmt::format("privileged: false (set by {}) refuses --privileged: a privileged "
                          "container has every capability and the host's devices; add the "
                          "capabilities it needs with --cap-add instead",
                          set_by(*rule)));
  }

  void backends()
  {
    const auto& allowed = m_policy.backends;
    if (!allowed || m_request.backend.empty() ||
        std::find(allowed->value.begin(), allowed->value.end(), m_request.backend) !=
          allowed->value.end()) {
      return;
    }
    violation("backends", *allowed,
              allowed->value.empty()
                ? fmt::format("backends (set by {}) allow no backend at all (the lists share "
                              "none), not {}: align those files",
                              set_by(*allowed), m_request.backend)
                : fmt::format("backends (set by {}) allow {}, not {}: use --backend {}",
                              set_by(*allowed), fmt::join(allowed->value, ", "), m_request.backend,
                              allowed->value.front()));
  }

  void registries(const ImageRef& ref)
  {
    const auto& allowed = m_policy.allowed_registries;
    if (!allowed || std::any_of(allowed->value.begin(), allowed->value.end(),
                                [&ref](const RegistryPrefix& p) { return p.admits(ref); })) {
      return;
    }
    if (allowed->value.empty()) {
      violation("allowed_registries", *allowed,
                fmt::format("allowed_registries (set by {}) admit no registry at all (the lists "
                            "share none), so not {}: align those files",
                            set_by(*allowed), ref.familiar()));
      return;
    }
    std::vector<std::string> names;
    for (const auto& prefix : allowed->value) {
      names.push_back(prefix.str());
    }
    violation("allowed_registries", *allowed,
              fmt::format("allowed_registries (set by {}) do not admit {} (registry {}): use an "
                          "image under {}",
                          set_by(*allowed), ref.familiar(), ref.domain(), fmt::join(names, ", ")));
  }

  void digest(const ImageRef& ref)
  {
    const auto& rule = m_policy.require_digest;
    if (!rule || !rule->value || ref.digest() || locked_for(m_request.lock, ref, m_platform)) {
      return;
    }
    violation("require_digest", *rule,
              fmt::format("require_digest (set by {}): {} has no digest and its tag is not "
                          "locked for {}: give it by digest ({}@sha256:...) or lock the tag "
                          "(`crun-any lock`)",
                          set_by(*rule), ref.familiar(), m_platform, ref.repository()));
  }

  void lock(const ImageRef& ref)
  {
    const auto& rule = m_policy.require_lock;
    if (!rule || !rule->value || locked_for(m_request.lock, ref, m_platform)) {
      return;
    }
    std::string why = m_request.lock == nullptr ? "there is no lock file"
                      : ref.digest()            ? "the lock does not hold that digest for it"
                                                : "the lock does not hold its tag for it";
    violation("require_lock", *rule,
              fmt::format("require_lock (set by {}): {} is not locked for {} ({}): lock it "
                          "(`crun-any lock`) and commit the lock file",
                          set_by(*rule), ref.familiar(), m_platform, why));
  }

  void platform()
  {
    const auto& rule = m_policy.platform;
    if (!rule || m_platform.matches(rule->value)) {
      return;
    }
    violation("platform", *rule,
              fmt::format("platform (set by {}) requires {}, not {}: use --platform {} (or none)",
                          set_by(*rule), rule->value, m_platform, rule->value));
  }

  void platforms()
  {
    const auto& rule = m_policy.platforms;
    if (!rule || std::any_of(rule->value.begin(), rule->value.end(),
                             [this](const Platform& p) { return m_platform.matches(p); })) {
      return;
    }
    violation("platforms", *rule,
              rule->value.empty()
                ? fmt::format("platforms (set by {}) allow no platform at all (the lists share "
                              "none), not {}: align those files",
                              set_by(*rule), m_platform)
                : fmt::format("platforms (set by {}) allow {}, not {}: use --platform with one "
                              "of them",
                              set_by(*rule), fmt::join(rule->value, ", "), m_platform));
  }

  void emulation()
  {
    const Platform native = m_request.native.normalized();
    if (!needs_emulation(m_platform, native)) {
      return;
    }
    const auto& rule = m_policy.emulation;
    std::string source = rule ? set_by(*rule) : describe_sources({});
    EmulationMode mode = rule ? rule->value : EmulationMode::allow;
    if (mode == EmulationMode::deny) {
      m_verdict.violations.push_back(
        {"emulation", source,
         fmt::format("emulation: deny (set by {}): {} is not the engine's platform ({}) and "
                     "would run emulated: use an image for {}",
                     source, m_platform, native, native)});
    }
    if (m_request.emulator == EmulatorState::absent) {
      // An absent emulator refuses whatever the mode: the alternative is
      // "exec format error" from inside the container, later.
      m_verdict.violations.push_back(
        {"emulation", source,
         fmt::format("{}{} needs an emulator on this {} engine and none is installed for {}: "
                     "install one (Linux: `docker run --privileged --rm tonistiigi/binfmt "
                     "--install {}`; macOS: `softwareupdate --install-rosetta`) or use an image "
                     "for {}",
                     rule ? fmt::format("emulation (set by {}): ", source) : std::string(),
                     m_platform, native, m_platform.architecture, m_platform.architecture,
                     native)});
      return;
    }
    if (mode == EmulationMode::deny) {
      return;
    }
    if (mode == EmulationMode::warn) {
      m_verdict.warnings.push_back(
        {"emulation", source,
         fmt::format("{} is not the engine's platform ({}): it runs emulated, slower and "
                     "with less fidelity (emulation: warn, set by {})",
                     m_platform, native, source)});
    }
    if (m_request.emulator == EmulatorState::unknown) {
      m_verdict.warnings.push_back(
        {"emulation", source,
         fmt::format("{} needs an emulator and crun-any cannot tell whether one is installed "
                     "for {}; without one the container fails with \"exec format error\"",
                     m_platform, m_platform.architecture)});
    }
  }

  const Policy& m_policy;
  const PolicyRequest& m_request;
  Platform m_platform;
  PolicyVerdict m_verdict;
};

bool holds(const LockedImage& entry, const std::string& platform_key, const Digest& digest)
{
  auto it = entry.platforms.find(platform_key);
  return it != entry.platforms.end() && (entry.digest == digest || it->second == digest);
}

} // namespace

bool verb_blocked(const VerbPath& verb, const std::vector<VerbPath>& blocked)
{
  return std::any_of(blocked.begin(), blocked.end(), [&verb](const VerbPath& prefix) {
    return !prefix.empty() && prefix.size() <= verb.size() &&
           std::equal(prefix.begin(), prefix.end(), verb.begin());
  });
}

bool needs_emulation(const Platform& platform, const Platform& native)
{
  Platform a = platform.normalized();
  Platform b = native.normalized();
  return a.os != b.os || a.architecture != b.architecture;
}

bool locked_for(const LockFile* lock, const ImageRef& ref, const Platform& platform)
{
  if (lock == nullptr) {
    return false;
  }
  std::string key = lock_platform_key(platform);
  if (ref.tag()) {
    const LockedImage* entry = lock->find(ref);
    if (entry == nullptr || !entry->platforms.contains(key)) {
      return false;
    }
    return !ref.digest() || holds(*entry, key, *ref.digest());
  }
  if (!ref.digest()) {
    // A bare name is its :latest tag, as lock_key() reads it.
    return lock->find(ref) != nullptr && lock->find(ref)->platforms.contains(key);
  }
  std::string repository = ref.repository();
  return std::any_of(lock->images.begin(), lock->images.end(), [&](const auto& item) {
    return item.first.compare(0, repository.size() + 1, repository + ":") == 0 &&
           holds(item.second, key, *ref.digest());
  });
}

PolicyVerdict evaluate_policy(const Policy& policy, const PolicyRequest& request)
{
  return Evaluation(policy, request).run();
}

} // namespace crun::core
