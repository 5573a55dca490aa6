#include <crun/util/toml_subset.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crun::util {
namespace {

std::string render(const TomlValue& value)
{
  switch (value.type) {
  case TomlValue::Type::string: return "\"" + value.text + "\"";
  case TomlValue::Type::boolean: return value.flag ? "true" : "false";
  case TomlValue::Type::other: return "?";
  case TomlValue::Type::table: break;
  }
  std::string out = "{";
  for (const auto& [key, inner] : value.table) {
    out += (out.size() > 1 ? ", " : "") + key + "=" + render(inner);
  }
  return out + "}";
}

std::vector<std::string> entries(const TomlDocument& document)
{
  std::vector<std::string> out;
  for (const auto& entry : document.entries) {
    std::string path;
    for (const auto& key : entry.path) {
      path += (path.empty() ? "" : ".") + key;
    }
    out.push_back(path + " = " + render(entry.value));
  }
  return out;
}

std::vector<std::string> problems(const TomlDocument& document)
{
  std::vector<std::string> out;
  for (const auto& problem : document.problems) {
    out.push_back("line " + std::to_string(problem.line) + ": " + problem.reason);
  }
  return out;
}

struct Row {
  std::string text;
  std::vector<std::string> entries;
  std::vector<std::string> problems{};
};

void expect_rows(const std::vector<Row>& rows)
{
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    auto document = read_toml_subset(row.text);
    EXPECT_EQ(entries(document), row.entries);
    EXPECT_EQ(problems(document), row.problems);
  }
}

TEST(TomlSubset, ReadsTablesKeysAndValues)
{
  expect_rows({
    {"[engine]\nactive_service = \"prod\"\n", {"engine.active_service = \"prod\""}},
    {"[engine.service_destinations.\"local one\"]\nuri = 'unix:///x'\nis_machine = true\n",
     {"engine.service_destinations.local one.uri = \"unix:///x\"",
      "engine.service_destinations.local one.is_machine = true"}},
    {"[engine]\nservice_destinations.x.uri = \"u\"", {"engine.service_destinations.x.uri = \"u\""}},
    {"[ a . 'b c' ]\n\"d\" . e = false", {"a.b c.d.e = false"}},
    {"top = true\n[t]\nk = \"v\"\n", {"top = true", "t.k = \"v\""}},
    {"y = { uri = \"unix:///y.sock\", identity = \"k\", n.m = false }",
     {"y = {uri=\"unix:///y.sock\", identity=\"k\", n={m=false}}"}},
    {"y = {}\nz = {a = {b = true}}", {"y = {}", "z = {a={b=true}}"}},
    {"# comment\r\n\r\n[engine] # trailing\r\nx = \"1\" # trailing\r\n", {"engine.x = \"1\""}},
    {"\xEF\xBB\xBF"
     "a = true",
     {"a = true"}},
    {"", {}},
  });
}

TEST(TomlSubset, ResolvesEscapesInBasicStringsOnly)
{
  expect_rows({
    {R"(a = "tab\there \"q\" \\ \u00e9 \U0001F600")",
     {"a = \"tab\there \"q\" \\ \xC3\xA9 \xF0\x9F\x98\x80\""}},
    {R"(a = "\b\f\n\r")", {"a = \"\b\f\n\r\""}},
    {R"(a = 'C:\path\n')", {"a = \"C:\\path\\n\""}},
    {R"(a = "# not a comment")", {"a = \"# not a comment\""}},
  });
}

TEST(TomlSubset, ReadsPastValuesOutsideTheSubset)
{
  expect_rows({
    {"n = 42\nd = 1979-05-27T07:32:00Z\nf = -1.5e3\n", {"n = ?", "d = ?", "f = ?"}},
    {"default_ulimits = [\n  \"nofile=1024:1024\", # why\n  [1, ']'],\n]\nafter = true\n",
     {"default_ulimits = ?", "after = true"}},
    {"ml = \"\"\"\nline \\\"\"\" still\n\"\"\"\nlit = '''\nx\n'''\nafter = true\n",
     {"ml = ?", "lit = ?", "after = true"}},
    {"a = trueish\nb = false}", {"a = ?"}, {"line 2: unexpected \"}\" after the value"}},
  });
}

TEST(TomlSubset, SaysWhyALineCannotBeReadAndReadsOn)
{
  expect_rows({
    {"= 3\nok = true", {"ok = true"}, {"line 1: expected a key, not \"=\""}},
    {"a 3\nok = true", {"ok = true"}, {"line 1: expected \"=\" after the key"}},
    {"a =\nok = true", {"ok = true"}, {"line 1: expected a value"}},
    {"a = \"x\" y\nok = true", {"ok = true"}, {"line 1: unexpected \"y\" after the value"}},
    {"a = \"open\nok = true\n", {"ok = true"}, {"line 1: unterminated string"}},
    {R"(a = "\q")", {}, {"line 1: invalid escape \"\\q\""}},
    {R"(a = "\u12")", {}, {"line 1: invalid unicode escape: expected 4 hex digits"}},
    {R"(a = "\uD800")", {}, {"line 1: invalid unicode escape: not a unicode scalar value"}},
    {"a = { b = 1 c = 2 }", {}, {"line 1: expected \",\" or \"}\" in an inline table"}},
    {"a = {\n b = 1 }\nok = true",
     {"ok = true"},
     {"line 1: expected a key", "line 2: unexpected \"}\" after the value"}},
    {"a = [1,\n2\n", {}, {"line 1: unterminated array"}},
    {"a = \"\"\"\nx", {}, {"line 1: unterminated multi-line string"}},
    {"arr = [\n1,\n2]\nbad\n", {"arr = ?"}, {"line 4: expected \"=\" after the key"}},
  });
}

TEST(TomlSubset, SkipsTheKeysOfATableItCannotRead)
{
  expect_rows({
    {"[engine\nx = \"a\"\n[ok]\ny = \"b\"\n",
     {"ok.y = \"b\""},
     {"line 1: expected \"]\" after the table name"}},
    {"[t] x\ny = true\n[u]\nz = true",
     {"u.z = true"},
     {"line 1: unexpected \"x\" after the table header"}},
    {"[[engine.x]]\nactive_service = \"c\"\n[engine]\nactive_service = \"d\"",
     {"engine.active_service = \"d\""},
     {"line 1: arrays of tables ([[...]]) are not read: their keys are skipped"}},
    {"[[engine.x]\nk = true", {}, {"line 1: expected \"]]\" after the table name"}},
  });
}

TEST(TomlSubset, NumbersEntriesByTheLineOfTheirKey)
{
  auto document = read_toml_subset("# c\n\narr = [\n1,\n]\n[t]\nk = true\n");
  ASSERT_EQ(document.entries.size(), 2u);
  EXPECT_EQ(document.entries[0].line, 3u);
  EXPECT_EQ(document.entries[1].line, 7u);
}

} // namespace
} // namespace crun::util
