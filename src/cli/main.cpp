#include <crun/cli/app.hpp>

int main(int argc, char** argv)
{
  return crun::cli::main(argc, argv);
}
