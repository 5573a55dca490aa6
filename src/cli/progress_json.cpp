// `--progress json`: one JSON object per line per event, for tools. The
// schema is documented in docs/progress-json.md; change both together.

#include "progress_renderers.hpp"

#include <crun/core/pull_events.hpp>

#include <nlohmann/json.hpp>

namespace crun::cli::progress_detail {
namespace {

using Kind = core::PullEvent::Kind;
// ordered_json keeps "event" first, as the documentation shows it.
using Json = nlohmann::ordered_json;

Json to_json(const core::PullEvent& event)
{
  Json object{{"event", core::pull_event_kind_name(event.kind)}};
  switch (event.kind) {
  case Kind::status:
  case Kind::error: object["message"] = event.message; break;
  case Kind::layer:
    object["id"] = event.id;
    object["status"] = event.status;
    object["current"] = event.current;
    object["total"] = event.total;
    break;
  case Kind::digest: object["digest"] = event.id; break;
  case Kind::image_id: object["id"] = event.id; break;
  }
  return object;
}

class JsonProgressRenderer final : public ProgressRenderer {
public:
  explicit JsonProgressRenderer(std::ostream& err) : m_err(err) {}

  void on_event(const core::PullEvent& event) override
  {
    if (!m_finished) {
      write(to_json(event));
    }
  }

  void finish(const std::string& digest) override
  {
    if (m_finished) {
      return;
    }
    m_finished = true;
    Json done{{"event", "done"}};
    done["digest"] = digest.empty() ? Json(nullptr) : Json(digest);
    write(done);
  }

private:
  void write(const Json& object)
  {
    // Engine text is not guaranteed UTF-8; replace bad bytes with U+FFFD
    // rather than let dump() throw in the middle of a pull.
    m_err << object.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    m_err.flush();
  }

  std::ostream& m_err;
  bool m_finished = false;
};

} // namespace

std::unique_ptr<ProgressRenderer> make_json_renderer(std::ostream& err)
{
  return std::make_unique<JsonProgressRenderer>(err);
}

} // namespace crun::cli::progress_detail
