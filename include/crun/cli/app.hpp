#pragma once

namespace crun::cli {

/// The whole command line: parses, dispatches to one command, and maps any
/// crun::Error to its exit code (the one catch of the program).
int main(int argc, char** argv);

} // namespace crun::cli
