#include <crun/core/format_template.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::core {
namespace {

const nlohmann::json k_doc = nlohmann::json::parse(R"({
  "id": "sha256:abc", "size": 42, "digest": null,
  "platform": {"os": "linux", "architecture": "arm64", "variant": ""},
  "repo_tags": ["a:1", "b:2"], "config": {"tty": false}
})");

TEST(FormatTemplate, PicksFieldsAndKeepsText)
{
  const struct {
    const char* tmpl;
    const char* expected;
  } rows[] = {
    {"{{.platform.architecture}}", "arm64"},
    {"{{ .platform.os }}/{{.platform.architecture}}", "linux/arm64"},
    {"id={{.id}} size={{.size}}", "id=sha256:abc size=42"},
    {"{{.digest}}", ""},
    {"{{.repo_tags}}", R"(["a:1","b:2"])"},
    {"{{json .platform}}", R"({"architecture":"arm64","os":"linux","variant":""})"},
    {"{{json .config.tty}}", "false"},
    {"{{.config.tty}}", "false"},
    {"plain text", "plain text"},
    {"", ""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.tmpl);
    EXPECT_EQ(render_template(row.tmpl, k_doc), row.expected);
  }
}

TEST(FormatTemplate, WholeDocument)
{
  EXPECT_EQ(render_template("{{json .}}", k_doc), k_doc.dump());
}

TEST(FormatTemplate, ErrorsNameTheTemplateAndTheField)
{
  const struct {
    const char* tmpl;
    const char* message;
  } rows[] = {
    {"{{.platform.arch}}",
     "invalid --format \"{{.platform.arch}}\": no field \"arch\" in .platform"},
    {"{{.nope}}", "invalid --format \"{{.nope}}\": no field \"nope\" in the document"},
    {"{{.id", "invalid --format \"{{.id\": \"{{\" without \"}}\""},
    {"{{range .repo_tags}}", "invalid --format \"{{range .repo_tags}}\": \"{{range .repo_tags}}\" "
                             "is not a field like {{.id}} or {{json .config}}"},
    {"{{.id.x}}", "invalid --format \"{{.id.x}}\": no field \"x\" in .id"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.tmpl);
    auto error = test::error_of([&] { render_template(row.tmpl, k_doc); });
    EXPECT_EQ(error.code(), Errc::usage);
    EXPECT_EQ(error.message(), row.message);
  }
}

} // namespace
} // namespace crun::core
