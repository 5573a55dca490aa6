#include <crun/docgen/command_docs.hpp>

#include <array>

namespace crun::docgen {
namespace {

constexpr Example k_crun_any[] = {
  {"crun-any pull ghcr.io/acme/tool:1.4", "Pull an image, pinned by digest, for this platform."},
  {"crun-any run --rm -v \"$PWD:/src\" -w /src ghcr.io/acme/tool:1.4 make",
   "Run a build step in a container over the current directory."},
  {"crun-any --backend podman doctor", "Show every engine found and why one is chosen."},
};
constexpr Example k_pull[] = {
  {"crun-any pull alpine:3.20", "Pull for the engine's platform (or the policy's)."},
  {"crun-any pull --platform linux/arm64 -q alpine:3.20",
   "Pull the arm64 image; print only the pinned reference."},
  {"crun-any pull --progress json alpine:3.20 2>events.jsonl",
   "Record the progress as JSON lines."},
};
constexpr Example k_run[] = {
  {"crun-any run --rm -it alpine:3.20 sh", "An interactive shell, removed when it exits."},
  {"crun-any run -d --name web -p 8080:80 nginx:1.27", "A server in the background."},
  {"crun-any run --rm alpine:3.20 ls -l /", "Options after the image are the command's own."},
};
constexpr Example k_exec[] = {
  {"crun-any exec -it web sh", "A shell in the running container web."},
  {"crun-any exec -e DEBUG=1 web env", "A command with an extra variable."},
};
constexpr Example k_inspect[] = {
  {"crun-any inspect alpine:3.20", "The image in crun-any's schema, as JSON."},
  {"crun-any inspect -f '{{.platform.architecture}}' alpine:3.20", "One field, with a template."},
  {"crun-any inspect --type container web", "A container named web."},
};
constexpr Example k_ps[] = {
  {"crun-any ps -a", "Every container, stopped ones too."},
  {"crun-any ps --filter label=io.crun-any.platform --format '{{.name}}'",
   "The names of the containers crun-any ran."},
};
constexpr Example k_stop[] = {
  {"crun-any stop -t 2 web", "Stop web, killing it after two seconds."},
};
constexpr Example k_rm[] = {
  {"crun-any rm -f web", "Kill and remove web."},
};
constexpr Example k_logs[] = {
  {"crun-any logs -f web", "Follow web's output until it ends."},
  {"crun-any logs -n 20 -t web", "The last 20 lines, with their times."},
};
constexpr Example k_wait[] = {
  {"crun-any wait web", "Wait for web to stop; print its exit code."},
};
constexpr Example k_images[] = {
  {"crun-any images", "The local images, as a table."},
  {"crun-any images --format '{{.repo_tags}}'", "Their names, one JSON array per image."},
};
constexpr Example k_rmi[] = {
  {"crun-any rmi alpine:3.20", "Remove a local image."},
};
constexpr Example k_lock[] = {
  {"crun-any lock ghcr.io/acme/tool:1.4", "Record what the tag resolves to in crun-any.lock."},
  {"crun-any lock --check", "In CI: fail when a locked tag has moved."},
};
constexpr Example k_verify[] = {
  {"crun-any verify ghcr.io/acme/tool:1.4",
   "Is the local image the content the lock (or the registry) names?"},
};
constexpr Example k_policy[] = {
  {"crun-any policy show", "The policy in effect, each rule with its file."},
  {"crun-any policy check ghcr.io/acme/tool:1.4", "Would this image be allowed?"},
};
constexpr Example k_policy_show[] = {
  {"crun-any policy show --json", "The files and rules as one JSON object."},
};
constexpr Example k_policy_check[] = {
  {"crun-any policy check --platform linux/arm64 docker.io/library/alpine:3.20",
   "Every rule the image breaks on arm64, or exit 0."},
};
constexpr Example k_doctor[] = {
  {"crun-any doctor", "Every engine found, its health, and why it is chosen or not."},
  {"crun-any doctor --json", "The same as JSON."},
};
constexpr Example k_completion[] = {
  {"source <(crun-any completion bash)", "Completions in this bash session (put it in ~/.bashrc)."},
  {"crun-any completion fish > ~/.config/fish/completions/crun-any.fish",
   "Completions for fish, for a crun-any installed where fish does not look."},
};
constexpr Example k_version[] = {
  {"crun-any version", "The version of crun-any."},
};

constexpr std::array<CommandDoc, 20> k_docs{{
  {"",
   "crun-any gives the same pull, run and inspect over Docker (the Engine API), Podman (the "
   "libpod API) and Apple's container CLI, and enforces the team's image policy on the way: "
   "images come from the registry, pinned by digest, and run on the platform they were built "
   "for.\n\nThe engine is chosen by --backend, then CRUN_ANY_BACKEND, then the configuration, "
   "then by probing every engine found (crun-any doctor explains the choice). Data goes to "
   "standard output, progress and diagnostics to standard error; crun-any never prompts.",
   k_crun_any},
  {"pull",
   "Resolves IMAGE at its registry, chooses the platform (--platform, CRUN_ANY_PLATFORM, "
   "DOCKER_DEFAULT_PLATFORM, the policy, then the engine's own) and pulls that image by digest, "
   "after the policy has allowed it. The local image's platform is checked afterwards.",
   k_pull, true},
  {"run",
   "Runs COMMAND in a new container of IMAGE, pulling it first when needed (--pull). Options "
   "use docker's spelling; each is mapped on every backend or refused there by name, never "
   "dropped. Everything after IMAGE is the container's command and its arguments.",
   k_run, true},
  {"exec", "Runs COMMAND in a running CONTAINER, with the options of run that apply.", k_exec},
  {"inspect",
   "Prints images or containers in one JSON schema whatever the engine "
   "(docs/inspect-schema.md), or one field of each with --format.",
   k_inspect, true},
  {"ps", "Lists containers, as docker ps does.", k_ps},
  {"stop", "Stops running containers: the stop signal, then a kill after the timeout.", k_stop},
  {"rm", "Removes containers.", k_rm},
  {"logs", "Prints a container's output: stdout on stdout, stderr on stderr.", k_logs},
  {"wait", "Waits for containers to stop and prints the exit code of each.", k_wait},
  {"images", "Lists the engine's local images.", k_images},
  {"rmi", "Removes local images.", k_rmi, true},
  {"lock",
   "Resolves each image's tag at its registry and records the index and per-platform digests "
   "in crun-any.lock (sorted JSON, for stable diffs). With --check, changes nothing and fails "
   "when the lock no longer matches the registry.",
   k_lock, true},
  {"verify",
   "Checks that each local image is the content that the lock (or else the registry) names "
   "for the platform.",
   k_verify, true},
  {"policy",
   "Shows the effective policy, merged from the admin, project, user and --policy files, or "
   "checks images against it.",
   k_policy},
  {"policy show", "Prints every rule in effect and the file that set it.", k_policy_show},
  {"policy check",
   "Evaluates each image against the policy without an engine, a pull or a run; reports "
   "every violation with its rule and file.",
   k_policy_check, true},
  {"doctor", "Lists every engine found, its health and version, and why it is chosen or rejected.",
   k_doctor},
  {"version", "Prints the version of crun-any.", k_version},
  {"completion",
   "Prints the bash, zsh or fish completion script installed with this crun-any (found from "
   "the binary's own path), as docker completion does. Installed packages put the scripts "
   "where the shells load them already; this is for a shell set up by hand.",
   k_completion},
}};

} // namespace

std::span<const CommandDoc> command_docs() noexcept
{
  return k_docs;
}

const CommandDoc* find_command_doc(std::string_view path) noexcept
{
  for (const auto& doc : k_docs) {
    if (doc.path == path) {
      return &doc;
    }
  }
  return nullptr;
}

} // namespace crun::docgen
