#include "support/apple_standin.hpp"

#include "support/bench.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

extern char**
  environ; // NOLINT(readability-redundant-declaration): POSIX, not in <unistd.h> everywhere

namespace crun::test {
namespace {

using json = nlohmann::json;

std::string env_or(const char* name, const std::string& fallback)
{
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// The names of the test's own environment variables that start with `prefix`.
std::vector<std::string> inherited_with_prefix(const std::string& prefix)
{
  std::vector<std::string> names;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string kv = *entry;
    if (kv.starts_with(prefix)) {
      names.push_back(kv.substr(0, kv.find('=')));
    }
  }
  return names;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

// Options of run/create/image pull (and of the few other commands a test
// reads) that take a value: apple/container 1.2.2's Flags.swift.
std::set<std::string> value_options()
{
  std::istringstream names("--env -e --env-file --gid --user -u --uid --workdir -w --cwd --ulimit "
                           "--cpus -c --memory -m --arch -a --cap-add --cap-drop --cidfile --dns "
                           "--dns-domain --dns-option --dns-search --entrypoint --init-image "
                           "--kernel -k --kernel-arg --label -l --masked-path --mount --name "
                           "--network --os --publish -p --platform --publish-socket "
                           "--read-only-path --runtime --shm-size --tmpfs --volume -v --scheme "
                           "--progress --max-concurrent-downloads --format --signal ");
  std::set<std::string> out;
  for (std::string name; names >> name;) {
    out.insert(name);
  }
  return out;
}
const std::set<std::string> k_value_options = value_options();

std::string command_word(const std::string& word)
{
  if (word == "ls") {
    return "list";
  }
  if (word == "rm") {
    return "delete";
  }
  return word;
}

} // namespace

AppleStandin::AppleStandin()
{
  if (m_temp.path().empty()) {
    return;
  }
  m_state = m_temp.sub("state");
  m_log = m_temp.path() + "/argv.jsonl";
}

AppleStandin::~AppleStandin()
{
  cleanup();
}

std::string AppleStandin::dir()
{
  return env_or("CRUN_APPLE_STANDIN_DIR", CRUN_APPLE_STANDIN_DIR_DEFAULT);
}

std::string AppleStandin::executable()
{
  return dir() + "/container";
}

std::optional<std::string> AppleStandin::unavailable()
{
  if (::access(executable().c_str(), X_OK) != 0) {
    return "the stand-in for Apple's container CLI is not at " + executable();
  }
  auto python = run_process({"python3", "--version"});
  if (python.exit_code != 0) {
    return "the stand-in for Apple's container CLI needs python3: " + python.status();
  }
  return std::nullopt;
}

std::string AppleStandin::ns() const
{
  return sha256_hex(m_state).substr(0, 10);
}

std::vector<std::string> AppleStandin::crun_env() const
{
  return {"PATH=" + dir() + ":" + env_or("PATH", "/usr/local/bin:/usr/bin:/bin"),
          "CRUN_STANDIN_STATE=" + m_state, "CRUN_STANDIN_LOG=" + m_log};
}

ProcessResult AppleStandin::cli(const std::vector<std::string>& args, ProcessOptions options) const
{
  std::vector<std::string> unset = inherited_with_prefix("CONTAINER_");
  for (auto& name : inherited_with_prefix("CRUN_STANDIN_")) {
    unset.push_back(std::move(name));
  }
  options.env_unset.insert(options.env_unset.end(), unset.begin(), unset.end());
  options.env_set.insert(options.env_set.begin(), "CRUN_STANDIN_STATE=" + m_state);
  std::vector<std::string> argv = {executable()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

std::vector<json> AppleStandin::log() const
{
  std::vector<json> entries;
  std::ifstream in(m_log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) {
      continue;
    }
    json entry = json::parse(line, nullptr, false);
    if (entry.is_discarded() || !entry.is_object() || !entry.contains("argv")) {
      ADD_FAILURE() << "not a call in the stand-in's log " << m_log << ": " << line;
      continue;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

void AppleStandin::clear_log() const
{
  std::ofstream truncate(m_log, std::ios::trunc);
}

std::vector<std::string> AppleStandin::containers() const
{
  std::vector<std::string> ids;
  auto r = cli({"ls", "-a", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  json list = json::parse(r.out, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    ADD_FAILURE() << "container ls --format json: not a JSON array\n" << r.describe();
    return ids;
  }
  for (const auto& c : list) {
    ids.push_back(c.at("id"));
  }
  return ids;
}

std::vector<std::string> AppleStandin::containers_labelled(const std::string& key,
                                                           const std::string& value) const
{
  std::vector<std::string> ids;
  auto r = cli({"ls", "-a", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  json list = json::parse(r.out, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    ADD_FAILURE() << "container ls --format json: not a JSON array\n" << r.describe();
    return ids;
  }
  for (const auto& c : list) {
    const json& labels = c.at("configuration").at("labels");
    if (labels.contains(key) && labels.at(key) == value) {
      ids.push_back(c.at("id"));
    }
  }
  return ids;
}

std::vector<std::string> AppleStandin::podman_containers() const
{
  auto r =
    run_podman({"ps", "-a", "--format", "{{.Names}}", "--filter", "label=crun-standin.ns=" + ns()});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return lines_of(r.out);
}

std::vector<json> AppleStandin::expect_every_call_well_formed() const
{
  std::vector<json> entries = log();
  std::error_code ignored;
  const auto expected_argv0 = std::filesystem::weakly_canonical(executable(), ignored);
  for (const auto& entry : entries) {
    SCOPED_TRACE("logged call: " + entry.dump());
    const std::string argv0 = entry.value("argv0", "");
    EXPECT_TRUE(argv0.starts_with("/")) << "argv0 is not an absolute path: " << argv0;
    EXPECT_EQ(std::filesystem::weakly_canonical(argv0, ignored), expected_argv0);
    for (const auto& [name, value] : entry.at("env").items()) {
      EXPECT_FALSE(name.starts_with("CONTAINER_"))
        << name << " reached the CLI: it changes what Apple's container does";
    }
    AppleCall call = AppleCall::parse(entry);
    if (call.is_run() || call.is_pull()) {
      auto platforms = call.values({"--platform"});
      EXPECT_EQ(platforms.size(), 1u) << "a " << call.command << " without one --platform";
      if (!platforms.empty()) {
        EXPECT_TRUE(platforms.front().starts_with("linux/")) << platforms.front();
      }
      if (call.command != "create") { // create has no --progress
        EXPECT_EQ(call.values({"--progress"}), std::vector<std::string>{"none"});
      }
    }
    for (const auto& scheme : call.values({"--scheme"})) {
      EXPECT_NE(scheme, "auto") << "--scheme auto is gone in 1.3.0";
    }
  }
  return entries;
}

void AppleStandin::cleanup()
{
  if (m_cleaned || m_state.empty()) {
    return;
  }
  m_cleaned = true;
  try {
    cli({"delete", "--force", "--all"});
    cli({"image", "delete", "--all"});
    for (const auto& name : podman_containers()) {
      run_podman({"rm", "-f", name});
    }
    // One line per name; only this state's own tags are dropped (an image
    // with other names keeps them: rmi of a name only untags it).
    auto images = run_podman({"images", "--format", "{{.Repository}}:{{.Tag}}"});
    const std::string ours = "localhost/crun-standin-" + ns() + ":";
    for (const auto& image : lines_of(images.out)) {
      if (image.starts_with(ours)) {
        run_podman({"rmi", image});
      }
    }
  } catch (...) { // cleanup of a test that never got a bench
  }
}

AppleCall AppleCall::parse(const json& entry)
{
  AppleCall call;
  for (const auto& word : entry.at("argv")) {
    call.argv.push_back(word.get<std::string>());
  }
  const auto& argv = call.argv;
  std::size_t at = 0;
  if (!argv.empty()) {
    std::string first = argv[0];
    if (first == "i") {
      first = "image";
    } else if (first == "s") {
      first = "system";
    } else if (first == "r") {
      first = "registry";
    }
    at = 1;
    call.command = command_word(first);
    if ((first == "image" || first == "system" || first == "registry") && argv.size() > 1) {
      call.command += " " + command_word(argv[1]);
      at = 2;
    }
  }
  for (; at < argv.size(); ++at) {
    const std::string& word = argv[at];
    if (word == "--") {
      ++at;
      break;
    }
    if (!word.starts_with("-") || word == "-") {
      break;
    }
    if (word.starts_with("--")) {
      auto eq = word.find('=');
      if (eq != std::string::npos) {
        call.options.emplace_back(word.substr(0, eq), word.substr(eq + 1));
      } else if (k_value_options.contains(word) && at + 1 < argv.size()) {
        call.options.emplace_back(word, argv[++at]);
      } else {
        call.options.emplace_back(word, std::nullopt);
      }
      continue;
    }
    for (std::size_t i = 1; i < word.size(); ++i) { // -x, -xV, a pack -it
      std::string name = std::string("-") + word[i];
      if (k_value_options.contains(name)) {
        if (i + 1 < word.size()) {
          call.options.emplace_back(name, word.substr(i + 1));
        } else if (at + 1 < argv.size()) {
          call.options.emplace_back(name, argv[++at]);
        } else {
          call.options.emplace_back(name, std::nullopt);
        }
        break;
      }
      call.options.emplace_back(name, std::nullopt);
    }
  }
  for (; at < argv.size(); ++at) {
    call.positionals.push_back(argv[at]);
  }
  return call;
}

std::vector<std::string> AppleCall::values(const std::vector<std::string>& names) const
{
  std::vector<std::string> out;
  for (const auto& [name, value] : options) {
    if (value && std::find(names.begin(), names.end(), name) != names.end()) {
      out.push_back(*value);
    }
  }
  return out;
}

bool AppleCall::has(const std::vector<std::string>& names) const
{
  return std::any_of(options.begin(), options.end(), [&](const auto& option) {
    return std::find(names.begin(), names.end(), option.first) != names.end();
  });
}

} // namespace crun::test
