// libFuzzer target: the --format template parser and renderer
// (core::render_template) over a fixed document shaped like `inspect`'s.
// A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/core/format_template.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const nlohmann::json& document()
{
  static const nlohmann::json doc = nlohmann::json::parse(R"({
    "id": "sha256:0123456789abcdef", "size": 42, "digest": null, "created": 1.5,
    "platform": {"os": "linux", "architecture": "arm64", "variant": ""},
    "repo_tags": ["a:1", "b:2"], "config": {"tty": false, "env": ["A=1", "\u00e9=\u4e2d"]},
    "labels": {"org.opencontainers.image.title": "t", "": "empty key", "a.b": {"c": [1, {}]}}
  })");
  return doc;
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view tmpl(reinterpret_cast<const char*>(data), size);
  try {
    (void)crun::core::render_template(tmpl, document());
  } catch (const crun::Error&) {
  }
  return 0;
}
