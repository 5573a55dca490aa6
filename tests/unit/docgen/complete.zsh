# zsh -f complete.zsh SCRIPT LINE: the candidates the zsh completion
# function SCRIPT offers for LINE with the cursor at its end, one per line.
# An interactive zsh in a pseudo-terminal (zpty) with compinit and SCRIPT's
# directory on $fpath completes LINE through the real completion system;
# compadd records the matches zsh keeps (-O) before adding them.
zmodload zsh/zpty || exit 1
out=$(mktemp)
trap 'rm -f "$out"; zpty -d z 2>/dev/null' EXIT
zpty z zsh -f -i || exit 1
zpty -w z "PROMPT=''; fpath=(${(q)1:h} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\"; }"
# TAB completes, then writes a marker: the answer is complete.
zpty -w z "_tab() { zle complete-word; print -r -- '<<done>>' >>${(q)out}; }; zle -N _tab; bindkey '^I' _tab"
zpty -w -n z "$2"$'\t'
for ((i = 0; i < 200; i++)); do
  [[ $(<$out) == *'<<done>>'* ]] && break
  sleep 0.05
done
[[ $(<$out) == *'<<done>>'* ]] || { print -u2 "complete.zsh: no answer from zsh"; exit 1; }
grep -v '^<<done>>$' "$out"
exit 0
