# bash completion for provsim (installed as
# share/bash-completion/completions/provsim by cmake --install).
#
# Every word comes from the program itself, so completion cannot go
# stale: the commands, metric names and preset names from
# `provsim --complete commands|metrics|presets`, each command's options
# from its --help, and --set/--vary key paths from the scenario loader's
# own tables (`provsim validate --list-keys` on the scenario given, else
# the built-in default).

_provsim_words() { # the words of `provsim ARGS...`, one a line
  "${COMP_WORDS[0]}" "$@" 2>/dev/null
}

_provsim() {
  local cur prev cmd i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  cmd=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [ -z "$cmd" ]; then
    COMPREPLY=($(compgen -W "$(_provsim_words --complete commands) --help --version" -- "$cur"))
    return
  fi
  case $prev in
    --preset)
      COMPREPLY=($(compgen -W "$(_provsim_words --complete presets)" -- "$cur"))
      return ;;
    --metric|--metrics|--goal|--by|--subject-to)
      COMPREPLY=($(compgen -W "$(_provsim_words --complete metrics)" -- "$cur"))
      return ;;
    --format)
      COMPREPLY=($(compgen -W "text json" -- "$cur"))
      return ;;
    --set|--vary|--choose)
      local scn=
      for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
          *.json) scn=${COMP_WORDS[i]}; break ;;
        esac
      done
      local keys
      if [ -n "$scn" ] && [ -r "$scn" ]; then
        keys=$(_provsim_words validate --list-keys "$scn")
      else
        keys=$(_provsim_words init - | "${COMP_WORDS[0]}" validate --list-keys - 2>/dev/null)
      fi
      compopt -o nospace 2>/dev/null
      # compgen expands its word list: leave out "$schema" (nothing to --set)
      local words
      words=$(printf '%s\n' "$keys" | grep -v '^\$' | sed 's/\[\]/[0]/g; s/$/=/' | sort -u)
      COMPREPLY=($(compgen -W "$words" -- "$cur"))
      return ;;
    --out|--merge)
      COMPREPLY=($(compgen -d -- "$cur"))
      return ;;
    --tasks)
      COMPREPLY=($(compgen -W "slurm" -- "$cur"))
      return ;;
    --series|--trace)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --reps|--seed|--jobs|--precision|--max-memory|--delta|--alpha|--n0|--max-reps|--done-by|--task|--emit-slurm|--cpus-per-task|--time|--partition)
      return ;;
    --*)
      # an option whose help line shows a METRIC value takes metric names,
      # whatever it is called
      if [[ $prev != *=* ]] && _provsim_words "$cmd" --help | grep -qE -- "^ *$prev(=| )[A-Z,]*METRIC"; then
        COMPREPLY=($(compgen -W "$(_provsim_words --complete metrics)" -- "$cur"))
        return
      fi ;;
  esac
  if [[ $cur == -* ]]; then
    local opts
    opts=$(_provsim_words "$cmd" --help | grep -oE -- '(^|[ [])--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u)
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  case $cmd in
    plot|report) COMPREPLY=($(compgen -d -- "$cur")) ;;
    presets) ;;
    *) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
  esac
}
complete -F _provsim provsim
