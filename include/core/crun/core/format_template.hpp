#pragma once
// `--format` templates for scripts: the subset of Go templates that
// `docker inspect --format` users write to pick fields, over a JSON document.
//   {{.a.b}}       the field; strings as they are, numbers and booleans as
//                  text, null as "", arrays and objects as JSON
//   {{json .a}}    the field as JSON
//   {{.}}          the whole document
// Everything outside {{ }} is copied as it is.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace crun::core {

/// Renders `tmpl` against `doc`. Throws Error(Errc::usage) naming the
/// template and the field for an unknown field ("{{.platform.arch}}: no field
/// \"arch\" in .platform"), an unclosed "{{", or an action that is not one of
/// the forms above.
std::string render_template(std::string_view tmpl, const nlohmann::json& doc);

} // namespace crun::core
