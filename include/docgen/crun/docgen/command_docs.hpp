#pragma once
// What the man pages say that the CLI11 tree does not hold: a longer
// description and examples, one entry per command path, in one table
// (tools/docgen/command_docs.cpp). A command without its entry fails the
// docgen unit test.

#include <span>
#include <string_view>

namespace crun::docgen {

struct Example {
  std::string_view command; ///< "crun-any pull alpine:3.20"
  std::string_view what;    ///< one sentence
};

struct CommandDoc {
  std::string_view path;        ///< "" for crun-any, "run", "policy check"
  std::string_view description; ///< paragraphs separated by blank lines
  std::span<const Example> examples;
  bool completes_images = false; ///< its positionals name local images
};

/// Every entry, crun-any's own first.
std::span<const CommandDoc> command_docs() noexcept;

/// The entry of `path` ("policy check"); null when it has none.
const CommandDoc* find_command_doc(std::string_view path) noexcept;

} // namespace crun::docgen
