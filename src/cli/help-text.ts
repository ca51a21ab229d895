// The --help pages, generated from the option table: the overview and one page per command, at most 80 columns.
import {
  COMMAND_INFO,
  COMMANDS,
  GLOBAL_FLAGS,
  optionsFor,
  type Command,
  type OptionDef,
} from './option-table.js';

export const HELP_WIDTH = 80;
const OPTION_COLUMN = 24;

/** Words wrapped to `width`, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: number, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(firstIndent);
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

/** `-d, --interval D` as help shows it. */
export function optionLabel(option: {
  long: string;
  short?: string;
  value?: string;
  aliases?: readonly string[];
}): string {
  const names = [option.short, option.long].filter(Boolean).join(', ');
  return `${names}${option.value ? ` ${option.value}` : ''}`;
}

function defaultFor(option: OptionDef, command: Command): string | undefined {
  return option.defaults?.[command] ?? option.defaults?.all;
}

function optionLines(option: OptionDef, command: Command): string[] {
  const label = `  ${optionLabel(option)}`;
  const fallback = defaultFor(option, command);
  const aliases = option.aliases?.length ? ` (also ${option.aliases.join(', ')})` : '';
  const help = `${option.help}${aliases}${fallback ? ` (default: ${fallback})` : ''}`;
  if (label.length + 2 <= OPTION_COLUMN) {
    const [first = '', ...rest] = wrap(help, HELP_WIDTH, OPTION_COLUMN);
    return [label.padEnd(OPTION_COLUMN) + first.trimStart(), ...rest];
  }
  return [label, ...wrap(help, HELP_WIDTH, OPTION_COLUMN)];
}

const usageLine = (command: Command) =>
  `fragtop ${COMMAND_INFO[command].usage}`.replace('fragtop [', 'fragtop [');

function commandPage(command: Command): string {
  const info = COMMAND_INFO[command];
  const lines = [
    ...wrap(`usage: fragtop ${info.usage}`, HELP_WIDTH, 8, 0),
    '',
    ...wrap(info.summary, HELP_WIDTH, 0),
    '',
    'options:',
    ...optionsFor(command).flatMap((option) => optionLines(option, command)),
    ...GLOBAL_FLAGS.map((flag) => `  ${optionLabel(flag)}`.padEnd(OPTION_COLUMN) + flag.help),
    '',
    'examples:',
    ...info.examples.map((example) => `  ${example}`),
    '',
    'exit codes:',
    ...info.exitCodes.flatMap(([code, meaning]) =>
      wrap(meaning, HELP_WIDTH, 6).map((line, i) => (i === 0 ? `  ${code}   ${line.trimStart()}` : line)),
    ),
  ];
  if (command === 'live')
    lines.push('', 'In the screen press ? for the keys; c compacts and d drops caches after asking.');
  return `${lines.join('\n')}\n`;
}

function overview(): string {
  const commands = COMMANDS.filter((command) => command !== 'live').map((command) => {
    const first = COMMAND_INFO[command].summary.split(/(?<=\.)\s/)[0] ?? '';
    const [head = '', ...rest] = wrap(first, HELP_WIDTH, 12);
    return [`  ${command.padEnd(10)}${head.trimStart()}`, ...rest];
  });
  return [
    'fragtop: a top-like monitor for Linux memory fragmentation',
    '',
    `usage: ${usageLine('live')}`,
    '       fragtop COMMAND [options]',
    '',
    'commands:',
    ...commands.flat(),
    '',
    'fragtop COMMAND --help shows its options, defaults, examples and exit codes.',
    '',
    commandPage('live').replace(/^usage:.*\n\n/, ''),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

export function helpText(command: Command | null): string {
  return command === null ? overview() : commandPage(command);
}
