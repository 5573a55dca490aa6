# The Debian package (included by Packaging.cmake where dpkg exists):
# control fields, and the files Debian policy wants in every package
# (usr/share/doc/crun-any/copyright and changelog.Debian.gz, the lintian
# overrides), generated here at configure time and added to the package
# only. docs/packaging.md explains the choices.
set(CPACK_DEBIAN_PACKAGE_NAME crun-any)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # crun-any_<version>-<revision>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CRUN_ANY_DEBIAN_REVISION})
set(CPACK_DEBIAN_PACKAGE_SECTION admin) # beside docker.io and podman
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: dpkg-shlibdeps reads the ELF dependencies of the stripped binary
# (libc6 and libssl3; libstdc++ is linked in, cmake/StartupLinking.cmake).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# An engine makes crun-any useful, but it may be remote (DOCKER_HOST), so
# none is a hard dependency. qemu-user-static runs other architectures'
# images (crun-any warns or refuses when one would need it).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "docker.io | podman | docker-ce")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qemu-user-static")

# Version, date and maintainer of the one changelog entry: this build's.
# SOURCE_DATE_EPOCH, when set, makes the date reproducible.
set(CRUN_DEBIAN_VERSION ${PROJECT_VERSION}-${CRUN_ANY_DEBIAN_REVISION})
string(TIMESTAMP CRUN_DEBIAN_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
string(TIMESTAMP CRUN_DEBIAN_YEAR "%Y" UTC)
set(CRUN_DEBIAN_DIR ${PROJECT_BINARY_DIR}/debian)

if(CRUN_ANY_LICENSE_FILE)
  file(READ ${CRUN_ANY_LICENSE_FILE} CRUN_LICENSE_TEXT)
else()
  set(CRUN_LICENSE_TEXT
    "The crun-any source tree does not state a licence yet. Until it does,
all rights are reserved by the copyright holders.")
endif()
# DEP-5 wraps continuation lines with one space, and an empty line as " .".
string(STRIP "${CRUN_LICENSE_TEXT}" CRUN_LICENSE_TEXT)
string(REGEX REPLACE "\n[ \t]*\n" "\n.\n" CRUN_LICENSE_TEXT "${CRUN_LICENSE_TEXT}")
string(REPLACE "\n" "\n " CRUN_LICENSE_TEXT "${CRUN_LICENSE_TEXT}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/copyright.in ${CRUN_DEBIAN_DIR}/copyright @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/changelog.in ${CRUN_DEBIAN_DIR}/changelog @ONLY)

# gzip -9n: maximum compression and no name or time stamp in the header, as
# lintian and reproducible builds expect.
find_program(CRUN_GZIP gzip REQUIRED)
execute_process(COMMAND ${CRUN_GZIP} -9nc ${CRUN_DEBIAN_DIR}/changelog
  OUTPUT_FILE ${CRUN_DEBIAN_DIR}/changelog.Debian.gz RESULT_VARIABLE CRUN_GZIP_RESULT)
if(NOT CRUN_GZIP_RESULT EQUAL 0)
  message(FATAL_ERROR "gzip of ${CRUN_DEBIAN_DIR}/changelog failed: ${CRUN_GZIP_RESULT}")
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/lintian-overrides
  ${CRUN_DEBIAN_DIR}/lintian-overrides COPYONLY)
# Into the package only (not `cmake --install`): debian/add-debian-files.cmake.
set(CPACK_CRUN_DEBIAN_DIR ${CRUN_DEBIAN_DIR})
set(CPACK_CRUN_GZIP ${CRUN_GZIP})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/debian/add-debian-files.cmake)
