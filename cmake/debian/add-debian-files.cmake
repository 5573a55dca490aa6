# A CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, set in
# cmake/DebianPackage.cmake): adds the files only a Debian package has, the
# copyright, changelog.Debian.gz and lintian overrides, to the staged install
# before the .deb is made (and renames the upstream CHANGELOG.md to the
# changelog.gz Debian policy 12.7 names), so that `cmake --install` puts none of them under
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

# Debian's name for the upstream changelog is changelog(.gz), compressed with
# gzip -9n (lintian: wrong-name-for-upstream-changelog).
set(upstream ${staged}/share/doc/crun-any/CHANGELOG.md)
if(EXISTS ${upstream})
  execute_process(COMMAND ${CPACK_CRUN_GZIP} -9nc ${upstream}
    OUTPUT_FILE ${staged}/share/doc/crun-any/changelog.gz RESULT_VARIABLE gzip_result)
  if(NOT gzip_result EQUAL 0)
    message(FATAL_ERROR "gzip of ${upstream} failed: ${gzip_result}")
  endif()
  file(CHMOD ${staged}/share/doc/crun-any/changelog.gz FILE_PERMISSIONS ${readable})
  file(REMOVE ${upstream})
endif()
