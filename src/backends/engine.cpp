// The defaults of Engine's lifecycle methods: an engine that lacks a verb
// refuses it by name.

#include <crun/backends/engine.hpp>

#include <crun/core/error.hpp>

namespace crun::backends {
namespace {

[[noreturn]] void refuse(const Engine& engine, std::string_view what)
{
  fail(Errc::usage, "the {} backend cannot {}", engine.info().backend, what);
}

} // namespace

std::vector<ContainerSummary> Engine::list_containers(const ContainerListOptions&)
{
  refuse(*this, "list containers");
}

bool Engine::stop_container(const std::string&, std::optional<int>)
{
  refuse(*this, "stop containers");
}

bool Engine::remove_container(const std::string&, const RemoveOptions&)
{
  refuse(*this, "remove containers");
}

bool Engine::container_logs(const std::string&, const LogsOptions&, const core::FrameSink&)
{
  refuse(*this, "read a container's logs");
}

std::optional<int> Engine::wait_container(const std::string&)
{
  refuse(*this, "wait for a container");
}

std::vector<ImageSummary> Engine::list_images()
{
  refuse(*this, "list images");
}

std::optional<std::vector<std::string>> Engine::remove_image(const std::string&, bool)
{
  refuse(*this, "remove images");
}

} // namespace crun::backends
