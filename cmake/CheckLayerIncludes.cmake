# Run as a build step (cmake -P) before a layer's library is compiled: every
# #include in the layer's sources and headers must match ALLOWED, so that a
# pure layer cannot reach Boost, POSIX or a higher layer even through a
# header that happens to be on the system include path. Fails the build
# naming the file, the line and the include.
#
#   -DLAYER=core -DSOURCE_DIR=<dir> -DINCLUDE_DIR=<dir> -DALLOWED=<regex> -DSTAMP=<file>
cmake_minimum_required(VERSION 3.20)
set(bad "")
foreach(dir IN ITEMS "${SOURCE_DIR}" "${INCLUDE_DIR}")
  file(GLOB_RECURSE files "${dir}/*.cpp" "${dir}/*.hpp")
  if(NOT files)
    message(FATAL_ERROR "layer ${LAYER}: no sources under ${dir}")
  endif()
  foreach(file IN LISTS files)
    file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*" "" target "${line}")
      string(REGEX MATCH "^(<[^>]*>|\"[^\"]*\")" target "${target}")
      if(NOT target MATCHES "${ALLOWED}")
        string(APPEND bad "\n  ${file}: #include ${target}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "layer ${LAYER} includes what it may not (see src/CMakeLists.txt):${bad}")
endif()
file(TOUCH "${STAMP}")
