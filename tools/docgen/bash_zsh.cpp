// The bash and zsh scripts: the tables of shell_data.cpp, one walker over
// the typed words that both shells run, and a driver per shell.

#include "shell_data.hpp"

#include <crun/docgen/generators.hpp>

#include <string_view>

namespace crun::docgen {
namespace {

// Reads the words before the cursor ($@): the command path, the number of
// positionals, the option still waiting for its value, and the global
// options that choose the engine (passed on to `crun-any images`).
constexpr std::string_view k_walker = R"sh(__crun_any_takes_value() {
  [[ " $(__crun_any_valued "$1") " == *" $2 "* ]] && return 0
  [[ " $(__crun_any_options "$1") " == *" $2 "* ]] && return 1
  [[ " $(__crun_any_valued '') " == *" $2 "* ]]
}

__crun_any_walk() {
  __crun_any_path='' __crun_any_npos=0 __crun_any_pending=''
  __crun_any_globals=()
  local w
  while (($#)); do
    w=$1
    shift
    if ((__crun_any_npos > 0)) && __crun_any_stops "$__crun_any_path"; then
      return 0
    fi
    case $w in
    --) __crun_any_npos=$((__crun_any_npos + 1)) ;;
    -*=*) ;;
    -*)
      if __crun_any_takes_value "$__crun_any_path" "$w"; then
        if (($# == 0)); then
          __crun_any_pending=$w
          return 0
        fi
        case $w in --backend | --host) __crun_any_globals+=("$w" "$1") ;; esac
        shift
      fi
      ;;
    *)
      if ((__crun_any_npos == 0)) &&
        [[ " $(__crun_any_subcommands "$__crun_any_path") " == *" $w "* ]]; then
        __crun_any_path=${__crun_any_path:+$__crun_any_path }$w
      else
        __crun_any_npos=$((__crun_any_npos + 1))
      fi
      ;;
    esac
  done
}

# What to offer for the word $1 after __crun_any_walk: "file", "images",
# "none" or "words W...".
__crun_any_what() {
  if ((__crun_any_npos > 0)) && __crun_any_stops "$__crun_any_path"; then
    echo none # the container's command: not crun-any's to complete
    return
  fi
  if [[ -n $__crun_any_pending ]]; then
    local values
    values=$(__crun_any_values "$__crun_any_path" "$__crun_any_pending")
    [[ -n $values ]] || values=$(__crun_any_values '' "$__crun_any_pending")
    case $values in
    @file) echo file ;;
    '') echo none ;;
    *) echo "words $values" ;;
    esac
    return
  fi
  if [[ $1 == -* ]]; then
    local globals=''
    [[ -z $__crun_any_path ]] || globals=$(__crun_any_options '')
    echo "words $(__crun_any_options "$__crun_any_path") $globals"
    return
  fi
  local subs positional
  subs=$(__crun_any_subcommands "$__crun_any_path")
  positional=$(__crun_any_positional "$__crun_any_path")
  if [[ -n $subs ]] && ((__crun_any_npos == 0)); then
    echo "words $subs"
  elif [[ -n $positional ]] && ((__crun_any_npos == 0)); then
    echo "words $positional"
  elif __crun_any_images "$__crun_any_path"; then
    echo images
  else
    echo none
  fi
}

# The engine's local images, one name per line; $1 is the crun-any to ask,
# the rest the global options typed. Errors are silenced.
__crun_any_local_images() {
  local bin=$1
  shift
  "$bin" "$@" images --format '{{.repo_tags}}' 2>/dev/null | tr -d '[]"' | tr ',' '\n'
}
)sh";

constexpr std::string_view k_bash_driver = R"sh(
# The words up to the cursor as the shell split them, rejoined where bash
# cut one at a COMP_WORDBREAKS character (':' of an image, '=').
__crun_any_words() {
  __crun_any_line_words=()
  local i w rest gap pos=0 line=${COMP_LINE-}
  for ((i = 0; i <= COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    gap=1
    if [[ -n $line ]]; then
      rest=${line:pos}
      rest=${rest#"${rest%%[![:space:]]*}"}
      ((${#line} - pos == ${#rest})) && gap=0
      pos=$((${#line} - ${#rest} + ${#w}))
    fi
    if ((i > 0 && gap == 0)); then
      __crun_any_line_words[${#__crun_any_line_words[@]} - 1]+=$w
    else
      __crun_any_line_words+=("$w")
    fi
  done
}

# COMPREPLY from the lines of stdin (bash 3.2, macOS's, has no mapfile).
__crun_any_reply() {
  local line
  while IFS= read -r line; do
    COMPREPLY+=("$line")
  done
}

_crun_any() {
  COMPREPLY=()
  __crun_any_words
  local n=${#__crun_any_line_words[@]}
  local cur=${__crun_any_line_words[n - 1]}
  __crun_any_walk "${__crun_any_line_words[@]:1:n-2}"
  local what
  what=$(__crun_any_what "$cur")
  case $what in
  file) __crun_any_reply < <(compgen -f -- "$cur") ;;
  images)
    __crun_any_reply < <(compgen -W "$(__crun_any_local_images "${COMP_WORDS[0]}" \
      "${__crun_any_globals[@]}")" -- "$cur")
    ;;
  words*) __crun_any_reply < <(compgen -W "${what#words }" -- "$cur") ;;
  esac
  # bash replaces only the part of the word after its last ':' or '='
  # (COMP_WORDBREAKS): the candidates lose what comes before.
  local prefix='' part i
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    prefix=${cur%"${cur##*:}"}
  fi
  if [[ $cur == *=* && $COMP_WORDBREAKS == *=* ]]; then
    part=${cur%"${cur##*=}"}
    ((${#part} > ${#prefix})) && prefix=$part
  fi
  if [[ -n $prefix ]]; then
    for i in "${!COMPREPLY[@]}"; do
      COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
    done
  fi
  return 0
}

complete -F _crun_any crun-any
)sh";

constexpr std::string_view k_zsh_driver = R"sh(
_crun-any() {
  setopt localoptions shwordsplit
  local cur=${words[CURRENT]}
  __crun_any_walk "${(@)words[2,CURRENT-1]}"
  local what
  what=$(__crun_any_what "$cur")
  case $what in
  file) _files ;;
  images) compadd -- $(__crun_any_local_images "${words[1]}" "${__crun_any_globals[@]}") ;;
  words*) compadd -- ${what#words } ;;
  esac
}

if [ "$funcstack[1]" = "_crun-any" ]; then
  _crun-any "$@"
else
  compdef _crun-any crun-any
fi
)sh";

} // namespace

std::string bash_completion(const CommandModel& root)
{
  std::string text = "# bash completion for crun-any. Generated by crun-any-docgen from the\n"
                     "# command tree: do not edit.\n\n";
  text += sh_data_functions(root);
  text += "\n";
  text += k_walker;
  text += k_bash_driver;
  return text;
}

std::string zsh_completion(const CommandModel& root)
{
  std::string text = "#compdef crun-any\n# zsh completion for crun-any. Generated by "
                     "crun-any-docgen from the\n# command tree: do not edit.\n\n";
  text += sh_data_functions(root);
  text += "\n";
  text += k_walker;
  text += k_zsh_driver;
  return text;
}

} // namespace crun::docgen
