#include <crun/core/pull_events.hpp>

#include <crun/core/error.hpp>
#include <crun/core/json_lines.hpp>

#include <algorithm>
#include <limits>
#include <optional>

namespace crun::core {
namespace {

using Kind = PullEvent::Kind;
using nlohmann::json;

// Engines drift: a field may vanish or change type. These read a field when
// it has the expected type and fall back otherwise, where value() would throw.
std::string string_field(const json& object, const char* key)
{
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::int64_t count_field(const json& object, const char* key)
{
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) {
    return 0;
  }
  // Negative means unknown (libpod sends total -1); huge unsigned is clamped.
  if (it->is_number_unsigned()) {
    return static_cast<std::int64_t>(
      std::min<std::uint64_t>(it->get<std::uint64_t>(), std::numeric_limits<std::int64_t>::max()));
  }
  if (it->is_number_float()) {
    const double value = it->get<double>();
    return value > 0 && value < 9.2e18 ? static_cast<std::int64_t>(value) : 0;
  }
  return std::max<std::int64_t>(it->get<std::int64_t>(), 0);
}

void require_object(const json& line, std::string_view stream)
{
  if (!line.is_object()) {
    const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
    fail(Errc::protocol, "{} pull stream sent a JSON {} where an object belongs: {}", stream,
         line.type_name(), quoted_excerpt(text));
  }
}

std::string_view trim(std::string_view text)
{
  constexpr std::string_view k_space = " \t\r\n";
  const auto first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

// Layers are named by the 12 hex digits docker shows, whatever form the
// engine used ("sha256:<64 hex>", bare 64 hex, or already short), so both
// engines' layers line up and fit a terminal line.
std::string short_layer_id(std::string_view id)
{
  if (id.starts_with("sha256:")) {
    id.remove_prefix(7);
  }
  const bool long_hex = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
                          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                        });
  return std::string(long_hex ? id.substr(0, 12) : id);
}

// Designated initializers would be neater, but g++ 12 -Wextra warns on
// every member they leave out.
PullEvent make_event(Kind kind, std::string id = {}, std::string status = {},
                     std::string message = {})
{
  PullEvent event;
  event.kind = kind;
  event.id = std::move(id);
  event.status = std::move(status);
  event.message = std::move(message);
  return event;
}

PullEvent error_event(std::string message)
{
  return make_event(Kind::error, {}, {}, std::move(message));
}

PullEvent status_event(std::string message)
{
  return make_event(Kind::status, {}, {}, std::move(message));
}

// libpod forwards c/image's report text: "Copying blob sha256:<hex>",
// "Copying blob sha256:<hex> done", "Copying blob <hex> skipped: already exists".
std::optional<PullEvent> libpod_blob_event(std::string_view line)
{
  constexpr std::string_view k_prefix = "Copying blob ";
  if (!line.starts_with(k_prefix)) {
    return std::nullopt;
  }
  line.remove_prefix(k_prefix.size());
  const auto space = line.find(' ');
  const std::string_view blob = line.substr(0, space);
  const std::string_view rest = space == std::string_view::npos ? "" : trim(line.substr(space));
  std::string status = "Copying";
  if (rest.find("skipped") != std::string_view::npos ||
      rest.find("already exists") != std::string_view::npos) {
    status = "Already exists";
  } else if (rest.starts_with("done")) {
    status = "Copy complete";
  }
  return make_event(Kind::layer, short_layer_id(blob), std::move(status));
}

std::string libpod_progress_status(std::string_view status)
{
  if (status == "pulling") {
    return "Downloading";
  }
  if (status == "success") {
    return "Download complete";
  }
  if (status == "skipped") {
    return "Already exists";
  }
  return std::string(status);
}

} // namespace

std::string_view pull_event_kind_name(PullEvent::Kind kind) noexcept
{
  switch (kind) {
  case Kind::status: return "status";
  case Kind::layer: return "layer";
  case Kind::digest: return "digest";
  case Kind::error: return "error";
  case Kind::image_id: return "image_id";
  }
  return "status";
}

std::vector<PullEvent> decode_docker_pull(const json& line)
{
  require_object(line, "docker");
  // errorDetail is current, error is deprecated (API 1.48) but is what older
  // engines fill in; either one means the pull failed.
  if (line.contains("errorDetail") || line.contains("error")) {
    std::string message;
    if (const auto detail = line.find("errorDetail"); detail != line.end() && detail->is_object()) {
      message = string_field(*detail, "message");
    }
    if (message.empty()) {
      message = string_field(line, "error");
    }
    if (message.empty()) {
      message = "the engine reported a pull error without a message";
    }
    return {error_event(std::move(message))};
  }

  const std::string status = string_field(line, "status");
  const std::string id = string_field(line, "id");
  if (status.empty()) {
    return {};
  }
  if (constexpr std::string_view k_digest = "Digest: "; status.starts_with(k_digest)) {
    return {make_event(Kind::digest,
                       std::string(trim(std::string_view(status).substr(k_digest.size()))), {},
                       status)};
  }
  // "Pulling from <repo>" carries the tag as its id; every other id-bearing
  // line is about one layer (docker writes progressDetail on all of those).
  const bool layer =
    !id.empty() && (line.contains("progressDetail") || !status.starts_with("Pulling from "));
  if (!layer) {
    return {status_event(id.empty() ? status : id + ": " + status)};
  }
  PullEvent event = make_event(Kind::layer, short_layer_id(id), status);
  if (const auto detail = line.find("progressDetail");
      detail != line.end() && detail->is_object()) {
    event.current = count_field(*detail, "current");
    event.total = count_field(*detail, "total");
  }
  return {std::move(event)};
}

std::vector<PullEvent> decode_libpod_pull(const json& line)
{
  require_object(line, "libpod");
  const std::string status = string_field(line, "status"); // 6.x only
  const std::string error = string_field(line, "error");
  if (!error.empty() || status == "error") {
    return {error_event(error.empty() ? "podman reported a pull error without a message" : error)};
  }

  std::vector<PullEvent> events;
  // c/image output arrives in writes that are normally one line each; split
  // anyway so that a write carrying several lines gives several events.
  const std::string stream = string_field(line, "stream");
  std::string_view rest = stream;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    const std::string_view text = trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (text.empty()) {
      continue;
    }
    if (auto blob = libpod_blob_event(text)) {
      events.push_back(std::move(*blob));
    } else {
      events.push_back(status_event(std::string(text)));
    }
  }

  if (const auto progress = line.find("pullProgress");
      progress != line.end() && progress->is_object()) {
    const std::string component = string_field(*progress, "progressComponentID");
    if (!component.empty()) {
      PullEvent event = make_event(Kind::layer, short_layer_id(component),
                                   libpod_progress_status(string_field(*progress, "status")));
      event.current = count_field(*progress, "current");
      event.total = count_field(*progress, "total");
      events.push_back(std::move(event));
    }
  }

  std::string image_id = string_field(line, "id");
  if (const auto images = line.find("images"); image_id.empty() && images != line.end() &&
                                               images->is_array() && !images->empty() &&
                                               images->front().is_string()) {
    image_id = images->front().get<std::string>();
  }
  if (!image_id.empty()) {
    events.push_back(make_event(Kind::image_id, std::move(image_id)));
  }
  return events;
}

bool is_final_layer_status(std::string_view status) noexcept
{
  // Docker: "Download complete" is followed by Extracting unless the layer is
  // only downloaded; Podman compat ends layers with it. Since state is always
  // the latest status, a later "Extracting" clears done again.
  return status == "Pull complete" || status == "Already exists" || status == "Download complete" ||
         status == "Copy complete";
}

void PullProgress::apply(const PullEvent& event)
{
  switch (event.kind) {
  case Kind::layer: {
    auto it = std::find_if(m_layers.begin(), m_layers.end(),
                           [&](const LayerState& layer) { return layer.id == event.id; });
    if (it == m_layers.end()) {
      it = m_layers.insert(m_layers.end(), LayerState{});
      it->id = event.id;
    }
    it->status = event.status;
    it->current = event.current;
    it->total = event.total;
    it->done = is_final_layer_status(event.status);
    break;
  }
  case Kind::status: m_last_status = event.message; break;
  case Kind::digest: m_digest = event.id; break;
  case Kind::image_id: m_image_id = event.id; break;
  case Kind::error:
    if (!m_failed) {
      m_failed = true;
      m_error = event.message;
    }
    break;
  }
}

const LayerState* PullProgress::find(std::string_view id) const noexcept
{
  const auto it = std::find_if(m_layers.begin(), m_layers.end(),
                               [&](const LayerState& layer) { return layer.id == id; });
  return it == m_layers.end() ? nullptr : &*it;
}

std::size_t PullProgress::done_count() const noexcept
{
  return static_cast<std::size_t>(
    std::count_if(m_layers.begin(), m_layers.end(), [](const LayerState& l) { return l.done; }));
}

} // namespace crun::core
