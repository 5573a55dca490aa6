# A CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, set in
# cmake/DebianPackage.cmake): adds the files only a Debian package has, the
# copyright, changelog.Debian.gz and lintian overrides, to the staged install
# before the .deb is made, so that `cmake --install` puts none of them under
# /usr/local.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(staged ${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX})
set(readable OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(COPY ${CPACK_CRUN_DEBIAN_DIR}/copyright ${CPACK_CRUN_DEBIAN_DIR}/changelog.Debian.gz
  DESTINATION ${staged}/share/doc/crun-any FILE_PERMISSIONS ${readable})
file(COPY ${CPACK_CRUN_DEBIAN_DIR}/lintian-overrides
  DESTINATION ${staged}/share/lintian/overrides FILE_PERMISSIONS ${readable})
file(RENAME ${staged}/share/lintian/overrides/lintian-overrides
  ${staged}/share/lintian/overrides/crun-any)
