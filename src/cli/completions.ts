// Shell completions for bash, zsh and fish, generated from the option table like --help and the man page.
import {
  COMMANDS,
  GLOBAL_FLAGS,
  OPTIONS,
  optionsFor,
  spellings,
  type Command,
  type OptionDef,
} from './option-table.js';

const SUBCOMMANDS = COMMANDS.filter((command) => command !== 'live');

function words(command: Command): string[] {
  return [
    ...optionsFor(command).flatMap(spellings),
    ...GLOBAL_FLAGS.flatMap((flag) => [flag.long, flag.short]),
  ];
}

/** Options whose value is a path, for each shell's file completion. */
const pathOptions = (list: readonly OptionDef[]) =>
  list.filter((option) => option.kind === 'file' || option.kind === 'dir').flatMap(spellings);

export function bashCompletion(): string {
  const cases = COMMANDS.map(
    (command) => `    ${command === 'live' ? '*' : command}) opts="${words(command).join(' ')}" ;;`,
  );
  const choices = OPTIONS.filter((option) => option.choices).map(
    (option) =>
      `    ${spellings(option).join('|')}) COMPREPLY=($(compgen -W "${option.choices!.join(' ')}" -- "$cur")); return ;;`,
  );
  return `# bash completion for fragtop; generated from its option table.
_fragtop() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=live
  if [[ \${#COMP_WORDS[@]} -gt 2 ]]; then cmd="\${COMP_WORDS[1]}"; fi
  case "$prev" in
    ${pathOptions(OPTIONS).join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
${choices.join('\n')}
  esac
  if [[ $COMP_CWORD -eq 1 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "${SUBCOMMANDS.join(' ')}" -- "$cur"))
    return
  fi
  case "$cmd" in
${cases.filter((line) => !line.startsWith('    *')).join('\n')}
${cases.find((line) => line.startsWith('    *'))}
  esac
  if [[ "$cmd" == replay && "$cur" != -* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _fragtop fragtop
`;
}

function zshSpec(option: OptionDef): string[] {
  const value = option.value
    ? option.choices
      ? `:${option.value}:(${option.choices.join(' ')})`
      : option.kind === 'file'
        ? `:${option.value}:_files`
        : option.kind === 'dir'
          ? `:${option.value}:_files -/`
          : `:${option.value}:`
    : '';
  const help = option.help.replace(/[[\]:']/g, ' ');
  return spellings(option).map((name) => `'${name}[${help}]${value}'`);
}

export function zshCompletion(): string {
  const functions = COMMANDS.map(
    (command) => `_fragtop_${command}() {
  _arguments -s \\
    ${[...optionsFor(command).flatMap(zshSpec), "'(-h --help)'{-h,--help}'[help]'", "'(-V --version)'{-V,--version}'[version]'", ...(command === 'replay' ? ["'1:recording:_files'"] : [])].join(' \\\n    ')}
}`,
  );
  return `#compdef fragtop
# zsh completion for fragtop; generated from its option table.
${functions.join('\n\n')}

_fragtop() {
  if (( CURRENT == 2 )) && [[ \${words[2]} != -* ]]; then
    compadd ${SUBCOMMANDS.join(' ')}
    return
  fi
  local cmd=live
  case \${words[2]} in
    ${SUBCOMMANDS.join('|')}) cmd=\${words[2]}; shift words; (( CURRENT-- )) ;;
  esac
  _fragtop_$cmd
}

_fragtop "$@"
`;
}

export function fishCompletion(): string {
  const lines = [
    '# fish completion for fragtop; generated from its option table.',
    'complete -c fragtop -f',
    `complete -c fragtop -n __fish_use_subcommand -a '${SUBCOMMANDS.join(' ')}'`,
  ];
  for (const option of OPTIONS) {
    const condition =
      option.commands.length === COMMANDS.length
        ? ''
        : ` -n '${option.commands.includes('live') ? `not __fish_seen_subcommand_from ${SUBCOMMANDS.filter((c) => !option.commands.includes(c)).join(' ')}` : `__fish_seen_subcommand_from ${option.commands.join(' ')}`}'`;
    const names = [
      `-l ${option.long.slice(2)}`,
      ...(option.short ? [`-s ${option.short.slice(1)}`] : []),
      ...(option.aliases ?? []).map((alias) => `-l ${alias.slice(2)}`),
    ].join(' ');
    const value = option.value
      ? option.choices
        ? ` -x -a '${option.choices.join(' ')}'`
        : option.kind === 'file' || option.kind === 'dir'
          ? ' -r -F'
          : ' -x'
      : '';
    lines.push(`complete -c fragtop${condition} ${names}${value} -d '${option.help.replace(/'/g, "\\'")}'`);
  }
  lines.push(
    "complete -c fragtop -s h -l help -d 'help'",
    "complete -c fragtop -s V -l version -d 'version'",
  );
  return `${lines.join('\n')}\n`;
}
