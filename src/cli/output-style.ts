// How to write for this terminal: the screen or batch text, colour, UTF-8 or ASCII; decided once, from the
// environment and the options, as top and htop do.
import type { Options } from './option-table.js';

export interface OutputStyle {
  /** Text frames on stdout instead of the screen. */
  batch: boolean;
  /** Why batch was chosen without -b, for a note on stderr; null when asked for or not batch. */
  batchBecause: string | null;
  color: boolean;
  ascii: boolean;
}

/** A locale that is set and is not UTF-8 (C, POSIX, latin1): the terminal may not show UTF-8. */
export function localeIsAscii(env: NodeJS.ProcessEnv): boolean {
  const locale = [env['LC_ALL'], env['LC_CTYPE'], env['LANG']].find(
    (value) => value !== undefined && value !== '',
  );
  return locale !== undefined && !/utf-?8/i.test(locale);
}

export function outputStyle(
  env: NodeJS.ProcessEnv,
  options: Pick<Options, 'batch' | 'noColor' | 'ascii'>,
  terminal: { stdin: boolean; stdout: boolean },
): OutputStyle {
  const dumb = env['TERM'] === 'dumb';
  const batchBecause = options.batch
    ? null
    : !terminal.stdout
      ? 'stdout is not a terminal'
      : dumb
        ? 'TERM=dumb has no cursor addressing'
        : !terminal.stdin
          ? 'stdin is not a terminal, so no keys can be read'
          : null;
  return {
    batch: options.batch || batchBecause !== null,
    batchBecause,
    color: !options.noColor && (env['NO_COLOR'] ?? '') === '' && !dumb,
    ascii: options.ascii || localeIsAscii(env),
  };
}
