// The one table of commands and options: the parser, every --help page, the man page and the shell completions
// are generated from it, so they cannot drift apart.
import { parseDuration } from './duration.js';

export const COMMANDS = [
  'live',
  'replay',
  'record',
  'snapshot',
  'check',
  'guard',
  'metrics',
  'demo',
  'map',
  'events',
] as const;
export type Command = (typeof COMMANDS)[number];

export type SlabSortName = 'size' | 'objects' | 'active' | 'objsize' | 'pages' | 'use' | 'name';

export interface CommonOptions {
  procRoot: string;
  sysRoot: string;
  kmsg: string | null;
  intervalMs: number;
  /** Whether --interval (or -d) was given; modes with another default (guard) use theirs otherwise. */
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
  /** -b: text frames one after another on stdout, like top -b. */
  batch: boolean;
  /** -n: stop after this many frames. */
  frames: number | null;
  slabSort: SlabSortName | null;
  /** --no-color; NO_COLOR in the environment does the same. */
  noColor: boolean;
  /** --ascii: ASCII bars and sparklines, also chosen for a non-UTF-8 locale. */
  ascii: boolean;
  /** snapshot --map: also read the pageblock map (/proc/kpageflags). */
  map: boolean;
}

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
    batch: false,
    frames: null,
    slabSort: null,
    noColor: false,
    ascii: false,
    map: false,
  };
}

/** What a value looks like, for help, the man page and completions (which complete files for `file`). */
export type ValueKind = 'file' | 'dir' | 'duration' | 'number' | 'word';

export interface OptionDef {
  long: string;
  /** A one-letter spelling that top/slabtop/htop users know, e.g. -d. */
  short?: string;
  /** Other spellings, e.g. htop's --readonly. */
  aliases?: string[];
  /** Shown after the option in help (`D`, `N`, `FILE`); absent for a flag. */
  value?: string;
  kind?: ValueKind;
  /** Words a value may take, completed by the shells. */
  choices?: string[];
  help: string;
  /** The default, per command where it differs; shown as "(default: …)". */
  defaults?: Partial<Record<Command | 'all', string>>;
  commands: readonly Command[];
  /** Stores the value; returns an error message, or null. */
  set(options: Options, value: string): string | null;
}

const ALL: readonly Command[] = COMMANDS;
const SCREENS: readonly Command[] = ['live', 'replay', 'demo'];
/** Modes that read this machine's (or --proc-root's) files. */
const READERS: readonly Command[] = ['live', 'record', 'snapshot', 'check', 'guard', 'metrics'];

/** A duration's allowed range in ms, and how the usage error spells it. */
interface DurationRange {
  minMs: number;
  maxMs: number;
  text: string;
}

const DAY_MS = 86_400_000;
/**
 * Sampling periods: below 100 ms fragtop would spin on /proc (and pagetypeinfo takes the zone lock); above a day
 * it is no monitor, and Node's timers hold at most 2^31-1 ms (24.8 days) before firing every millisecond.
 */
const PERIOD: DurationRange = { minMs: 100, maxMs: DAY_MS, text: '100ms to 1d' };
const RECORD_DURATION: DurationRange = { minMs: 100, maxMs: 365 * DAY_MS, text: '100ms to 365d' };
const COOLDOWN: DurationRange = { minMs: 0, maxMs: 30 * DAY_MS, text: '0s to 30d' };

function duration(name: string, range: DurationRange) {
  return (value: string): number | string => {
    const ms = parseDuration(value);
    if (ms === null || (range.minMs > 0 && ms <= 0))
      return `${name} expects a duration like 500ms, 2s or 1m, got "${value}"`;
    if (ms < range.minMs || ms > range.maxMs)
      return `${name} expects a duration from ${range.text}, got "${value}"`;
    return ms;
  };
}

function integer(name: string, min: number, max: number) {
  return (value: string): number | string => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      return `${name} expects a whole number from ${min} to ${max}, got "${value}"`;
    return n;
  };
}

function text(name: string, value: string): string | null {
  return value === '' ? `${name} expects a value` : null;
}

/** slabtop's -s letters (where they mean the same) and fragtop's own names. */
export const SLAB_SORT_KEYS: Record<string, SlabSortName> = {
  c: 'size',
  size: 'size',
  o: 'objects',
  objects: 'objects',
  a: 'active',
  active: 'active',
  s: 'objsize',
  objsize: 'objsize',
  p: 'pages',
  pages: 'pages',
  u: 'use',
  use: 'use',
  n: 'name',
  name: 'name',
};

export const OPTIONS: readonly OptionDef[] = [
  {
    long: '--proc-root',
    value: 'DIR',
    kind: 'dir',
    help: "read DIR instead of /proc (a debug pod's /host/proc, or a fixture)",
    defaults: { all: '/proc' },
    commands: ALL,
    set: (o, v) => text('--proc-root', v) ?? ((o.procRoot = v), null),
  },
  {
    long: '--sys-root',
    value: 'DIR',
    kind: 'dir',
    help: 'read DIR instead of /sys',
    defaults: { all: '/sys' },
    commands: ALL,
    set: (o, v) => text('--sys-root', v) ?? ((o.sysRoot = v), null),
  },
  {
    long: '--kmsg',
    value: 'FILE',
    kind: 'file',
    help: "kernel log text from FILE ('-' for stdin) instead of /dev/kmsg",
    defaults: { all: '/dev/kmsg, else journalctl -k' },
    commands: ALL,
    set: (o, v) => text('--kmsg', v) ?? ((o.kmsg = v), null),
  },
  {
    long: '--interval',
    short: '-d',
    value: 'D',
    kind: 'duration',
    help: 'refresh period, 100ms to 1d: 500ms, 2s, 1m; -d takes seconds like top (-d 0.5)',
    defaults: { all: '1s', guard: '5s', snapshot: 'one sample; with D, two samples D apart' },
    commands: ALL,
    set: (o, v) => {
      const ms = duration('--interval', PERIOD)(v);
      if (typeof ms === 'string') return ms;
      o.intervalMs = ms;
      o.intervalGiven = true;
      return null;
    },
  },
  {
    long: '--order',
    value: 'N',
    kind: 'number',
    help: 'the allocation order to watch',
    defaults: { all: 'highest order of a recent failure, else 3', check: 'required', guard: 'required' },
    commands: ALL,
    set: (o, v) => {
      const n = integer('--order', 0, 20)(v);
      if (typeof n === 'string') return n;
      o.order = n;
      return null;
    },
  },
  {
    long: '--pagetypeinfo-interval',
    value: 'D',
    kind: 'duration',
    help: 'how often to read pagetypeinfo (the kernel prints it with interrupts off)',
    defaults: { all: 'every tick, 10s after a read over 20 ms' },
    commands: ALL,
    set: (o, v) => {
      const ms = duration('--pagetypeinfo-interval', PERIOD)(v);
      if (typeof ms === 'string') return ms;
      o.pagetypeinfoIntervalMs = ms;
      return null;
    },
  },
  {
    long: '--read-only',
    aliases: ['--readonly'],
    help: 'no compact or drop-caches keys',
    commands: ALL,
    set: (o) => ((o.readOnly = true), null),
  },
  {
    long: '--batch',
    short: '-b',
    help: 'batch: one text frame after another on stdout, like top -b (NDJSON with --json)',
    defaults: { live: 'on when stdout is not a terminal or TERM=dumb' },
    commands: ['live'],
    set: (o) => ((o.batch = true), null),
  },
  {
    long: '--iterations',
    short: '-n',
    value: 'N',
    kind: 'number',
    help: 'stop after N frames',
    defaults: { live: 'no limit' },
    commands: ['live'],
    set: (o, v) => {
      const n = integer('-n', 1, 1_000_000_000)(v);
      if (typeof n === 'string') return n;
      o.frames = n;
      return null;
    },
  },
  {
    long: '--sort',
    short: '-s',
    value: 'KEY',
    kind: 'word',
    choices: [
      'c',
      'o',
      'a',
      's',
      'p',
      'u',
      'n',
      'size',
      'objects',
      'active',
      'objsize',
      'pages',
      'use',
      'name',
    ],
    help: "slab sort, slabtop's letters: c size, o objects, a active, s object size, p pages per slab, u use, n name",
    defaults: {
      live: 'c (cache size)',
      replay: 'c (cache size)',
      demo: 'c (cache size)',
      snapshot: 'c (cache size)',
    },
    commands: ['live', 'replay', 'demo', 'snapshot'],
    set: (o, v) => {
      const key = SLAB_SORT_KEYS[v];
      if (!key) return `-s expects one of c o a s p u n (slabtop's letters) or a name like size, got "${v}"`;
      o.slabSort = key;
      return null;
    },
  },
  {
    long: '--json',
    help: 'JSON instead of text (schema 1, docs/snapshot.schema.json); with -b, one object per line',
    commands: ['snapshot', 'live', 'map', 'events'],
    set: (o) => ((o.json = true), null),
  },
  {
    long: '--no-color',
    help: 'no colour (NO_COLOR does the same); pass/fail cells are then marked with *',
    commands: ['live', 'replay', 'demo'],
    set: (o) => ((o.noColor = true), null),
  },
  {
    long: '--ascii',
    help: 'ASCII bars, sparklines and rules (chosen for a non-UTF-8 locale)',
    commands: ['live', 'replay', 'demo', 'snapshot'],
    set: (o) => ((o.ascii = true), null),
  },
  {
    long: '--map',
    help: 'also read the pageblock map (/proc/kpageflags, root, about 0.5 s) for the compaction ceiling',
    commands: ['snapshot'],
    set: (o) => ((o.map = true), null),
  },
  {
    long: '--replay',
    value: 'FILE',
    kind: 'file',
    help: 'one frame of a recording instead of this machine',
    commands: ['snapshot'],
    set: (o, v) => text('--replay', v) ?? ((o.replay = v), null),
  },
  {
    long: '--at',
    value: 'TIME',
    kind: 'word',
    help: 'which frame of --replay: -5m (from the end), +30s (from the start), 14:15:31, ISO',
    defaults: { snapshot: 'the last frame' },
    commands: ['snapshot'],
    set: (o, v) => text('--at', v) ?? ((o.at = v), null),
  },
  {
    long: '--out',
    value: 'FILE',
    kind: 'file',
    help: 'where to write the recording',
    defaults: { record: './fragtop-HOST-YYYYMMDD-HHMMSS.ftr' },
    commands: ['record'],
    set: (o, v) => text('--out', v) ?? ((o.out = v), null),
  },
  {
    long: '--duration',
    value: 'D',
    kind: 'duration',
    help: 'stop after D',
    defaults: { record: 'until Ctrl-C or SIGTERM', events: '10s; Ctrl-C ends early' },
    commands: ['record', 'events'],
    set: (o, v) => {
      const ms = duration('--duration', RECORD_DURATION)(v);
      if (typeof ms === 'string') return ms;
      o.durationMs = ms;
      return null;
    },
  },
  {
    long: '--min-blocks',
    value: 'K',
    kind: 'number',
    help: 'order-N blocks wanted, in zones that pass the watermark check',
    defaults: { check: '1', guard: 'required' },
    commands: ['check', 'guard'],
    set: (o, v) => {
      const n = integer('--min-blocks', 0, Number.MAX_SAFE_INTEGER)(v);
      if (typeof n === 'string') return n;
      o.minBlocks = n;
      return null;
    },
  },
  {
    long: '--action',
    value: 'A',
    kind: 'word',
    choices: ['compact', 'drop-caches=1', 'drop-caches=2', 'drop-caches=3'],
    help: 'what to do below K: compact, compact=NODE, drop-caches=1|2|3',
    defaults: { guard: 'compact' },
    commands: ['guard'],
    set: (o, v) => text('--action', v) ?? ((o.action = v), null),
  },
  {
    long: '--cooldown',
    value: 'D',
    kind: 'duration',
    help: 'wait at least D between two actions',
    defaults: { guard: '10m' },
    commands: ['guard'],
    set: (o, v) => {
      const ms = duration('--cooldown', COOLDOWN)(v);
      if (typeof ms === 'string') return ms;
      o.cooldownMs = ms;
      return null;
    },
  },
  {
    long: '--dry-run',
    help: 'log what would be done, do nothing',
    commands: ['guard'],
    set: (o) => ((o.dryRun = true), null),
  },
  {
    long: '--audit-log',
    value: 'PATH',
    kind: 'file',
    help: 'where compact / drop-caches actions are logged as JSON lines',
    defaults: { live: '~/.local/state/fragtop/audit.log', guard: '~/.local/state/fragtop/audit.log' },
    commands: ['live', 'guard'],
    set: (o, v) => text('--audit-log', v) ?? ((o.auditLog = v), null),
  },
  {
    long: '--listen',
    value: 'ADDR',
    kind: 'word',
    help: 'serve /metrics on ADDR (:9101 or 127.0.0.1:9101)',
    commands: ['metrics'],
    set: (o, v) => text('--listen', v) ?? ((o.listen = v), null),
  },
  {
    long: '--textfile',
    value: 'PATH',
    kind: 'file',
    help: "write node-exporter's textfile collector format to PATH every interval",
    commands: ['metrics'],
    set: (o, v) => text('--textfile', v) ?? ((o.textfile = v), null),
  },
];

/** Flags every command answers before anything else. */
export const GLOBAL_FLAGS = [
  { long: '--help', short: '-h', help: 'this help; fragtop COMMAND --help for one command' },
  { long: '--version', short: '-V', help: 'the version' },
] as const;

export interface CommandInfo {
  /** The synopsis after `fragtop`. */
  usage: string;
  summary: string;
  examples: string[];
  exitCodes: [number, string][];
}

const USAGE_ERROR: [number, string] = [2, 'bad usage (one line on stderr)'];

export const COMMAND_INFO: Record<Command, CommandInfo> = {
  live: {
    usage: '[options]',
    summary:
      'The live screen: free blocks by order per zone, whether an order-N allocation passes the watermark check, slab caches, kernel allocation failures; c compacts and d drops caches after asking. Without a terminal (a pipe, TERM=dumb) it prints text frames like top -b.',
    examples: [
      'fragtop',
      'fragtop -d 2 --order 6',
      'fragtop -b -n 3 > frames.txt',
      'fragtop -b --json -n 10 | jq .zones',
    ],
    exitCodes: [[0, 'quit with q, or -n frames printed'], [1, 'a runtime failure'], USAGE_ERROR],
  },
  replay: {
    usage: 'replay FILE [options]',
    summary:
      'The live screen over a recording: space plays, arrows step, [ ] change speed, t jumps to a time.',
    examples: ['fragtop replay fragtop-node7-20261128-141500.ftr', 'fragtop replay incident.ftr --order 6'],
    exitCodes: [[0, 'quit with q'], [1, 'the recording cannot be opened'], USAGE_ERROR],
  },
  record: {
    usage: 'record [--out FILE] [--duration D] [options]',
    summary:
      'Captures frames and kernel-log lines into a recording, with no screen; Ctrl-C stops it complete.',
    examples: ['fragtop record --duration 1h', 'fragtop record --out /var/tmp/node7.ftr --interval 500ms'],
    exitCodes: [[0, 'recorded and closed'], [1, 'the file cannot be written'], USAGE_ERROR],
  },
  snapshot: {
    usage: 'snapshot [--json] [--replay FILE [--at TIME]] [options]',
    summary:
      'One frame as text or JSON, then exit; with --interval D, two samples D apart so the rates are real.',
    examples: [
      'fragtop snapshot --json --order 6',
      'fragtop snapshot --interval 5s',
      'fragtop snapshot --replay incident.ftr --at 14:15:31',
    ],
    exitCodes: [[0, 'printed'], [1, 'no memory source could be read (the reason on stderr)'], USAGE_ERROR],
  },
  check: {
    usage: 'check --order N [--min-blocks K] [options]',
    summary:
      'The node-problem-detector custom-plugin contract: the verdict first on one line of at most 80 bytes, details on stderr. Reads buddyinfo and zoneinfo, pagetypeinfo only when the answer depends on it, never slabinfo.',
    examples: ['fragtop check --order 6 --min-blocks 64', 'fragtop check --order 6 --proc-root /host/proc'],
    exitCodes: [
      [0, 'ok: at least K order-N blocks can be served'],
      [1, 'problem: fewer'],
      [2, 'unknown, or bad usage'],
    ],
  },
  guard: {
    usage: 'guard --order N --min-blocks K [--action A] [--cooldown D] [--dry-run] [options]',
    summary:
      'Watches headless and compacts (or drops caches) when fewer than K order-N blocks can be served; never acts on an unknown verdict; one JSON line per event on stdout.',
    examples: [
      'fragtop guard --order 6 --min-blocks 64',
      'fragtop guard --order 6 --min-blocks 64 --action drop-caches=1 --cooldown 30m',
      'fragtop guard --order 6 --min-blocks 64 --dry-run',
    ],
    exitCodes: [[0, 'stopped by SIGTERM or SIGINT'], [1, 'a runtime failure'], USAGE_ERROR],
  },
  metrics: {
    usage: 'metrics --listen ADDR | --textfile PATH [options]',
    summary: 'Prometheus exposition of free blocks, indices and verdicts per zone and order.',
    examples: [
      'fragtop metrics --listen :9101',
      'fragtop metrics --textfile /var/lib/node_exporter/fragtop.prom',
    ],
    exitCodes: [[0, 'stopped by SIGTERM or SIGINT'], [1, 'cannot listen or write'], USAGE_ERROR],
  },
  map: {
    usage: 'map [--json] [options]',
    summary:
      'The pageblock map of every zone from /proc/kpageflags (root): free, movable-only and unmovable pageblocks, and the compaction ceiling per order.',
    examples: ['fragtop map', 'fragtop map --json | jq .zones[0].ceiling'],
    exitCodes: [[0, 'printed'], [1, 'kpageflags cannot be read (needs root)'], USAGE_ERROR],
  },
  events: {
    usage: 'events [--duration D] [--json] [options]',
    summary:
      'Who fragments: pageblock steals and compaction events per process from a private tracefs instance (root); tracing is restored on exit.',
    examples: ['fragtop events', 'fragtop events --duration 1m --json'],
    exitCodes: [
      [0, 'traced for D, or stopped by Ctrl-C'],
      [1, 'tracefs cannot be used (needs root)'],
      USAGE_ERROR,
    ],
  },
  demo: {
    usage: 'demo [options]',
    summary: 'Replays a bundled Kubernetes order-6 incident; needs no /proc.',
    examples: ['fragtop demo'],
    exitCodes: [[0, 'quit with q'], USAGE_ERROR],
  },
};

export function optionsFor(command: Command): OptionDef[] {
  return OPTIONS.filter((option) => option.commands.includes(command));
}

/** Every spelling of an option. */
export function spellings(option: OptionDef): string[] {
  return [option.long, ...(option.short ? [option.short] : []), ...(option.aliases ?? [])];
}

export { READERS, SCREENS };
