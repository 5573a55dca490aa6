# Start-up (issue 12: `crun-any version` within 2 ms of /bin/true). Measured
# on Debian 12: loading libstdc++.so and libgcc_s.so costs ~0.5 ms a run
# (libstdc++'s 2700 symbol relocations, libgcc_s's cpuid probe, slow in a
# VM), so crun-any links its C++ runtime statically where the toolchain can;
# fmt is then used header-only, as libfmt.so would load libstdc++.so again.
# OpenSSL stays a shared library: its security updates must reach crun-any
# without a rebuild. Not with the sanitizers, whose runtimes expect the
# shared C++ runtime, and not on macOS (libc++ is part of the system there).
option(CRUN_ANY_STATIC_CXX_RUNTIME
  "Link libstdc++ and libgcc into crun-any itself (faster start-up; Linux only)" ON)
add_library(crun_startup INTERFACE)
set(CRUN_FMT_TARGET fmt::fmt)
if(CRUN_ANY_STATIC_CXX_RUNTIME AND NOT APPLE
   AND NOT (CRUN_ANY_SANITIZE OR CRUN_ANY_TSAN OR CRUN_ANY_FUZZ))
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-static-libstdc++" CRUN_HAVE_STATIC_LIBSTDCXX)
  check_linker_flag(CXX "-static-libgcc" CRUN_HAVE_STATIC_LIBGCC)
  if(CRUN_HAVE_STATIC_LIBSTDCXX AND CRUN_HAVE_STATIC_LIBGCC AND TARGET fmt::fmt-header-only)
    target_link_options(crun_startup INTERFACE -static-libstdc++ -static-libgcc)
    set(CRUN_FMT_TARGET fmt::fmt-header-only)
  endif()
endif()
