#pragma once
// One engine-neutral model of a pull's progress, decoded from each engine's
// streamed pull body (docs/engine-apis.md §2), and folded into per-layer state for
// the progress renderers. Pure: the transport frames the body into JSON
// values (json_lines.hpp) and hands each one to a decoder here.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

/// One thing a pull stream said.
struct PullEvent {
  enum class Kind {
    status,   ///< a line of text about the whole pull: `message`
    layer,    ///< a layer's progress: `id`, `status`, `current`, `total`
    digest,   ///< the digest the reference resolved to: `id` ("sha256:..."), `message` as sent
    error,    ///< the pull failed, even if the HTTP status was 200: `message`
    image_id, ///< the local image id the pull produced: `id` (as the engine spells it)
  };
  Kind kind = Kind::status;
  std::string id;           ///< layer: 12-hex short id; digest: the digest; image_id: the id
  std::string status;       ///< layer: "Downloading", "Pull complete", ... (engine words)
  std::int64_t current = 0; ///< layer: bytes done; 0 when not reported
  std::int64_t total = 0;   ///< layer: bytes expected; 0 when unknown
  std::string message;      ///< status, error: the engine's text, trailing newline removed

  bool operator==(const PullEvent&) const = default;
};

/// The name of `kind` as used in `--progress json`: "status", "layer", ...
std::string_view pull_event_kind_name(PullEvent::Kind kind) noexcept;

/// Decodes one object of Docker's `POST /images/create` stream (also Podman's
/// compat endpoint): `{"status","id","progressDetail":{"current","total"}}`.
/// A line with `progressDetail` or a layer-like `id` is a layer event; the
/// `Digest: sha256:...` status is a digest event; any `errorDetail` or
/// `error` is one error event (and nothing else from that line). Unknown
/// fields and wrongly-typed fields are ignored, so engine drift gives fewer
/// events rather than an exception; an object with nothing we know gives none.
/// Throws Errc::protocol only when `line` is not a JSON object.
std::vector<PullEvent> decode_docker_pull(const nlohmann::json& line);

/// Decodes one object of libpod's `POST /libpod/images/pull` stream:
/// `{"stream":"Copying blob sha256:...\n"}` gives a layer event (status
/// "Copying", or "Already exists" when skipped), other `stream` text gives a
/// status event per line; `{"error"}` gives an error event;
/// `{"images":[...],"id"}` gives an image_id event. Podman 6.x lines carry
/// `"status":"pulling|success|error"` and may carry `pullProgress`
/// (`{"status":"pulling|success|skipped","current","total","progressComponentID"}`),
/// which becomes a layer event with byte counts. Drift is ignored as for
/// Docker; throws Errc::protocol only when `line` is not a JSON object.
std::vector<PullEvent> decode_libpod_pull(const nlohmann::json& line);

/// A layer as a renderer draws it: the latest thing the engine said about it.
struct LayerState {
  std::string id;
  std::string status;
  std::int64_t current = 0;
  std::int64_t total = 0;
  bool done = false; ///< the latest status is a final one ("Pull complete", "Already exists", ...)

  bool operator==(const LayerState&) const = default;
};

/// Folds PullEvents into per-layer state, ordered by first appearance, plus
/// the pull-wide facts (digest, image id, first error, last status line).
/// Never throws (except std::bad_alloc): failure is data here; the caller
/// checks failed() when the stream ends and fails the pull, even under HTTP 200.
class PullProgress {
public:
  /// Applies `event`. A layer event replaces that layer's status and counts
  /// (as `docker pull` redraws a layer's line), since a status without byte
  /// counts ("Verifying Checksum") has no bar to keep.
  void apply(const PullEvent& event);

  const std::vector<LayerState>& layers() const noexcept { return m_layers; }
  /// The layer called `id`, or nullptr when none has been seen.
  const LayerState* find(std::string_view id) const noexcept;
  /// How many layers are done.
  std::size_t done_count() const noexcept;

  /// The digest from the stream ("sha256:..."); empty when the engine sent
  /// none (libpod and Podman compat never do: inspect the image instead).
  const std::string& digest() const noexcept { return m_digest; }
  /// The image id from the stream; empty when none (Docker sends none).
  const std::string& image_id() const noexcept { return m_image_id; }
  /// The latest status line ("Status: Downloaded newer image for ...").
  const std::string& last_status() const noexcept { return m_last_status; }
  /// True once an error event arrived; error() is the first one's message.
  bool failed() const noexcept { return m_failed; }
  const std::string& error() const noexcept { return m_error; }

private:
  std::vector<LayerState> m_layers;
  std::string m_digest;
  std::string m_image_id;
  std::string m_last_status;
  std::string m_error;
  bool m_failed = false;
};

/// True for the layer statuses after which nothing more happens to the layer,
/// in either engine's words.
bool is_final_layer_status(std::string_view status) noexcept;

} // namespace crun::core
