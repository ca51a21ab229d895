// Command-line parsing from the option table: pure, so every mistake a user can make is tested and gets one line.
import {
  COMMANDS,
  defaultOptions,
  GLOBAL_FLAGS,
  OPTIONS,
  optionsFor,
  spellings,
  type Command,
  type OptionDef,
  type Options,
} from './option-table.js';

export { COMMANDS, defaultOptions, type Command, type CommonOptions, type Options } from './option-table.js';

export type ParsedArgs =
  | { kind: 'run'; command: Command; file: string | null; options: Options }
  | { kind: 'help'; command: Command | null }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

function findOption(list: readonly OptionDef[], name: string): OptionDef | undefined {
  return list.find((option) => spellings(option).includes(name));
}

const shown = (command: Command) => (command === 'live' ? 'fragtop' : `fragtop ${command}`);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  let command: Command = 'live';
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) {
    if (first === 'help') {
      const topic = args[1];
      return {
        kind: 'help',
        command: (COMMANDS as readonly string[]).includes(topic ?? '') ? (topic as Command) : null,
      };
    }
    if (!(COMMANDS as readonly string[]).includes(first) || first === 'live')
      return { kind: 'error', message: `unknown command "${first}" (try fragtop --help)` };
    command = first as Command;
    args.shift();
  }
  // --help and --version win wherever they are, even after a mistake (guard --order x --help).
  for (const arg of args) {
    if (arg === '--') break;
    const global = GLOBAL_FLAGS.find((flag) => arg === flag.long || arg === flag.short);
    if (global?.long === '--help') return { kind: 'help', command: command === 'live' ? null : command };
    if (global?.long === '--version') return { kind: 'version' };
  }
  const specs = optionsFor(command);
  const options = defaultOptions();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    // Short options take their value attached as well, like top: -d2, -n3.
    const attached = !arg.startsWith('--') && arg.length > 2 ? arg.slice(2) : null;
    const name = eq > 0 ? arg.slice(0, eq) : attached !== null ? arg.slice(0, 2) : arg;
    const spec = findOption(specs, name);
    if (!spec) {
      const elsewhere = findOption(OPTIONS, name);
      return {
        kind: 'error',
        message: elsewhere
          ? `${name} belongs to "fragtop ${elsewhere.commands.find((c) => c !== 'live') ?? 'live'}", not "${shown(command)}"`
          : `unknown option ${name} (try ${shown(command)} --help)`,
      };
    }
    if (spec.value === undefined) {
      // Short flags bundle like top's: -bn3 is -b -n3.
      const bundled = attached !== null && findOption(OPTIONS, `-${attached[0]}`) !== undefined;
      if (eq > 0 || (attached !== null && !bundled))
        return { kind: 'error', message: `${name} takes no value` };
      spec.set(options, '');
      if (bundled) args.splice(i + 1, 0, `-${attached}`);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : (attached ?? args[++i]);
    if (value === undefined) return { kind: 'error', message: `${name} expects a value` };
    const error = spec.set(options, value);
    if (error) return { kind: 'error', message: error };
  }

  const needsFile = command === 'replay';
  if (needsFile && positional.length !== 1)
    return { kind: 'error', message: 'fragtop replay expects one recording FILE' };
  if (!needsFile && positional.length > 0)
    return {
      kind: 'error',
      message: `unexpected argument "${positional[0]}" (try ${shown(command)} --help)`,
    };
  if (command === 'check' && options.order === null)
    return { kind: 'error', message: 'fragtop check needs --order N' };
  if (command === 'guard' && (options.order === null || options.minBlocks === null))
    return { kind: 'error', message: 'fragtop guard needs --order N and --min-blocks K' };
  if (command === 'metrics' && !options.listen && !options.textfile)
    return { kind: 'error', message: 'fragtop metrics needs --listen ADDR or --textfile PATH' };
  if (options.at !== null && options.replay === null)
    return { kind: 'error', message: '--at needs --replay FILE' };
  return { kind: 'run', command, file: needsFile ? positional[0]! : null, options };
}
