#include <crun/cli/app.hpp>

namespace crun::cli {
int main(int, char**) { return 0; }
} // namespace crun::cli
