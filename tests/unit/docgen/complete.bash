# bash complete.bash SCRIPT LINE: the candidates the bash completion SCRIPT
# offers for LINE with the cursor at its end, one per line. The words are
# split as readline splits them (at blanks, and ':' and '=' of
# COMP_WORDBREAKS as words of their own).
# shellcheck source=/dev/null
source "$1"
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
COMP_WORDS=()
word=''
for ((i = 0; i < ${#COMP_LINE}; i++)); do
  c=${COMP_LINE:i:1}
  case $c in
  ' ')
    [[ -z $word ]] || COMP_WORDS+=("$word")
    word=''
    ;;
  : | =)
    [[ -z $word ]] || COMP_WORDS+=("$word")
    COMP_WORDS+=("$c")
    word=''
    ;;
  *) word+=$c ;;
  esac
done
if [[ -n $word || $COMP_LINE == *' ' ]]; then
  COMP_WORDS+=("$word")
fi
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_crun_any crun-any
((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
