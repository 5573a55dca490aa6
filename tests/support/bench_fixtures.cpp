#include "support/bench_fixtures.hpp"

#include <exception>
#include <sstream>
#include <stdexcept>

namespace crun::test {

using json = nlohmann::json;

void use_bench(Bench& bench)
{
  if (auto why = Bench::unavailable()) {
    if (bench_required()) {
      GTEST_FAIL() << *why << " (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)";
    }
    GTEST_SKIP() << *why;
  }
  try {
    bench = Bench::get();
  } catch (const std::exception& error) {
    GTEST_FAIL() << error.what(); // an env file that lacks keys: a bench to fix, not to skip
  }
}

void PrintTo(const Backend& backend, std::ostream* out)
{
  *out << backend.name;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info)
{
  return info.param.name;
}

const std::vector<std::string> k_engine_variables = {"DOCKER_HOST",
                                                     "DOCKER_CONTEXT",
                                                     "DOCKER_TLS_VERIFY",
                                                     "DOCKER_CERT_PATH",
                                                     "CONTAINER_HOST",
                                                     "CONTAINER_CONNECTION",
                                                     "CRUN_ANY_BACKEND",
                                                     "XDG_CONFIG_HOME",
                                                     "CONTAINERS_CONF",
                                                     "PODMAN_CONNECTIONS_CONF",
                                                     "CONTAINERS_STORAGE_CONF",
                                                     "CRUN_ANY_PLATFORM",
                                                     "DOCKER_DEFAULT_PLATFORM",
                                                     "CRUN_ANY_PODMAN_IDLE_TIMEOUT",
                                                     "XDG_DATA_HOME",
                                                     "CRUN_ANY_LOCKFILE"};

ProcessResult run_crun_any_on_apple(const AppleStandin& standin, std::vector<std::string> args,
                                    ProcessOptions options)
{
  // Unset first, then the stand-in's environment, then the caller's.
  options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                           k_engine_variables.end());
  std::vector<std::string> env = standin.crun_env();
  env.emplace_back("NO_COLOR=1");
  options.env_set.insert(options.env_set.begin(), env.begin(), env.end());
  args.insert(args.begin(), {"--backend", "apple"});
  return run_crun_any(args, options);
}

std::vector<std::string> crun_any_on_apple_argv(const AppleStandin& standin,
                                                std::vector<std::string> args,
                                                const std::vector<std::string>& env)
{
  std::vector<std::string> argv = {"/usr/bin/env"};
  for (const auto& name : k_engine_variables) {
    argv.insert(argv.end(), {"-u", name});
  }
  for (const auto& kv : standin.crun_env()) {
    argv.push_back(kv);
  }
  argv.emplace_back("NO_COLOR=1");
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {crun_any_bin(), "--backend", "apple"});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void EngineTest::SetUp()
{
  WithBench::SetUp();
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure() || !is_apple()) {
    return;
  }
  if (auto why = AppleStandin::unavailable()) {
    if (bench_required()) {
      GTEST_FAIL() << *why << " (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)";
    }
    GTEST_SKIP() << *why;
  }
  m_apple = std::make_unique<AppleStandin>();
}

void EngineTest::TearDown()
{
  if (m_apple) {
    m_apple->expect_every_call_well_formed();
    m_apple->cleanup();
  }
}

AppleStandin& EngineTest::apple() const
{
  if (!m_apple) {
    throw std::logic_error("apple() outside an apple test");
  }
  return *m_apple;
}

std::string EngineTest::host() const
{
  if (is_apple()) {
    return {};
  }
  return backend() == "docker" ? bench.docker_host : bench.podman_host;
}

ProcessResult EngineTest::crun(std::vector<std::string> args, ProcessOptions options) const
{
  if (is_apple()) {
    options.env_set.insert(options.env_set.begin(),
                           std::string("CRUN_ANY_PLATFORM=") + k_apple_suite_platform);
    return run_crun_any_on_apple(apple(), std::move(args), std::move(options));
  }
  options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                           k_engine_variables.end());
  options.env_set.emplace_back("NO_COLOR=1");
  args.insert(args.begin(), {"--backend", backend(), "--host", host()});
  return run_crun_any(args, options);
}

std::vector<std::string> EngineTest::crun_argv(std::vector<std::string> args) const
{
  if (is_apple()) {
    return crun_any_on_apple_argv(apple(), std::move(args),
                                  {std::string("CRUN_ANY_PLATFORM=") + k_apple_suite_platform});
  }
  args.insert(args.begin(), {crun_any_bin(), "--backend", backend(), "--host", host()});
  return args;
}

ProcessResult EngineTest::engine_cli(const std::vector<std::string>& args,
                                     const ProcessOptions& options) const
{
  if (is_apple()) {
    return apple().cli(args, options);
  }
  return backend() == "docker" ? run_docker(args, options) : run_podman(args, options);
}

std::vector<std::string> EngineTest::containers_labelled(const std::string& key,
                                                         const std::string& value) const
{
  if (is_apple()) {
    return apple().containers_labelled(key, value);
  }
  return containers_filtered("label=" + key + "=" + value);
}

std::vector<std::string> EngineTest::containers_filtered(const std::string& filter) const
{
  auto r = engine_cli({"ps", "-a", "-q", "--filter", filter});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  std::vector<std::string> ids;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      ids.push_back(line);
    }
  }
  return ids;
}

void EngineTest::remove_container(const std::string& id) const
{
  engine_cli(is_apple() ? std::vector<std::string>{"delete", "--force", id}
                        : std::vector<std::string>{"rm", "-f", id});
}

ProcessResult EngineTest::kill_container(const std::string& id, const std::string& signal) const
{
  return engine_cli({"kill", "--signal", signal, id}); // the same spelling in all three CLIs
}

std::optional<EngineImage> EngineTest::engine_image(const std::string& ref,
                                                    const std::string& architecture) const
{
  auto r = engine_cli({"image", "inspect", ref});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  json doc = json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || doc.is_discarded() || !doc.is_array() || doc.empty()) {
    ADD_FAILURE() << "image inspect " << ref << ": no image in the output\n" << r.describe();
    return std::nullopt;
  }
  const json& image = doc.at(0);
  EngineImage out;
  if (is_apple()) {
    // [ImageResource] (1.x): id is the local index's digest hex; the
    // platform, registry digest, config and size are a variant's.
    const json* variant = nullptr;
    for (const auto& v : image.at("variants")) {
      if (v.at("platform").at("architecture") == "unknown") {
        continue; // an attestation manifest
      }
      if (architecture.empty() || v.at("platform").at("architecture") == architecture) {
        variant = &v;
        break;
      }
    }
    if (variant == nullptr) {
      ADD_FAILURE() << ref << " has no variant for '" << architecture << "'\n" << r.out;
      return std::nullopt;
    }
    out.id = "sha256:" + image.at("id").get<std::string>();
    out.os = variant->at("platform").at("os");
    out.architecture = variant->at("platform").at("architecture");
    out.size = variant->at("size");
    out.cmd = variant->at("config").at("config").value("Cmd", json());
    out.raw_id_key = "id";
    out.raw_id = image.at("id");
    return out;
  }
  out.id = image.at("Id");
  if (!out.id.starts_with("sha256:")) {
    out.id = "sha256:" + out.id;
  }
  out.os = image.at("Os");
  out.architecture = image.at("Architecture");
  out.size = image.at("Size");
  for (const auto& digest : image.at("RepoDigests")) {
    out.repo_digests.push_back(digest);
  }
  out.cmd = image.at("Config").at("Cmd");
  out.raw_id_key = "Id";
  out.raw_id = image.at("Id");
  return out;
}

std::optional<EngineContainer> EngineTest::engine_container(const std::string& id) const
{
  auto r = engine_cli(is_apple() ? std::vector<std::string>{"inspect", id}
                                 : std::vector<std::string>{"container", "inspect", id});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  json doc = json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || doc.is_discarded() || !doc.is_array() || doc.empty()) {
    ADD_FAILURE() << "inspect " << id << ": no container in the output\n" << r.describe();
    return std::nullopt;
  }
  const json& c = doc.at(0);
  EngineContainer out;
  if (is_apple()) {
    out.id = c.at("id");
    out.status = c.at("status").at("state");
    return out;
  }
  out.id = c.at("Id");
  out.status = c.at("State").at("Status");
  out.exit_code = c.at("State").at("ExitCode").get<int>();
  return out;
}

} // namespace crun::test
