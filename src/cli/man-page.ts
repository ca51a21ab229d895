// fragtop.1, the man page, generated from the option table like --help, so the two cannot disagree.
import { COMMAND_INFO, COMMANDS, GLOBAL_FLAGS, optionsFor, type Command } from './option-table.js';

/** roff escapes: a backslash, and a leading dot or quote that roff would read as a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

function optionItems(command: Command): string[] {
  return optionsFor(command).flatMap((option) => {
    const names = [option.short, option.long, ...(option.aliases ?? [])]
      .filter((name): name is string => Boolean(name))
      .map((name) => `\\fB${roff(name)}\\fR`)
      .join(', ');
    const fallback = option.defaults?.[command] ?? option.defaults?.all;
    return [
      '.TP',
      `${names}${option.value ? ` \\fI${option.value}\\fR` : ''}`,
      roff(`${option.help}${fallback ? ` (default: ${fallback})` : ''}.`),
    ];
  });
}

export function manPage(version: string, date: string): string {
  const lines = [
    `.TH FRAGTOP 1 "${date}" "fragtop ${version}" "User Commands"`,
    '.SH NAME',
    'fragtop \\- a top\\-like monitor for Linux memory fragmentation',
    '.SH SYNOPSIS',
    ...COMMANDS.flatMap((command) => [
      '.B fragtop',
      roff(COMMAND_INFO[command].usage.replace(/^\[options\]$/, '[options]')),
      '.br',
    ]),
    '.SH DESCRIPTION',
    roff(
      "fragtop shows, per node and zone, the free blocks of every order, whether an order-N allocation passes the kernel's own watermark check now, and if not whether that is fragmentation or lack of memory; the slab caches that hold memory; and the kernel's allocation-failure reports, decoded and explained. It records and replays captures.",
    ),
    '.SH COMMANDS',
  ];
  for (const command of COMMANDS) {
    const info = COMMAND_INFO[command];
    lines.push(
      '.SS',
      `\\fBfragtop ${roff(info.usage)}\\fR`,
      roff(info.summary),
      ...optionItems(command),
      '.PP',
      'Examples:',
      '.RS',
      ...info.examples.flatMap((example) => ['.nf', roff(example), '.fi']),
      '.RE',
      '.PP',
      'Exit status:',
      ...info.exitCodes.flatMap(([code, meaning]) => ['.TP', `\\fB${code}\\fR`, roff(meaning)]),
    );
  }
  lines.push(
    '.SH OPTIONS FOR EVERY COMMAND',
    ...GLOBAL_FLAGS.flatMap((flag) => [
      '.TP',
      `\\fB${roff(flag.short)}\\fR, \\fB${roff(flag.long)}\\fR`,
      roff(flag.help),
    ]),
    '.SH ENVIRONMENT',
    '.TP',
    '\\fBNO_COLOR\\fR',
    roff('No colour; the cells of orders that pass the watermark check are marked with *.'),
    '.TP',
    '\\fBTERM\\fR',
    roff('With TERM=dumb the live screen prints text frames, like top -b.'),
    '.TP',
    '\\fBLC_ALL\\fR, \\fBLC_CTYPE\\fR, \\fBLANG\\fR',
    roff('A locale that is set and not UTF-8 (C, POSIX) gives ASCII bars, sparklines and rules.'),
    '.SH FILES',
    '.TP',
    '\\fI~/.local/state/fragtop/audit.log\\fR',
    roff('One JSON line per compact or drop-caches action (--audit-log).'),
    '.SH SEE ALSO',
    '\\fBtop\\fR(1), \\fBslabtop\\fR(1), \\fBproc\\fR(5)',
  );
  return `${lines.join('\n')}\n`;
}
