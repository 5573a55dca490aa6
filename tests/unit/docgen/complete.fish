# fish complete.fish SCRIPT LINE: the candidates the fish completions SCRIPT
# offer for LINE with the cursor at its end, one per line (without their
# descriptions).
source $argv[1]
complete -C $argv[2] | string replace -r '\t.*' ''
exit 0
