# Compiler settings shared by every target: warnings and optional sanitizers.
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
