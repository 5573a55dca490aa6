#include <crun/core/lock_file.hpp>

#include <crun/core/error.hpp>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <utility>
#include <vector>

namespace crun::core {
namespace {

using nlohmann::json;

bool is_identifier(std::string_view key)
{
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// One step of a JSON path: `.name` for a field (when it reads as one),
// `["key"]` for a map's key (an image, a platform).
std::string path_step(const std::string& path, std::string_view key)
{
  if (is_identifier(key)) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }
  return fmt::format("{}[{}]", path, json(std::string(key)).dump());
}

std::string path_key(const std::string& path, std::string_view key)
{
  return fmt::format("{}[{}]", path, json(std::string(key)).dump());
}

// The objects of the schema whose keys are map keys, not fields.
bool is_map(std::string_view field)
{
  return field == "images" || field == "platforms";
}

// Line and column (1-based) of the byte nlohmann reports: the 1-based index
// of the last character it read, which may be one past the end.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte)
{
  std::size_t index = std::min(byte > 0 ? byte - 1 : 0, text.size());
  std::string_view before = text.substr(0, index);
  std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  std::size_t last_newline = before.rfind('\n');
  std::size_t column = last_newline == std::string_view::npos ? index + 1 : index - last_newline;
  return {line, column};
}

// nlohmann's what() without its "[json.exception...] parse error at line
// L, column C: " prefix, which would repeat (and count differently) the
// position we give.
std::string parse_problem(const json::parse_error& error)
{
  std::string_view what = error.what();
  if (auto column = what.find("column "); column != std::string_view::npos) {
    if (auto colon = what.find(": ", column); colon != std::string_view::npos) {
      return std::string(what.substr(colon + 2));
    }
  }
  if (auto bracket = what.find("] "); bracket != std::string_view::npos) {
    return std::string(what.substr(bracket + 2));
  }
  return std::string(what);
}

class Reader {
public:
  explicit Reader(std::string_view file) : m_file(file) {}

  [[noreturn]] void schema_error(const std::string& path, const std::string& problem) const
  {
    fail(Errc::invalid_input, "{}: {}: {}", m_file, path.empty() ? "(top level)" : path, problem);
  }

  const json& field(const json& object, const std::string& path, std::string_view name,
                    json::value_t type, std::string_view type_name) const
  {
    auto it = object.find(name);
    std::string where = path_step(path, name);
    if (it == object.end()) {
      schema_error(where, "missing");
    }
    if (it->type() != type) {
      schema_error(where, fmt::format("must be {}, not {}", type_name, it->type_name()));
    }
    return *it;
  }

  void only_fields(const json& object, const std::string& path,
                   std::initializer_list<std::string_view> known) const
  {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        schema_error(path_step(path, key),
                     fmt::format("unknown field (known: {})", fmt::join(known, ", ")));
      }
    }
  }

  Digest digest(const json& value, const std::string& path) const
  {
    if (!value.is_string()) {
      schema_error(path, fmt::format("must be a digest string, not {}", value.type_name()));
    }
    auto parsed = Digest::try_parse(value.get<std::string>());
    if (!parsed) {
      schema_error(path, parsed.problem());
    }
    return *parsed;
  }

  LockedImage image(const ImageRef& ref, const json& entry, const std::string& path) const
  {
    if (!entry.is_object()) {
      schema_error(path, fmt::format("must be an object, not {}", entry.type_name()));
    }
    only_fields(entry, path, {"digest", "kind", "platforms", "tag"});
    const std::string tag = field(entry, path, "tag", json::value_t::string, "a string");
    if (tag != ref.tag_or_latest()) {
      schema_error(path_step(path, "tag"), fmt::format("\"{}\" is not the tag of the key (\"{}\")",
                                                       tag, ref.tag_or_latest()));
    }
    const std::string kind_name = field(entry, path, "kind", json::value_t::string, "a string");
    LockKind kind = LockKind::index;
    if (kind_name == "manifest") {
      kind = LockKind::manifest;
    } else if (kind_name != "index") {
      schema_error(path_step(path, "kind"),
                   fmt::format("must be \"index\" or \"manifest\", not \"{}\"", kind_name));
    }
    const json& digest_value = field(entry, path, "digest", json::value_t::string, "a string");
    LockedImage image{tag, kind, digest(digest_value, path_step(path, "digest")), {}};

    std::string platforms_path = path_step(path, "platforms");
    const json& platforms = field(entry, path, "platforms", json::value_t::object, "an object");
    if (platforms.empty()) {
      schema_error(platforms_path, "no platform: an entry locks at least one");
    }
    for (const auto& [key, value] : platforms.items()) {
      std::string where = path_key(platforms_path, key);
      Platform platform;
      try {
        platform = Platform::parse(key);
      } catch (const Error& error) {
        schema_error(where, error.message());
      }
      std::string normal = lock_platform_key(platform);
      if (image.platforms.contains(normal)) {
        schema_error(where, fmt::format("names {}, as another key of platforms does", normal));
      }
      image.platforms.emplace(normal, digest(value, where));
    }
    if (kind == LockKind::manifest &&
        (image.platforms.size() != 1 || image.platforms.begin()->second != image.digest)) {
      schema_error(platforms_path,
                   "a \"manifest\" entry has one platform, whose digest is the entry's digest");
    }
    return image;
  }

  LockFile file(const json& doc) const
  {
    if (!doc.is_object()) {
      schema_error("", fmt::format("must be an object, not {}", doc.type_name()));
    }
    const json& version = field(doc, "", "version", json::value_t::number_unsigned, "an integer");
    if (version.get<std::uint64_t>() != static_cast<std::uint64_t>(k_lock_version)) {
      if (version.get<std::uint64_t>() > static_cast<std::uint64_t>(k_lock_version)) {
        fail(Errc::invalid_input,
             "{}: lock file version {} is newer than this crun-any reads ({}): upgrade crun-any",
             m_file, version.get<std::uint64_t>(), k_lock_version);
      }
      schema_error("version", fmt::format("{} is no lock file version (this crun-any reads {})",
                                          version.get<std::uint64_t>(), k_lock_version));
    }
    only_fields(doc, "", {"images", "version"});
    const json& images = field(doc, "", "images", json::value_t::object, "an object");
    LockFile lock;
    for (const auto& [key, entry] : images.items()) {
      std::string where = path_key("images", key);
      auto ref = ImageRef::try_parse(key);
      if (!ref) {
        schema_error(where, ref.problem());
      }
      if (ref->digest()) {
        schema_error(where, "a lock key names a tag, not a digest");
      }
      std::string normal = lock_key(*ref);
      if (lock.images.contains(normal)) {
        schema_error(where, fmt::format("names {}, as another key of images does", normal));
      }
      lock.images.insert_or_assign(normal, image(*ref, entry, where));
    }
    return lock;
  }

private:
  std::string_view m_file;
};

// nlohmann keeps the last of two equal keys; a lock that says two things
// about one image is refused instead. Its callback sees no position, so the
// message gives the path.
class DuplicateKeys {
public:
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed)
  {
    switch (event) {
    case json::parse_event_t::object_start: m_frames.push_back({}); break;
    case json::parse_event_t::object_end:
      if (!m_frames.empty()) {
        m_frames.pop_back();
      }
      break;
    case json::parse_event_t::key: {
      auto& frame = m_frames.back();
      frame.key = parsed.get<std::string>();
      if (!frame.seen.insert(frame.key).second && !m_duplicate) {
        std::string path;
        std::string_view parent;
        for (const auto& outer : m_frames) {
          path = is_map(parent) ? path_key(path, outer.key) : path_step(path, outer.key);
          parent = outer.key;
        }
        m_duplicate = path;
      }
      break;
    }
    default: break;
    }
    return true;
  }
  const std::optional<std::string>& duplicate() const { return m_duplicate; }

private:
  struct Frame {
    std::set<std::string> seen;
    std::string key;
  };
  std::vector<Frame> m_frames;
  std::optional<std::string> m_duplicate;
};

} // namespace

std::string_view lock_kind_name(LockKind kind)
{
  return kind == LockKind::manifest ? "manifest" : "index";
}

std::string lock_key(const ImageRef& ref)
{
  return ref.repository() + ":" + ref.tag_or_latest();
}

std::string lock_platform_key(const Platform& platform)
{
  return platform.normalized().str();
}

const LockedImage* LockFile::find(const ImageRef& ref) const
{
  auto it = images.find(lock_key(ref));
  return it == images.end() ? nullptr : &it->second;
}

std::vector<LockDrift> lock_drifts(const LockedImage& locked, const LockedImage& served)
{
  std::vector<LockDrift> drifts;
  if (locked.digest != served.digest) {
    drifts.push_back({"digest", locked.digest.str(), served.digest.str()});
  }
  for (const auto& [platform, digest] : locked.platforms) {
    auto it = served.platforms.find(platform);
    if (it == served.platforms.end()) {
      drifts.push_back({platform, digest.str(), "none"});
    } else if (it->second != digest) {
      drifts.push_back({platform, digest.str(), it->second.str()});
    }
  }
  return drifts;
}

LockFile parse_lock_file(std::string_view text, std::string_view file)
{
  DuplicateKeys duplicates;
  json doc;
  try {
    doc = json::parse(text, std::ref(duplicates));
  } catch (const json::parse_error& error) {
    auto [line, column] = line_and_column(text, error.byte);
    fail(Errc::invalid_input, "{}:{}:{}: not valid JSON: {}", file, line, column,
         parse_problem(error));
  }
  if (duplicates.duplicate()) {
    fail(Errc::invalid_input, "{}: {}: the key appears twice in one object", file,
         *duplicates.duplicate());
  }
  return Reader(file).file(doc);
}

std::string write_lock_file(const LockFile& lock)
{
  json images = json::object();
  for (const auto& [key, image] : lock.images) {
    json platforms = json::object();
    for (const auto& [platform, digest] : image.platforms) {
      platforms[platform] = digest.str();
    }
    images[key] = json{{"tag", image.tag},
                       {"kind", lock_kind_name(image.kind)},
                       {"digest", image.digest.str()},
                       {"platforms", std::move(platforms)}};
  }
  // nlohmann::json's objects are std::maps: dump() writes keys sorted.
  json doc{{"version", k_lock_version}, {"images", std::move(images)}};
  return doc.dump(2) + "\n";
}

} // namespace crun::core
