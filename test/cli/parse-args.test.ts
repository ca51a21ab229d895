// Tests command-line parsing: durations, modes and options, and the usage errors.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/parse-args.js';
import { parseDuration } from '../../src/cli/duration.js';

function run(argv: string[]) {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(parsed)}`);
  return parsed;
}

function error(argv: string[]): string {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${parsed.kind}`);
  return parsed.message;
}

describe('parseDuration', () => {
  it('reads ms, s, m, h and bare seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('3')).toBe(3000);
  });
  it('rejects other shapes', () => {
    for (const text of ['', 's', '-1s', '1x', '1 s s', 'ten']) expect(parseDuration(text)).toBeNull();
  });
});

describe('parseArgs', () => {
  it('defaults to the live monitor on /proc at 1 s', () => {
    const parsed = run([]);
    expect(parsed.command).toBe('live');
    expect(parsed.options.procRoot).toBe('/proc');
    expect(parsed.options.intervalMs).toBe(1000);
    expect(parsed.options.order).toBeNull();
  });

  it('accepts the common options in every mode, with = or a separate value', () => {
    for (const command of ['snapshot', 'record', 'demo']) {
      const parsed = run([
        command,
        '--proc-root=fix/proc',
        '--sys-root',
        'fix/sys',
        '--kmsg',
        'k.txt',
        '--interval',
        '500ms',
        '--order',
        '6',
        '--read-only',
        '--pagetypeinfo-interval',
        '10s',
      ]);
      expect(parsed.command).toBe(command);
      expect(parsed.options).toMatchObject({
        procRoot: 'fix/proc',
        sysRoot: 'fix/sys',
        kmsg: 'k.txt',
        intervalMs: 500,
        order: 6,
        readOnly: true,
        pagetypeinfoIntervalMs: 10_000,
      });
    }
    expect(run(['replay', 'rec.ftr', '--order', '4']).file).toBe('rec.ftr');
  });

  it('reads snapshot --json and the replay selection', () => {
    const parsed = run(['snapshot', '--json', '--replay', 'r.ftr', '--at', '-5m']);
    expect(parsed.options).toMatchObject({ json: true, replay: 'r.ftr', at: '-5m' });
  });

  it('gives one clear line for each kind of mistake', () => {
    expect(error(['frob'])).toBe('unknown command "frob" (try fragtop --help)');
    expect(error(['--bogus'])).toBe('unknown option --bogus (try fragtop --help)');
    expect(error(['--interval', 'soon'])).toBe(
      '--interval expects a duration like 500ms, 2s or 1m, got "soon"',
    );
    expect(error(['--interval', '0'])).toBe('--interval expects a duration like 500ms, 2s or 1m, got "0"');
    expect(error(['--order', '-1'])).toBe('--order expects a whole number from 0 to 20, got "-1"');
    expect(error(['--order'])).toBe('--order expects a value');
    expect(error(['--min-blocks', '3'])).toBe('--min-blocks belongs to "fragtop check", not "fragtop"');
    expect(error(['record', '--json'])).toBe('--json belongs to "fragtop snapshot", not "fragtop record"');
    expect(error(['snapshot', '--json=yes'])).toBe('--json takes no value');
    expect(error(['replay'])).toBe('fragtop replay expects one recording FILE');
    expect(error(['snapshot', 'extra'])).toBe('unexpected argument "extra" (try fragtop snapshot --help)');
    expect(error(['check'])).toBe('fragtop check needs --order N');
    expect(error(['snapshot', '--at', '5m'])).toBe('--at needs --replay FILE');
  });

  it('bounds every duration that feeds a timer, and says the range', () => {
    // Node's timers hold at most 2^31-1 ms (24.8 days); past that a timer fires after 1 ms, in a loop.
    expect(error(['--interval', '30d'])).toBe('--interval expects a duration from 100ms to 1d, got "30d"');
    expect(error(['--interval', '25d'])).toBe('--interval expects a duration from 100ms to 1d, got "25d"');
    // A 1 ms period is a busy loop over /proc, not a measurement.
    expect(error(['--interval', '1ms'])).toBe('--interval expects a duration from 100ms to 1d, got "1ms"');
    expect(error(['record', '--interval=99ms'])).toBe(
      '--interval expects a duration from 100ms to 1d, got "99ms"',
    );
    expect(error(['--pagetypeinfo-interval', '50d'])).toBe(
      '--pagetypeinfo-interval expects a duration from 100ms to 1d, got "50d"',
    );
    expect(error(['record', '--duration', '400d'])).toBe(
      '--duration expects a duration from 100ms to 365d, got "400d"',
    );
    expect(error(['guard', '--order', '6', '--min-blocks', '1', '--cooldown', '31d'])).toBe(
      '--cooldown expects a duration from 0s to 30d, got "31d"',
    );
    // The edges are allowed.
    expect(run(['--interval', '100ms']).options.intervalMs).toBe(100);
    expect(run(['--interval', '1d']).options.intervalMs).toBe(86_400_000);
    expect(run(['guard', '--order', '6', '--min-blocks', '1', '--cooldown', '0']).options.cooldownMs).toBe(0);
    // top's -d takes seconds and gets the same range.
    expect(error(['-d', '0.001'])).toBe('--interval expects a duration from 100ms to 1d, got "0.001"');
  });

  it("takes top's and slabtop's options: -d SECS, -n N, -b, -s KEY, and htop's --readonly", () => {
    expect(run(['-d', '2']).options).toMatchObject({ intervalMs: 2000, intervalGiven: true });
    expect(run(['-d0.5']).options.intervalMs).toBe(500);
    expect(run(['-b', '-n', '3']).options).toMatchObject({ batch: true, frames: 3 });
    expect(run(['-bn3']).options).toMatchObject({ batch: true, frames: 3 });
    expect(run(['-b', '--json']).options).toMatchObject({ batch: true, json: true });
    expect(run(['-s', 'c']).options.slabSort).toBe('size');
    expect(run(['-s', 'u']).options.slabSort).toBe('use');
    expect(run(['snapshot', '-s', 'name']).options.slabSort).toBe('name');
    expect(run(['--readonly']).options.readOnly).toBe(true);
    expect(run(['--no-color', '--ascii']).options).toMatchObject({ noColor: true, ascii: true });
    expect(error(['-s', 'x'])).toBe(
      `-s expects one of c o a s p u n (slabtop's letters) or a name like size, got "x"`,
    );
    expect(error(['-n', '0'])).toBe('-n expects a whole number from 1 to 1000000000, got "0"');
    expect(error(['-d', 'soon'])).toBe('--interval expects a duration like 500ms, 2s or 1m, got "soon"');
    expect(error(['-b3'])).toBe('-b takes no value');
  });

  it('answers --help and --version before anything else', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', command: null });
    expect(parseArgs(['snapshot', '-h'])).toEqual({ kind: 'help', command: 'snapshot' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseArgs(['-V'])).toEqual({ kind: 'version' });
    expect(parseArgs(['guard', '--order', 'x', '--help'])).toEqual({ kind: 'help', command: 'guard' });
    expect(parseArgs(['help', 'check'])).toEqual({ kind: 'help', command: 'check' });
  });
});
