// doctor's text and JSON, and the error when no engine is usable.

#include <crun/backends/selection/report.hpp>

#include <crun/backends/selection/engine_kinds.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace crun::backends::selection {
namespace {

using json = nlohmann::ordered_json;

json or_null(const std::string& text)
{
  return text.empty() ? json(nullptr) : json(text);
}

json version_json(const Assessment& a)
{
  if (a.cli) {
    // A CLI has no API version; its client and its service each have one.
    return json{{"engine", or_null(a.engine_version)},
                {"api", nullptr},
                {"libpod_api", nullptr},
                {"client", or_null(a.cli->client_version)},
                {"server", or_null(a.cli->server_version)}};
  }
  if (!a.probe) {
    return nullptr;
  }
  json v = {{"engine", a.engine_version.empty() ? json(nullptr) : json(a.engine_version)},
            {"api", a.probe->api_version},
            {"libpod_api",
             a.probe->libpod_version.empty() ? json(nullptr) : json(a.probe->libpod_version)}};
  return v;
}

json candidate_json(const Assessment& a, std::size_t rank)
{
  const Candidate& c = a.candidate;
  return json{
    {"rank", rank},
    {"origin", origin_id(c.origin)},
    {"source", c.source},
    {"endpoint", c.uri.empty() ? json(nullptr) : json(c.uri)},
    {"also_named_by", c.also_named_by},
    {"expected", engine_kind_name(c.expected)},
    {"kind", a.health == Health::healthy ? json(engine_kind_name(a.kind)) : json(nullptr)},
    {"health", health_name(a.health)},
    {"version", version_json(a)},
    {"chosen", a.chosen},
    {"verdict", a.verdict},
    {"fix", a.fix.empty() || a.chosen ? json(nullptr) : json(a.fix)},
  };
}

std::string versions_text(const Assessment& a)
{
  if (a.cli) {
    return fmt::format("apple container, client {}, server {}",
                       a.cli->client_version.empty() ? "?" : a.cli->client_version,
                       a.cli->server_version.empty() ? "?" : a.cli->server_version);
  }
  if (!a.probe) {
    return {};
  }
  std::string text(engine_kind_name(a.kind));
  if (!a.engine_version.empty()) {
    text += " " + a.engine_version;
  }
  text += ", API " + a.probe->api_version;
  if (!a.probe->libpod_version.empty()) {
    text += ", libpod API " + a.probe->libpod_version;
  }
  return text;
}

std::string preference_text(const Preference& p)
{
  return fmt::format("{} (from {})", choice_name(p.backend), p.source);
}

// Absent well-known sockets say little one by one; explicit settings, the
// on-demand service and a missing CLI (which has no socket to name) always
// say their piece.
bool is_quiet(const Assessment& a)
{
  return a.health == Health::absent && !is_explicit(a.candidate.origin) &&
         a.candidate.origin != Origin::on_demand_podman && a.candidate.endpoint.has_value();
}

// Where the target is: "endpoint" for a socket, "cli" for an executable.
std::string_view target_label(const Candidate& c)
{
  return engine_kind(c.expected).target == EngineKindEntry::Target::executable ? "cli:     "
                                                                               : "endpoint:";
}

} // namespace

nlohmann::ordered_json selection_to_json(const Selection& selection)
{
  json candidates = json::array();
  json chosen = nullptr;
  for (std::size_t i = 0; i < selection.candidates.size(); ++i) {
    candidates.push_back(candidate_json(selection.candidates[i], i + 1));
    if (selection.candidates[i].chosen) {
      chosen = candidates.back();
    }
  }
  json notes = json::array();
  for (const auto& note : selection.notes) {
    notes.push_back(
      {{"level", note.level == Note::Level::warning ? "warning" : "info"}, {"text", note.text}});
  }
  return json{
    {"preference",
     {{"backend", choice_name(selection.preference.backend)},
      {"source", selection.preference.source}}},
    {"single_endpoint", selection.single_endpoint},
    {"chosen", chosen},
    {"candidates", candidates},
    {"notes", notes},
  };
}

std::string render_selection(const Selection& selection)
{
  std::string out;
  out += fmt::format("Backend:  {}\n", preference_text(selection.preference));
  if (const Assessment* chosen = selection.chosen_candidate()) {
    out += fmt::format("Chosen:   {} at {} (from {})\n",
                       chosen->probe || chosen->cli ? versions_text(*chosen)
                                                    : std::string(engine_kind_name(chosen->kind)),
                       chosen->candidate.uri, chosen->candidate.source);
  } else {
    out += "Chosen:   none: no usable container engine\n";
  }
  out +=
    selection.single_endpoint ? "\nThe one endpoint named:\n" : "\nCandidates, in ranking order:\n";
  bool any_chosen = selection.chosen.has_value();
  for (std::size_t i = 0; i < selection.candidates.size(); ++i) {
    const Assessment& a = selection.candidates[i];
    const Candidate& c = a.candidate;
    out += fmt::format("{:>3}. {}  [{}{}]\n", i + 1, c.source, health_name(a.health),
                       a.chosen ? ", chosen" : "");
    if (!c.uri.empty()) {
      out += fmt::format("       {} {}\n", target_label(c), c.uri);
    }
    if (any_chosen && is_quiet(a)) {
      continue;
    }
    for (const auto& alias : c.also_named_by) {
      out += fmt::format("       also:     {}\n", alias);
    }
    if (a.probe || a.cli) {
      out += fmt::format("       engine:   {}\n", versions_text(a));
    }
    out += fmt::format("       why:      {}\n", a.verdict);
    if (!a.chosen && !a.fix.empty()) {
      out += fmt::format("       fix:      {}\n", a.fix);
    }
  }
  if (!selection.notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& note : selection.notes) {
      out += fmt::format("  {}: {}\n", note.level == Note::Level::warning ? "warning" : "info",
                         note.text);
    }
  }
  return out;
}

std::string unavailable_message(const Selection& selection)
{
  const Preference& p = selection.preference;
  std::string out;
  if (selection.single_endpoint && !selection.candidates.empty()) {
    const Assessment& a = selection.candidates.front();
    out = fmt::format("no container engine answers at {} (from {}): {}",
                      a.candidate.uri.empty() ? "the endpoint" : a.candidate.uri,
                      a.candidate.source, a.verdict);
    if (!a.fix.empty()) {
      out += fmt::format("\n  fix: {}", a.fix);
    }
  } else {
    out = fmt::format("no usable container engine (backend: {}, from {}); tried, in ranking "
                      "order:",
                      choice_name(p.backend), p.source);
    // Absent well-known sockets are folded into one line, where they rank.
    std::vector<std::string> quiet;
    auto flush_quiet = [&] {
      if (!quiet.empty()) {
        out += fmt::format("\n  no socket at: {}", fmt::join(quiet, ", "));
        quiet.clear();
      }
    };
    for (const auto& a : selection.candidates) {
      if (is_quiet(a)) {
        quiet.push_back(a.candidate.endpoint ? a.candidate.endpoint->path : a.candidate.uri);
        continue;
      }
      flush_quiet();
      out += fmt::format("\n  {}{}: {}", a.candidate.source,
                         a.candidate.uri.empty() ? "" : " " + a.candidate.uri, a.verdict);
      if (!a.fix.empty()) {
        out += fmt::format("\n    fix: {}", a.fix);
      }
    }
    flush_quiet();
  }
  out += "\nrun `crun-any doctor` for details";
  return out;
}

} // namespace crun::backends::selection
