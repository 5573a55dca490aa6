# zsh -f complete.zsh SCRIPT LINE: the candidates the zsh completion
# function SCRIPT offers for LINE with the cursor at its end, one per line.
# compadd and _files are stand-ins that print what they are given (and what
# zsh would keep: the candidates that start with the word typed).
compdef() { :; }
compadd() {
  while (($#)) && [[ $1 != -- ]]; do shift; done
  shift
  local w
  for w in "$@"; do
    [[ $w == "$PREFIX"* ]] && print -r -- "$w"
  done
}
_files() {
  local f
  for f in "$PREFIX"*(N); do print -r -- "$f"; done
}
source "$1"
words=(${(z)2})
[[ $2 == *' ' ]] && words+=('')
CURRENT=${#words}
PREFIX=${words[CURRENT]}
_crun-any
exit 0
