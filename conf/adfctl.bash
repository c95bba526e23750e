# bash completion for adfctl: the words come from adfctl's own help, which
# comes from the command table adfd also reads.
_adfctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} words=""
	case $COMP_CWORD in
	1) words=$(adfctl help 2>/dev/null | awk '/^  [a-z]/ {print $1}' | sort -u) ;;
	2) words=$(adfctl help "${COMP_WORDS[1]}" 2>/dev/null |
		awk -v noun="${COMP_WORDS[1]}" '$1 == noun {print $2}') ;;
	*) words=$(adfctl "${COMP_WORDS[1]}" "${COMP_WORDS[2]}" --help 2>/dev/null |
		grep -o -- '--[a-z-]*' | sort -u) ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _adfctl adfctl
