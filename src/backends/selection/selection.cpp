// Preference, candidates, pings, verdicts: see selection.hpp for the rules.

#include <crun/backends/selection/selection.hpp>

#include "probe_all.hpp"

#include <crun/backends/selection/discovery.hpp>
#include <crun/backends/selection/engine_kinds.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>

namespace crun::backends::selection {
namespace {

// Whether the preference accepts an engine of `kind`.
bool accepts(const Preference& preference, EngineKind kind)
{
  switch (preference.backend) {
  case BackendChoice::automatic: return true;
  case BackendChoice::docker: return kind == EngineKind::docker;
  case BackendChoice::podman: return kind == EngineKind::podman;
  case BackendChoice::apple: return kind == EngineKind::apple;
  }
  return false;
}

// What a candidate is, from its probe alone (judged by its kind's row of
// the table); the choice comes after.
Assessment assess(const Candidate& candidate, const ProbeOutcome& outcome,
                  const PodmanServicePlan& plan)
{
  Assessment a;
  a.candidate = candidate;
  a.kind = candidate.expected;
  a.fix = candidate.fix;
  bool on_demand = candidate.origin == Origin::on_demand_podman;
  using Status = ProbeOutcome::Status;
  switch (outcome.status) {
  case Status::answered:
  case Status::failed: engine_kind(candidate.expected).assess(a, outcome); break;
  case Status::skipped:
    a.health = candidate.unsupported ? Health::unsupported : Health::invalid;
    a.verdict = candidate.problem;
    break;
  case Status::absent:
    a.health = Health::absent;
    a.verdict = outcome.message;
    break;
  }
  if (on_demand && a.health != Health::healthy) {
    // A missing or stale private socket only means no service runs now.
    if (plan.podman.empty()) {
      a.health = Health::absent;
      a.verdict = "podman is not installed (not on PATH)";
    } else {
      a.health = Health::not_started;
      a.verdict =
        fmt::format("not running; crun-any starts {} when no other engine answers", plan.podman);
      a.fix.clear();
    }
  }
  return a;
}

std::string describe_engine(const Assessment& a)
{
  std::string text(engine_kind_name(a.kind));
  if (!a.engine_version.empty()) {
    text += " " + a.engine_version;
  }
  return text;
}

std::string rejection_for_kind(const Assessment& a, const Preference& preference)
{
  return fmt::format("answers as {}, but {} asks for {}", engine_kind_name(a.kind),
                     preference.source, choice_name(preference.backend));
}

void choose_named_endpoint(Selection& s)
{
  Assessment& a = s.candidates.front();
  if (a.health != Health::healthy) {
    return;
  }
  s.chosen = 0;
  a.chosen = true;
  a.verdict = fmt::format("chosen: the endpoint {} names", a.candidate.source);
  if (s.preference.backend != BackendChoice::automatic && !accepts(s.preference, a.kind)) {
    // The socket the user named is the authority; the adapter that matches
    // its API is the one that drives it correctly.
    std::string why = fmt::format("{} answers as {} although {} asks for {}: using the {} adapter",
                                  a.candidate.uri, engine_kind_name(a.kind), s.preference.source,
                                  choice_name(s.preference.backend), engine_kind_name(a.kind));
    a.verdict += "; " + why;
    s.notes.push_back({Note::Level::info, why});
  }
}

// The on-demand service, when nothing else is usable: started through the
// starter (without one, it is chosen as it stands, to be started later).
void start_on_demand(Selection& s, std::size_t index, const PodmanServicePlan& plan,
                     const SelectionSeams& seams)
{
  Assessment& a = s.candidates[index];
  if (a.health != Health::not_started) {
    return;
  }
  auto idle = podman_idle_timeout(seams.env); // throws for a bad value, before anything starts
  std::string verdict = fmt::format("chosen: no other engine answers, so crun-any runs `podman "
                                    "system service` on a private socket (it exits after {} s "
                                    "idle)",
                                    idle.count());
  if (!seams.starter) {
    s.chosen = index;
    a.chosen = true;
    a.verdict = std::move(verdict);
    return;
  }
  try {
    ProbeResult probe = seams.starter->start(plan);
    mark_pinged(a, probe);
    s.chosen = index;
    a.chosen = true;
    a.verdict = std::move(verdict);
  } catch (const Error& error) {
    if (error.code() != Errc::engine_unavailable) {
      throw;
    }
    a.health = Health::failed;
    a.verdict = error.message();
    a.fix = fmt::format("see the service's log {}", plan.log);
  }
}

void choose_by_rank(Selection& s, const PodmanServicePlan& plan, const SelectionSeams& seams)
{
  for (std::size_t i = 0; i < s.candidates.size(); ++i) {
    Assessment& a = s.candidates[i];
    if (a.health == Health::healthy && accepts(s.preference, a.kind)) {
      s.chosen = i;
      a.chosen = true;
      a.verdict = a.candidate.origin == Origin::on_demand_podman
                    ? "chosen: a Podman service crun-any started earlier answers; it is reused"
                    : "chosen: the highest-ranked healthy candidate";
      break;
    }
  }
  std::optional<std::size_t> on_demand;
  if (!s.candidates.empty() && s.candidates.back().candidate.origin == Origin::on_demand_podman) {
    on_demand = s.candidates.size() - 1;
  }
  bool podman_ok = accepts(s.preference, EngineKind::podman);
  if (!s.chosen && on_demand && podman_ok) {
    start_on_demand(s, *on_demand, plan, seams);
  }

  const Assessment* chosen = s.chosen_candidate();
  for (std::size_t i = 0; i < s.candidates.size(); ++i) {
    Assessment& a = s.candidates[i];
    if (a.chosen) {
      continue;
    }
    if (a.health == Health::healthy) {
      a.verdict = !accepts(s.preference, a.kind)
                    ? rejection_for_kind(a, s.preference)
                    : fmt::format("healthy, but {} ranks higher", chosen->candidate.source);
    } else if (a.health == Health::not_started) {
      a.verdict = !podman_ok ? fmt::format("not considered: {} asks for {}", s.preference.source,
                                           choice_name(s.preference.backend))
                  : chosen   ? fmt::format("not needed: {} answers", chosen->candidate.source)
                             : a.verdict;
    }
  }
}

// "DOCKER_HOST=unix:///x.sock" for a variable, "docker context \"x\" (unix:///…)"
// for the rest.
std::string setting_text(const Candidate& c)
{
  if (c.uri.empty()) {
    return c.source;
  }
  bool variable = c.origin == Origin::docker_host || c.origin == Origin::container_host;
  return variable ? fmt::format("{}={}", c.source, c.uri) : fmt::format("{} ({})", c.source, c.uri);
}

void add_notes(Selection& s)
{
  const Assessment* chosen = s.chosen_candidate();
  if (!chosen) {
    return;
  }
  if (chosen->kind != chosen->candidate.expected && !s.single_endpoint) {
    s.notes.push_back(
      {Note::Level::info,
       fmt::format("{} ({}) answers as {}: using the {} adapter", chosen->candidate.source,
                   chosen->candidate.uri, engine_kind_name(chosen->kind),
                   engine_kind_name(chosen->kind))});
  }
  // A setting the user made explicitly that does not work deserves a word
  // even though another engine answers.
  for (std::size_t i = 0; i < *s.chosen; ++i) {
    const Assessment& a = s.candidates[i];
    if (!is_explicit(a.candidate.origin)) {
      continue;
    }
    // Broken is worth a warning; healthy but of the other kind was the
    // user's own --backend choice.
    s.notes.push_back({a.health == Health::healthy ? Note::Level::info : Note::Level::warning,
                       fmt::format("{} is not used ({}); using {} at {} ({}) instead",
                                   setting_text(a.candidate), a.verdict, describe_engine(*chosen),
                                   chosen->candidate.uri, chosen->candidate.source)});
  }
  s.notes.push_back(
    {Note::Level::info, fmt::format("using {} at {} (from {})", describe_engine(*chosen),
                                    chosen->candidate.uri, chosen->candidate.source)});
}

} // namespace

std::string_view health_name(Health health) noexcept
{
  switch (health) {
  case Health::healthy: return "healthy";
  case Health::absent: return "absent";
  case Health::unreachable: return "unreachable";
  case Health::not_an_engine: return "not_an_engine";
  case Health::unsupported: return "unsupported";
  case Health::invalid: return "invalid";
  case Health::not_started: return "not_started";
  case Health::failed: return "failed";
  }
  return "unknown";
}

Selection select_backend(const SelectionInput& input, const SelectionSeams& seams)
{
  Selection s;
  s.preference = resolve_preference(input.backend_flag, seams.env, seams.files);
  if (!input.host_flag.empty() && s.preference.backend == BackendChoice::apple) {
    fail(Errc::usage,
         "--host {} cannot be used with the apple backend (from {}): Apple's container is driven "
         "through its CLI and has no endpoint; drop --host, or choose --backend docker or podman",
         input.host_flag, s.preference.source);
  }
  Discovery discovery = discover_candidates(s.preference, input.host_flag, seams.env, seams.files,
                                            seams.host, input.os);
  s.single_endpoint = discovery.single_endpoint;
  for (auto& warning : discovery.warnings) {
    s.notes.push_back({Note::Level::info, std::move(warning)});
  }

  auto outcomes = probe_all(discovery.candidates, seams.host, *seams.prober, input.probe_timeout);
  for (std::size_t i = 0; i < discovery.candidates.size(); ++i) {
    s.candidates.push_back(assess(discovery.candidates[i], outcomes[i], discovery.podman_service));
  }

  if (s.single_endpoint) {
    choose_named_endpoint(s);
  } else {
    choose_by_rank(s, discovery.podman_service, seams);
  }
  add_notes(s);
  return s;
}

} // namespace crun::backends::selection
