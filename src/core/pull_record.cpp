#include <crun/core/pull_record.hpp>

#include <crun/core/error.hpp>
#include <crun/core/lock_file.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace crun::core {

PullRecord parse_pull_record(std::string_view text, std::string_view file)
{
  PullRecord record;
  try {
    auto doc = nlohmann::json::parse(text);
    // A number is compared as it is: get<int>() of 1e30 is undefined and of
    // 4294967297 is 1 (found by tests/fuzz/fuzz_pull_record).
    const auto& version = doc.at("version");
    if (version.is_number() ? version != 1 : version.get<int>() != 1) {
      fail(Errc::invalid_input, "{}: unknown pull record version {}", file,
           doc.at("version").dump());
    }
    for (const auto& item : doc.at("pulls")) {
      record.entries.push_back({item.at("repository").get<std::string>(),
                                item.at("platform").get<std::string>(),
                                Digest::parse(item.at("manifest").get<std::string>()),
                                Digest::parse(item.at("id").get<std::string>())});
    }
  } catch (const nlohmann::json::exception& e) {
    fail(Errc::invalid_input, "{}: not a pull record: {}", file, e.what());
  } catch (Error& error) {
    error.add_context(fmt::format("reading the pull record {}", file));
    throw;
  }
  return record;
}

std::string write_pull_record(const PullRecord& record)
{
  std::string text = "{\n  \"pulls\": [";
  for (std::size_t i = 0; i < record.entries.size(); ++i) {
    const PulledEntry& entry = record.entries[i];
    nlohmann::json item = {{"id", entry.id.str()},
                           {"manifest", entry.manifest.str()},
                           {"platform", entry.platform},
                           {"repository", entry.repository}};
    text += (i == 0 ? "\n    " : ",\n    ") + item.dump();
  }
  text += record.entries.empty() ? "],\n" : "\n  ],\n";
  text += "  \"version\": 1\n}\n";
  return text;
}

void add_pull(PullRecord& record, PulledEntry entry)
{
  std::erase(record.entries, entry);
  record.entries.push_back(std::move(entry));
  if (record.entries.size() > k_max_pull_record) {
    record.entries.erase(record.entries.begin(),
                         record.entries.end() - static_cast<std::ptrdiff_t>(k_max_pull_record));
  }
}

std::vector<Digest> recorded_digests(const PullRecord& record, std::string_view repository,
                                     const Platform& platform)
{
  const std::string key = lock_platform_key(platform);
  std::vector<Digest> digests;
  for (const auto& entry : record.entries) {
    if (entry.repository == repository && entry.platform == key) {
      digests.push_back(entry.manifest);
      digests.push_back(entry.id);
    }
  }
  return digests;
}

} // namespace crun::core
