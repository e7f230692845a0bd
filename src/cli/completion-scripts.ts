// The shell functions `ktx completion bash|zsh` prints. Both hand the words up to the cursor to
// `ktx __complete -- WORDS…`, which prints one candidate per line and then a directive line: `:0`
// lets the shell fall back to file names, `:4` does not.

/** Directive bit: do not fall back to file-name completion. */
export const NO_FILE_COMPLETION = 4;

const bash = `# bash completion for ktx
# Load it in the current shell with: source <(ktx completion bash)
_ktx_completions() {
    local line="\${COMP_LINE:0:COMP_POINT}"
    local -a words lines
    read -r -a words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    local last="\${words[\${#words[@]}-1]}"
    # bash splits the current word at = and :, and replaces only the part after them.
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local prefix="\${last%"$cur"}"
    mapfile -t lines < <("\${words[0]}" __complete -- "\${words[@]:1}" 2>/dev/null)
    (( \${#lines[@]} )) || return 0
    local directive="\${lines[\${#lines[@]}-1]#:}"
    unset 'lines[\${#lines[@]}-1]'
    COMPREPLY=()
    local c
    for c in "\${lines[@]}"; do
        [[ "$c" == "$last"* ]] && COMPREPLY+=("\${c#"$prefix"}")
    done
    if (( \${directive:-0} & ${NO_FILE_COMPLETION} )); then
        compopt +o default 2>/dev/null
    fi
    return 0
}
complete -o default -F _ktx_completions ktx
`;

const zsh = `#compdef ktx
# zsh completion for ktx
# Load it in the current shell with: source <(ktx completion zsh)
_ktx() {
    local -a lines
    lines=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    local directive=\${lines[-1]#:}
    lines=("\${(@)lines[1,-2]}")
    if (( \${#lines} )); then
        compadd -- "\${lines[@]}"
    elif (( ! (\${directive:-0} & ${NO_FILE_COMPLETION}) )); then
        _files
    fi
}
if [ "$funcstack[1]" = "_ktx" ]; then
    _ktx "$@"
else
    compdef _ktx ktx
fi
`;

export const COMPLETION_SCRIPTS: Readonly<Record<string, string>> = { bash, zsh };
