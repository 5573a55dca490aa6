// `--progress plain`: for logs and CI. One line per layer status change and
// per status line, never a byte counter or an escape sequence, so two runs of
// the same pull give the same log.

#include "progress_renderers.hpp"

#include <crun/core/pull_events.hpp>

#include <fmt/format.h>

namespace crun::cli::progress_detail {
namespace {

using Kind = core::PullEvent::Kind;

class PlainProgressRenderer final : public ProgressRenderer {
public:
  explicit PlainProgressRenderer(std::ostream& err) : m_err(err) {}

  void on_event(const core::PullEvent& event) override
  {
    if (m_finished) {
      return;
    }
    switch (event.kind) {
    case Kind::layer: {
      const core::LayerState* before = m_progress.find(event.id);
      const bool changed = before == nullptr || before->status != event.status;
      m_progress.apply(event);
      if (changed) {
        write(fmt::format("{}: {}\n", printable(event.id), printable(event.status)));
      }
      break;
    }
    case Kind::status: write(printable(event.message) + '\n'); break;
    // The digest is reported once, by finish(), for every engine alike; the
    // image id is data for stdout; errors are reported by the caller.
    case Kind::digest:
    case Kind::image_id:
    case Kind::error: m_progress.apply(event); break;
    }
  }

  void finish(const std::string& digest) override
  {
    if (m_finished) {
      return;
    }
    m_finished = true;
    if (!digest.empty()) {
      write(fmt::format("Digest: {}\n", printable(digest)));
    }
  }

private:
  void write(const std::string& text)
  {
    m_err << text;
    m_err.flush();
  }

  std::ostream& m_err;
  core::PullProgress m_progress;
  bool m_finished = false;
};

} // namespace

std::unique_ptr<ProgressRenderer> make_plain_renderer(std::ostream& err)
{
  return std::make_unique<PlainProgressRenderer>(err);
}

} // namespace crun::cli::progress_detail
