# cmake -DSOURCE=dir -DDEST=dir -DGZIP=gzip -P GzipManPages.cmake: DEST
# becomes SOURCE's *.1 pages, each compressed with `gzip -9n` (Debian
# policy: best compression, no name or time stamp, so builds are
# reproducible).
file(REMOVE_RECURSE ${DEST})
file(MAKE_DIRECTORY ${DEST})
file(GLOB pages ${SOURCE}/*.1)
foreach(page ${pages})
  get_filename_component(name ${page} NAME)
  execute_process(COMMAND ${GZIP} -9n -c ${page} OUTPUT_FILE ${DEST}/${name}.gz
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "gzip ${page}: ${result}")
  endif()
endforeach()
