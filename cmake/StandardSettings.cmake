# Compiler settings shared by every target: warnings and optional sanitizers.
option(CRUN_ANY_TSAN "Build with ThreadSanitizer (clang; not with CRUN_ANY_SANITIZE)" OFF)
option(CRUN_ANY_FUZZ
  "Build the libFuzzer targets of tests/fuzz, every library with ASan and UBSan (clang)" OFF)
if(CRUN_ANY_SANITIZE AND CRUN_ANY_TSAN)
  # The two runtimes cannot share a process.
  message(FATAL_ERROR "CRUN_ANY_SANITIZE (ASan, UBSan) and CRUN_ANY_TSAN exclude each other: "
    "use one build directory for each")
endif()
if(CRUN_ANY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CRUN_ANY_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  if(CRUN_ANY_SANITIZE OR CRUN_ANY_TSAN)
    message(FATAL_ERROR "CRUN_ANY_FUZZ brings its own ASan and UBSan: use a build directory "
      "of its own, without CRUN_ANY_SANITIZE or CRUN_ANY_TSAN")
  endif()
endif()

add_library(crun_settings INTERFACE)
target_compile_options(crun_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual)
if(CRUN_ANY_WERROR)
  target_compile_options(crun_settings INTERFACE -Werror)
endif()
if(CRUN_ANY_SANITIZE)
  target_compile_options(crun_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(crun_settings INTERFACE -fsanitize=address,undefined)
endif()
if(CRUN_ANY_FUZZ)
  # Coverage for libFuzzer in every library; the fuzz targets alone link
  # libFuzzer's main (tests/fuzz/CMakeLists.txt adds -fsanitize=fuzzer).
  target_compile_options(crun_settings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(crun_settings INTERFACE -fsanitize=address,undefined)
endif()
if(CRUN_ANY_TSAN)
  target_compile_options(crun_settings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(crun_settings INTERFACE -fsanitize=thread)
endif()
