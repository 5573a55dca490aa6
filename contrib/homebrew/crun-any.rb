# Homebrew formula for crun-any, built from the release's source tarball
# (`make package` makes it: build/crun-any-<version>.tar.gz). README.md here
# says how to test it and how to fill in url and sha256 for a release.
class CrunAny < Formula
  desc "One pull, run and inspect over Docker, Podman and Apple container"
  homepage "https://github.com/crun-any/crun-any"
  # The tarball attached to the GitHub release of this version.
  url "https://github.com/crun-any/crun-any/releases/download/v0.1.0/crun-any-0.1.0.tar.gz"
  # Placeholder until the release exists: the SHA-256 of that tarball, as in
  # the crun-any-<version>.tar.gz.sha256 that `make package` writes beside it
  # (or `shasum -a 256 crun-any-<version>.tar.gz`).
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  # No `license` line yet: the source tree does not state one (docs/packaging.md).

  depends_on "cmake" => :build
  depends_on "ninja" => :build
  # Header-only here: Boost.Asio/Beast, CLI11 and nlohmann/json are compiled in.
  depends_on "boost" => :build
  depends_on "cli11" => :build
  depends_on "nlohmann-json" => :build
  # Linked: fmt as a shared library (macOS keeps the C++ runtime shared),
  # and OpenSSL, whose security updates must reach crun-any without a rebuild.
  depends_on "fmt"
  depends_on "openssl@3"

  def install
    system "cmake", "-S", ".", "-B", "build", "-G", "Ninja",
           "-DCRUN_ANY_BUILD_TESTS=OFF",
           "-DCRUN_ANY_ZSH_COMPLETION_DIR=share/zsh/site-functions",
           "-DOPENSSL_ROOT_DIR=#{Formula["openssl@3"].opt_prefix}",
           *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  test do
    require "json"
    info = JSON.parse(shell_output("#{bin}/crun-any version --json"))
    assert_equal version.to_s, info["version"]
    assert_match "crun-any #{version}", shell_output("#{bin}/crun-any version")
  end
end
