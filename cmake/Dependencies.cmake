# Every dependency is a packaged library (Debian 12 / Homebrew); nothing is
# vendored or downloaded at build time. README.md's Install section lists the packages.
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
if(CRUN_ANY_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
