# What `crun-any version` says about the build: `git describe --always
# --dirty --tags` of the source tree and CMAKE_BUILD_TYPE, in a generated
# source (build_info.cpp) of its own. A custom target runs the script below
# at every build; the script rewrites the file only when its text changes
# (configure_file), so a new commit recompiles this one small file and
# relinks the binary, and never forces a full rebuild. Built outside a git
# checkout (a tarball; or a tarball unpacked inside another repository),
# git is "unknown" and the project version is what identifies the build.
#
# crun_add_build_info(<target>): adds the generated source to <target>.
# As a script (-P): SOURCE_DIR, OUTPUT, TEMPLATE and BUILD_TYPE given.

if(CMAKE_SCRIPT_MODE_FILE)
  set(describe "unknown")
  find_program(GIT_EXECUTABLE git)
  if(GIT_EXECUTABLE)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --show-toplevel
      OUTPUT_VARIABLE toplevel RESULT_VARIABLE toplevel_result
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(toplevel_result EQUAL 0)
      file(REAL_PATH "${toplevel}" toplevel)
      file(REAL_PATH "${SOURCE_DIR}" source)
    endif()
    if(toplevel_result EQUAL 0 AND toplevel STREQUAL source)
      execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} describe --always --dirty --tags
        OUTPUT_VARIABLE found RESULT_VARIABLE found_result
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(found_result EQUAL 0 AND NOT found STREQUAL "")
        set(describe "${found}")
      endif()
    endif()
  endif()
  if(BUILD_TYPE STREQUAL "")
    set(BUILD_TYPE "unspecified")
  endif()
  set(CRUN_GIT_DESCRIBE "${describe}")
  set(CRUN_BUILD_TYPE "${BUILD_TYPE}")
  configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
  return()
endif()

function(crun_add_build_info target)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp)
  set(template ${PROJECT_SOURCE_DIR}/cmake/build_info.cpp.in)
  add_custom_target(${target}_build_info
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${output}
      -DTEMPLATE=${template} -DBUILD_TYPE=$<CONFIG>
      -P ${PROJECT_SOURCE_DIR}/cmake/BuildInfo.cmake
    BYPRODUCTS ${output}
    COMMENT "Reading git describe for crun-any version"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
  add_dependencies(${target} ${target}_build_info)
endfunction()
