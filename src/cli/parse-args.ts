// Command-line parsing: pure, so every mistake a user can make is tested and gets one clear line.
import { parseDuration } from './duration.js';
import { isLabelName, selectorMatchers } from '../analyze/fleet-queries.js';
import { checkPrometheusUrl } from '../sources/prometheus-source.js';

export const COMMANDS = [
  'live',
  'replay',
  'record',
  'snapshot',
  'check',
  'guard',
  'metrics',
  'demo',
  'fleet',
] as const;
export type Command = (typeof COMMANDS)[number];

export interface CommonOptions {
  procRoot: string;
  sysRoot: string;
  kmsg: string | null;
  intervalMs: number;
  /** Whether --interval was given; modes with another default (guard) use theirs otherwise. */
  intervalGiven: boolean;
  order: number | null;
  pagetypeinfoIntervalMs: number | null;
  readOnly: boolean;
}

export interface Options extends CommonOptions {
  json: boolean;
  out: string | null;
  durationMs: number | null;
  minBlocks: number | null;
  listen: string | null;
  textfile: string | null;
  replay: string | null;
  at: string | null;
  action: string | null;
  cooldownMs: number | null;
  dryRun: boolean;
  auditLog: string | null;
  prometheus: string | null;
  selector: string;
  hostLabel: string;
  once: boolean;
}

export type ParsedArgs =
  | { kind: 'run'; command: Command; file: string | null; options: Options }
  | { kind: 'help'; command: Command | null }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

type OptionSpec =
  | { name: string; type: 'flag'; set: (o: Options) => void }
  | { name: string; type: 'value'; set: (o: Options, value: string) => string | null };

function durationOption(name: string, set: (o: Options, ms: number) => void, allowZero = false): OptionSpec {
  return {
    name,
    type: 'value',
    set: (o, value) => {
      const ms = parseDuration(value);
      if (ms === null || (!allowZero && ms <= 0))
        return `${name} expects a duration like 500ms, 2s or 1m, got "${value}"`;
      set(o, ms);
      return null;
    },
  };
}

function integerOption(
  name: string,
  min: number,
  max: number,
  set: (o: Options, n: number) => void,
): OptionSpec {
  return {
    name,
    type: 'value',
    set: (o, value) => {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max)
        return `${name} expects a whole number from ${min} to ${max}, got "${value}"`;
      set(o, n);
      return null;
    },
  };
}

function stringOption(name: string, set: (o: Options, value: string) => void): OptionSpec {
  return {
    name,
    type: 'value',
    set: (o, value) => {
      if (value === '') return `${name} expects a value`;
      set(o, value);
      return null;
    },
  };
}

const COMMON: OptionSpec[] = [
  stringOption('--proc-root', (o, v) => (o.procRoot = v)),
  stringOption('--sys-root', (o, v) => (o.sysRoot = v)),
  stringOption('--kmsg', (o, v) => (o.kmsg = v)),
  durationOption('--interval', (o, ms) => {
    o.intervalMs = ms;
    o.intervalGiven = true;
  }),
  integerOption('--order', 0, 20, (o, n) => (o.order = n)),
  durationOption('--pagetypeinfo-interval', (o, ms) => (o.pagetypeinfoIntervalMs = ms)),
  { name: '--read-only', type: 'flag', set: (o) => (o.readOnly = true) },
];

const BY_COMMAND: Record<Command, OptionSpec[]> = {
  live: [stringOption('--audit-log', (o, v) => (o.auditLog = v))],
  replay: [],
  record: [
    stringOption('--out', (o, v) => (o.out = v)),
    durationOption('--duration', (o, ms) => (o.durationMs = ms)),
  ],
  snapshot: [
    { name: '--json', type: 'flag', set: (o) => (o.json = true) },
    stringOption('--replay', (o, v) => (o.replay = v)),
    stringOption('--at', (o, v) => (o.at = v)),
  ],
  check: [integerOption('--min-blocks', 0, Number.MAX_SAFE_INTEGER, (o, n) => (o.minBlocks = n))],
  guard: [
    integerOption('--min-blocks', 0, Number.MAX_SAFE_INTEGER, (o, n) => (o.minBlocks = n)),
    stringOption('--action', (o, v) => (o.action = v)),
    durationOption('--cooldown', (o, ms) => (o.cooldownMs = ms), true),
    { name: '--dry-run', type: 'flag', set: (o) => (o.dryRun = true) },
    stringOption('--audit-log', (o, v) => (o.auditLog = v)),
  ],
  metrics: [
    stringOption('--listen', (o, v) => (o.listen = v)),
    stringOption('--textfile', (o, v) => (o.textfile = v)),
  ],
  demo: [],
  fleet: [
    stringOption('--prometheus', (o, v) => (o.prometheus = v)),
    { name: '--selector', type: 'value', set: (o, v) => ((o.selector = v), null) },
    stringOption('--host-label', (o, v) => (o.hostLabel = v)),
    { name: '--once', type: 'flag', set: (o) => (o.once = true) },
    { name: '--json', type: 'flag', set: (o) => (o.json = true) },
  ],
};

export function defaultOptions(): Options {
  return {
    procRoot: '/proc',
    sysRoot: '/sys',
    kmsg: null,
    intervalMs: 1000,
    intervalGiven: false,
    order: null,
    pagetypeinfoIntervalMs: null,
    readOnly: false,
    json: false,
    out: null,
    durationMs: null,
    minBlocks: null,
    listen: null,
    textfile: null,
    replay: null,
    at: null,
    action: null,
    cooldownMs: null,
    dryRun: false,
    auditLog: null,
    prometheus: null,
    selector: '',
    hostLabel: 'instance',
    once: false,
  };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  let command: Command = 'live';
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) {
    if (first === 'help') return { kind: 'help', command: null };
    if (!(COMMANDS as readonly string[]).includes(first) || first === 'live')
      return { kind: 'error', message: `unknown command "${first}" (try fragtop --help)` };
    command = first as Command;
    args.shift();
  }
  const specs = [...COMMON, ...BY_COMMAND[command]];
  const options = defaultOptions();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h')
      return { kind: 'help', command: command === 'live' ? null : command };
    if (arg === '--version' || arg === '-V') return { kind: 'version' };
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const elsewhere = Object.entries(BY_COMMAND).find(([, list]) => list.some((s) => s.name === name));
      return {
        kind: 'error',
        message: elsewhere
          ? `${name} belongs to "fragtop ${elsewhere[0]}", not "${command === 'live' ? 'fragtop' : `fragtop ${command}`}"`
          : `unknown option ${name} (try fragtop --help)`,
      };
    }
    if (spec.type === 'flag') {
      if (eq > 0) return { kind: 'error', message: `${name} takes no value` };
      spec.set(options);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) return { kind: 'error', message: `${name} expects a value` };
    const error = spec.set(options, value);
    if (error) return { kind: 'error', message: error };
  }

  const needsFile = command === 'replay';
  if (needsFile && positional.length !== 1)
    return { kind: 'error', message: 'fragtop replay expects one recording FILE' };
  if (!needsFile && positional.length > 0)
    return { kind: 'error', message: `unexpected argument "${positional[0]}" (try fragtop --help)` };
  if (command === 'check' && options.order === null)
    return { kind: 'error', message: 'fragtop check needs --order N' };
  if (command === 'guard' && (options.order === null || options.minBlocks === null))
    return { kind: 'error', message: 'fragtop guard needs --order N and --min-blocks K' };
  if (command === 'metrics' && !options.listen && !options.textfile)
    return { kind: 'error', message: 'fragtop metrics needs --listen ADDR or --textfile PATH' };
  if (command === 'fleet') {
    const error = fleetUsageError(options);
    if (error) return { kind: 'error', message: error };
  }
  if (options.at !== null && options.replay === null)
    return { kind: 'error', message: '--at needs --replay FILE' };
  return { kind: 'run', command, file: needsFile ? positional[0]! : null, options };
}

function fleetUsageError(options: Options): string | null {
  if (options.prometheus === null) return 'fragtop fleet needs --prometheus URL';
  const url = checkPrometheusUrl(options.prometheus);
  if (url) return url;
  if (selectorMatchers(options.selector) === null)
    return `--selector expects a {label="value",…} selector, got "${options.selector.slice(0, 100)}"`;
  if (!isLabelName(options.hostLabel))
    return `--host-label expects a label name, got "${options.hostLabel.slice(0, 100)}"`;
  if (options.json && !options.once) return '--json needs --once (the screen is not JSON)';
  return null;
}
