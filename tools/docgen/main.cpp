// crun-any-docgen OUTDIR: writes the man pages and the completion scripts
// of crun-any's command tree under OUTDIR/share (cmake/GeneratedDocs.cmake
// runs it at build time). Exits 1 naming the problem when a command lacks
// its entry in command_docs.cpp or a file cannot be written.

#include <crun/cli/command_tree.hpp>
#include <crun/docgen/command_model.hpp>
#include <crun/docgen/generators.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text)
{
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

int generate(const fs::path& root_dir)
{
  crun::cli::GlobalOptions global;
  crun::cli::CommandTree tree = crun::cli::make_command_tree(global);
  crun::docgen::CommandModel model = crun::docgen::read_command_model(tree);

  fs::path man_dir = root_dir / "share" / "man" / "man1";
  fs::path completion_dir = root_dir / "share" / "completions";
  fs::create_directories(man_dir);
  fs::create_directories(completion_dir);
  // A page of a command that no longer exists must not linger.
  for (const auto& entry : fs::directory_iterator(man_dir)) {
    if (entry.path().extension() == ".1") {
      fs::remove(entry.path());
    }
  }
  for (const auto* command : crun::docgen::all_commands(model)) {
    if (!command->refused) {
      write_file(man_dir / (command->page_name() + ".1"), crun::docgen::man_page(model, *command));
    }
  }
  write_file(completion_dir / "crun-any.bash", crun::docgen::bash_completion(model));
  write_file(completion_dir / "_crun-any", crun::docgen::zsh_completion(model));
  write_file(completion_dir / "crun-any.fish", crun::docgen::fish_completion(model));
  return 0;
}

} // namespace

int main(int argc, char** argv)
{
  if (argc != 2) {
    std::cerr << "usage: crun-any-docgen OUTDIR\n";
    return 2;
  }
  try {
    return generate(argv[1]);
  } catch (const std::exception& e) {
    std::cerr << "crun-any-docgen: error: " << e.what() << "\n";
    return 1;
  }
}
