// `crun-any images [-q] [--digests] [--format F]`: the local images, as
// docker lists them; rows in the inspect schema's names for --format
// (docs/inspect-schema.md, "List rows").

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <set>

namespace crun::cli {
namespace {

// "repo:tag" split at the tag's colon (a registry's port has one too).
std::pair<std::string, std::string> split_tag(const std::string& name)
{
  auto colon = name.rfind(':');
  if (colon == std::string::npos || name.find('/', colon) != std::string::npos) {
    return {name, "<none>"};
  }
  return {name.substr(0, colon), name.substr(colon + 1)};
}

// The digest of `repository` among "repo@sha256:..." entries.
std::string digest_of(const std::vector<std::string>& repo_digests, const std::string& repository)
{
  for (const auto& entry : repo_digests) {
    auto at = entry.find('@');
    if (at != std::string::npos && entry.substr(0, at) == repository) {
      return entry.substr(at + 1);
    }
  }
  return "<none>";
}

class ImagesCommand : public Command {
public:
  explicit ImagesCommand(CLI::App& sub)
  {
    sub.add_flag("-q,--quiet", m_quiet, "Only the IDs");
    sub.add_flag("--digests", m_digests, "Show the digests");
    sub.add_option("--format", m_format, "json, or a template like '{{.id}}'")->type_name("F");
  }

  // `images load -i x.tar` (Apple's spelling) is a refused verb, not a
  // usage error: from its first word on, the frame hands it over unparsed.
  bool stops_at_first_positional() const override { return true; }
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  void set_positionals(std::vector<std::string> args) override { m_words = std::move(args); }

  int execute(Context& ctx) override
  {
    if (!m_words.empty()) {
      core::VerbPath verb{"images"};
      for (const auto& word : m_words) {
        if (word.starts_with("-")) {
          break;
        }
        verb.push_back(word);
      }
      refuse_verb(verb);
    }
    Session session(ctx, {"images"});
    auto rows = session.engine().list_images();
    if (m_quiet) {
      std::set<std::string> seen;
      for (const auto& row : rows) {
        if (seen.insert(row.id).second) {
          ctx.io.out << short_id(row.id) << "\n";
        }
      }
      return exit_code::ok;
    }
    if (!m_format.empty()) {
      std::vector<nlohmann::json> docs;
      docs.reserve(rows.size());
      for (const auto& row : rows) {
        docs.push_back(backends::to_json(row));
      }
      print_formatted(ctx.io.out, m_format, docs);
      return exit_code::ok;
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows) {
      std::string created = row.created_unix != 0 ? human_ago(row.created_unix, now) : "";
      auto add = [&](const std::string& repository, const std::string& tag) {
        std::vector<std::string> line{repository, tag};
        if (m_digests) {
          line.push_back(digest_of(row.repo_digests, repository));
        }
        line.insert(line.end(), {short_id(row.id), created, human_size(row.size)});
        cells.push_back(std::move(line));
      };
      if (row.repo_tags.empty()) {
        // An image known by digest only: docker lists it as <none> with
        // the repository of its digest.
        std::string repository = "<none>";
        if (!row.repo_digests.empty()) {
          repository = row.repo_digests.front().substr(0, row.repo_digests.front().find('@'));
        }
        add(repository, "<none>");
      }
      for (const auto& tag : row.repo_tags) {
        auto [repository, name_tag] = split_tag(tag);
        add(repository, name_tag);
      }
    }
    std::vector<std::string> header{"REPOSITORY", "TAG"};
    if (m_digests) {
      header.emplace_back("DIGEST");
    }
    header.insert(header.end(), {"IMAGE ID", "CREATED", "SIZE"});
    ctx.io.out << render_table(header, cells);
    return exit_code::ok;
  }

private:
  bool m_quiet = false;
  bool m_digests = false;
  std::string m_format;
  std::vector<std::string> m_words;
};

} // namespace

void add_images_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("images", "List local images");
  out.push_back({sub, std::make_unique<ImagesCommand>(*sub)});
}

} // namespace crun::cli
