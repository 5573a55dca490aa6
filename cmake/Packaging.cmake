# What `cmake --install` puts where, and the packages CPack makes of it
# (`make package`, docs/packaging.md): a Debian package (DEB) and a source
# tarball (TGZ). The Debian parts lintian insists on, a machine-readable
# copyright file and changelog.Debian.gz, are generated here at configure
# time (cmake/DebianPackage.cmake), so a package needs no debian/ directory
# and no debhelper.
include(GNUInstallDirs)

# Directories made by the install are 0755 whatever the umask (lintian:
# non-standard-dir-perm).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

install(TARGETS crun-any RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# share/doc/crun-any: the README, the changelog once there is one, the
# reference docs, and the example admin policy (contrib/policy/README.md).
set(CRUN_DOC_FILES ${PROJECT_SOURCE_DIR}/README.md)
if(EXISTS ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
  list(APPEND CRUN_DOC_FILES ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
endif()
file(GLOB CRUN_DOC_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${CRUN_DOC_FILES} ${CRUN_DOC_PAGES} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/contrib/policy/admin-policy.json
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

set(CRUN_ANY_HOMEPAGE "https://github.com/crun-any/crun-any"
  CACHE STRING "The project's home page (package metadata)")
set(CRUN_ANY_PACKAGE_MAINTAINER "crun-any maintainers <maintainers@crun-any.org>"
  CACHE STRING "Name <address> of whoever answers for the packages")
# The tree states no licence yet (docs/packaging.md): until it does, the
# copyright file says so instead of guessing one. Set both to ship another.
set(CRUN_ANY_LICENSE_NAME "other" CACHE STRING "DEP-5 short name of the licence")
set(CRUN_ANY_LICENSE_FILE "" CACHE FILEPATH "The licence's full text (empty: none chosen yet)")
# The Debian revision: the n-th package of one upstream version.
set(CRUN_ANY_DEBIAN_REVISION 1 CACHE STRING "Debian revision of the package version")

set(CPACK_PACKAGE_NAME crun-any)
set(CPACK_PACKAGE_VENDOR "The crun-any authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${CRUN_ANY_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_HOMEPAGE_URL ${CRUN_ANY_HOMEPAGE})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "one pull, run and inspect over Docker, Podman and Apple container")
set(CPACK_PACKAGE_DESCRIPTION
  "crun-any pulls, runs and inspects OCI images the same way on whichever
container engine a machine has: the Docker Engine API, Podman's libpod
REST API or Apple's container command. It pins images by digest in a
committed lock file (crun-any.lock), verifies them, and enforces a team
policy (allowed registries, pull only, digests required) that an
administrator installs as /etc/crun-any/policy.json.

It needs a container engine to talk to: a local Docker or Podman service,
or a remote one reached through DOCKER_HOST or CONTAINER_HOST.")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

# The source tarball: the tree as committed, without build directories,
# version control and caches. Anchored at the top so that a source file
# whose name starts with "build" stays in.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME crun-any-${PROJECT_VERSION})
string(REPLACE "." "\\\\." CRUN_SOURCE_TOP_RE "${PROJECT_SOURCE_DIR}")
set(CPACK_SOURCE_IGNORE_FILES
  "^${CRUN_SOURCE_TOP_RE}/build[^/]*/"
  "^${CRUN_SOURCE_TOP_RE}/\\\\.cache/"
  "/\\\\.git$" "/\\\\.git/"
  "/__pycache__/" "\\\\.pyc$"
  "/compile_commands\\\\.json$"
  "~$" "\\\\.swp$")

find_program(CRUN_DPKG dpkg)
if(CRUN_DPKG AND NOT APPLE)
  set(CPACK_GENERATOR DEB)
  include(${CMAKE_CURRENT_LIST_DIR}/DebianPackage.cmake)
else()
  set(CPACK_GENERATOR TGZ)
endif()

include(CPack)
