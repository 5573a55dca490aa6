#include <crun/core/lock_file.hpp>

#include <crun/core/error.hpp>
#include <crun/core/json_text.hpp>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace crun::core {
namespace {

using nlohmann::json;

// The objects of the schema whose keys are map keys, not fields.
bool is_map(std::string_view field)
{
  return field == "images" || field == "platforms";
}

// Paths in messages are built only when a message needs one: `path` is a
// callable giving the JSON path of the value at hand (building every path
// of a 1000-image lock up front cost a fifth of its reading time).
class Reader {
public:
  explicit Reader(std::string_view file) : m_file(file) {}

  [[noreturn]] void schema_error(const std::string& path, const std::string& problem) const
  {
    fail(Errc::invalid_input, "{}: {}: {}", m_file, path.empty() ? "(top level)" : path, problem);
  }

  template <typename Path>
  const json& field(const json& object, const Path& path, std::string_view name, json::value_t type,
                    std::string_view type_name) const
  {
    auto it = object.find(name);
    if (it == object.end()) {
      schema_error(json_path_step(path(), name), "missing");
    }
    if (it->type() != type) {
      schema_error(json_path_step(path(), name),
                   fmt::format("must be {}, not {}", type_name, it->type_name()));
    }
    return *it;
  }

  template <typename Path>
  void only_fields(const json& object, const Path& path,
                   std::initializer_list<std::string_view> known) const
  {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        schema_error(json_path_step(path(), key),
                     fmt::format("unknown field (known: {})", fmt::join(known, ", ")));
      }
    }
  }

  template <typename Path>
  Digest digest(const json& value, const Path& path) const
  {
    if (!value.is_string()) {
      schema_error(path(), fmt::format("must be a digest string, not {}", value.type_name()));
    }
    auto parsed = Digest::try_parse(value.get_ref<const std::string&>());
    if (!parsed) {
      schema_error(path(), parsed.problem());
    }
    return *parsed;
  }

  template <typename Path>
  LockedImage image(const ImageRef& ref, const json& entry, const Path& path) const
  {
    if (!entry.is_object()) {
      schema_error(path(), fmt::format("must be an object, not {}", entry.type_name()));
    }
    only_fields(entry, path, {"digest", "kind", "platforms", "tag"});
    const json& tag_value = field(entry, path, "tag", json::value_t::string, "a string");
    const auto& tag = tag_value.get_ref<const std::string&>();
    if (tag != ref.tag_or_latest()) {
      schema_error(
        json_path_step(path(), "tag"),
        fmt::format("\"{}\" is not the tag of the key (\"{}\")", tag, ref.tag_or_latest()));
    }
    const json& kind_value = field(entry, path, "kind", json::value_t::string, "a string");
    const auto& kind_name = kind_value.get_ref<const std::string&>();
    LockKind kind = LockKind::index;
    if (kind_name == "manifest") {
      kind = LockKind::manifest;
    } else if (kind_name != "index") {
      schema_error(json_path_step(path(), "kind"),
                   fmt::format("must be \"index\" or \"manifest\", not \"{}\"", kind_name));
    }
    const json& digest_value = field(entry, path, "digest", json::value_t::string, "a string");
    LockedImage image{
      tag, kind, digest(digest_value, [&] { return json_path_step(path(), "digest"); }), {}};

    auto platforms_path = [&] { return json_path_step(path(), "platforms"); };
    const json& platforms = field(entry, path, "platforms", json::value_t::object, "an object");
    if (platforms.empty()) {
      schema_error(platforms_path(), "no platform: an entry locks at least one");
    }
    // Members by name, not structured bindings: clang 14 cannot capture those.
    for (const auto& member : platforms.get_ref<const json::object_t&>()) {
      const std::string& key = member.first;
      const json& value = member.second;
      auto where = [&] { return json_path_key(platforms_path(), key); };
      Platform platform;
      try {
        platform = Platform::parse(key);
      } catch (const Error& error) {
        schema_error(where(), error.message());
      }
      std::string normal = lock_platform_key(platform);
      if (image.platforms.contains(normal)) {
        schema_error(where(), fmt::format("names {}, as another key of platforms does", normal));
      }
      Digest manifest = digest(value, where);
      image.platforms.emplace(std::move(normal), std::move(manifest));
    }
    if (kind == LockKind::manifest &&
        (image.platforms.size() != 1 || image.platforms.begin()->second != image.digest)) {
      schema_error(platforms_path(),
                   "a \"manifest\" entry has one platform, whose digest is the entry's digest");
    }
    return image;
  }

  LockFile file(const json& doc) const
  {
    auto top = [] { return std::string(); };
    if (!doc.is_object()) {
      schema_error("", fmt::format("must be an object, not {}", doc.type_name()));
    }
    const json& version = field(doc, top, "version", json::value_t::number_unsigned, "an integer");
    if (version.get<std::uint64_t>() != static_cast<std::uint64_t>(k_lock_version)) {
      if (version.get<std::uint64_t>() > static_cast<std::uint64_t>(k_lock_version)) {
        fail(Errc::invalid_input,
             "{}: lock file version {} is newer than this crun-any reads ({}): upgrade crun-any",
             m_file, version.get<std::uint64_t>(), k_lock_version);
      }
      schema_error("version", fmt::format("{} is no lock file version (this crun-any reads {})",
                                          version.get<std::uint64_t>(), k_lock_version));
    }
    only_fields(doc, top, {"images", "version"});
    const json& images = field(doc, top, "images", json::value_t::object, "an object");
    LockFile lock;
    for (const auto& member : images.get_ref<const json::object_t&>()) {
      const std::string& key = member.first;
      const json& entry = member.second;
      auto where = [&] { return json_path_key("images", key); };
      auto ref = ImageRef::try_parse(key);
      if (!ref) {
        schema_error(where(), ref.problem());
      }
      if (ref->digest()) {
        schema_error(where(), "a lock key names a tag, not a digest");
      }
      std::string normal = lock_key(*ref);
      if (lock.images.contains(normal)) {
        schema_error(where(), fmt::format("names {}, as another key of images does", normal));
      }
      LockedImage locked = image(*ref, entry, where);
      lock.images.emplace_hint(lock.images.end(), std::move(normal), std::move(locked));
    }
    return lock;
  }

private:
  std::string_view m_file;
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
  // nlohmann keeps the last of two equal keys; a lock that says two things
  // about one image is refused instead (parse_json_text).
  return Reader(file).file(parse_json_text(text, file, Errc::invalid_input, is_map));
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
