// Tests fragtop guard: when it decides to act, and a run that compacts or drops caches on a temporary root.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import type { FileRead, ProcFileName, RawFrame } from '../../src/model/raw-frame.js';
import { defaultOptions, type Options } from '../../src/cli/parse-args.js';
import {
  GUARD_DEFAULT_COOLDOWN_MS,
  guardDecision,
  initialGuardState,
  parseActionSequence,
  runGuard,
  shortNode,
  type GuardConfig,
} from '../../src/cli/run-guard.js';

const LIVE_PROC = fileURLToPath(new URL('../../fixtures/live-6.18/proc', import.meta.url));
const text = (file: string): string => readFileSync(join(LIVE_PROC, file), 'utf8');

function frame(files: Partial<Record<ProcFileName, string>>): RawFrame {
  const reads: RawFrame['files'] = {};
  for (const [name, body] of Object.entries(files))
    reads[name as ProcFileName] = { ok: true, text: body, readMs: 0.1, readAtMs: 0 } satisfies FileRead;
  return { timeMs: 0, host: 'h', kernel: '6.18.44-fc-v595', pageSizeBytes: 4096, files: reads, kmsg: [] };
}

// live-6.18 at order 6: DMA 1·4 + 1·8 + 3·16 = 60 blocks, but its lowmem_reserve for Normal-class requests
// (protection[2] = 4171) exceeds its 3840 free pages, so it cannot serve; DMA32 3 + 3·2 + 4·4 + 2·8 + 752·16 = 12073
// and Normal 331 + 162·2 + 42·4 + 6·8 + 24·16 = 1255 pass: 13328 usable blocks.
const full = buildSnapshot(
  frame({ buddyinfo: text('buddyinfo'), zoneinfo: text('zoneinfo'), pagetypeinfo: text('pagetypeinfo') }),
);
const noZoneinfo = buildSnapshot(frame({ buddyinfo: text('buddyinfo') }));
const noBuddy = buildSnapshot(frame({ zoneinfo: text('zoneinfo') }));
const USABLE = 13328;

const config = (minBlocks: number, cooldownMs = 600_000): GuardConfig => ({
  order: 6,
  minBlocks,
  cooldownMs,
});

describe('guardDecision', () => {
  it('counts blocks only in zones that can serve the order', () => {
    const { decision } = guardDecision(initialGuardState(), full, 0, config(USABLE));
    expect(decision).toEqual({
      kind: 'ok',
      blocks: USABLE,
      zones: [
        { node: 0, zone: 'DMA', blocks: 60, counted: false },
        { node: 0, zone: 'DMA32', blocks: 12073, counted: true },
        { node: 0, zone: 'Normal', blocks: 1255, counted: true },
      ],
    });
  });

  it('never counts zones whose watermarks are unknown: without zoneinfo the answer is unknown, not ok', () => {
    for (const minBlocks of [1, USABLE + 60, USABLE * 10]) {
      const { decision } = guardDecision(initialGuardState(), noZoneinfo, 0, config(minBlocks));
      expect(decision).toMatchObject({ kind: 'unknown', log: true });
      expect(decision.kind === 'unknown' && decision.reason).toMatch(/without zoneinfo watermarks/);
    }
  });

  it('never acts on a damaged buddyinfo: cut short, a duplicated zone, a count no kernel prints', () => {
    const buddy = text('buddyinfo');
    const lines = buddy.trimEnd().split('\n');
    const damaged = {
      'cut short': buddy.slice(0, buddy.length - 20),
      'duplicated zone': `${buddy}${lines[2]}\n`,
      'huge count': buddy.replace(/(zone\s+Normal\s+)\d+/, '$1999999999999999999999'),
    };
    for (const [what, body] of Object.entries(damaged)) {
      const snapshot = buildSnapshot(frame({ buddyinfo: body, zoneinfo: text('zoneinfo') }));
      const { decision } = guardDecision(initialGuardState(), snapshot, 0, config(USABLE * 10, 0));
      expect(decision.kind, what).toBe('unknown');
      expect(decision.kind === 'unknown' && decision.reason, what).toMatch(
        /buddyinfo is not what a kernel prints/,
      );
    }
  });

  it('triggers below K, then once per cooldown, logging the skip once per cooldown', () => {
    const c = config(USABLE + 1);
    const kinds: string[] = [];
    let state = initialGuardState();
    for (const t of [0, 5_000, 10_000, 599_999, 600_000, 605_000, 610_000, 1_200_000]) {
      const step = guardDecision(state, full, t, c);
      state = step.state;
      const d = step.decision;
      kinds.push(d.kind === 'cooldown' ? `cooldown${d.log ? '+log' : ''}:${d.remainingMs}` : d.kind);
    }
    expect(kinds).toEqual([
      'act',
      'cooldown+log:595000',
      'cooldown:590000',
      'cooldown:1',
      'act',
      'cooldown+log:595000',
      'cooldown:590000',
      'act',
    ]);
  });

  it('does not act while blocks are at or above K, and keeps the cooldown from the last action', () => {
    let state = guardDecision(initialGuardState(), full, 0, config(USABLE + 1)).state;
    const ok = guardDecision(state, full, 1_000, config(USABLE));
    expect(ok.decision.kind).toBe('ok');
    state = ok.state;
    expect(guardDecision(state, full, 2_000, config(USABLE + 1)).decision).toMatchObject({
      kind: 'cooldown',
      log: true,
    });
  });

  it('acts on every low check with a zero cooldown', () => {
    let state = initialGuardState();
    for (const t of [0, 0, 1]) {
      const step = guardDecision(state, full, t, config(USABLE + 1, 0));
      expect(step.decision.kind).toBe('act');
      state = step.state;
    }
  });

  it('reports unknown once until a check succeeds again', () => {
    const c = config(1);
    const first = guardDecision(initialGuardState(), noBuddy, 0, c);
    expect(first.decision).toEqual({ kind: 'unknown', reason: 'buddyinfo not captured', log: true });
    const second = guardDecision(first.state, noBuddy, 1, c);
    expect(second.decision).toMatchObject({ kind: 'unknown', log: false });
    const good = guardDecision(second.state, full, 2, c);
    expect(good.decision.kind).toBe('ok');
    expect(guardDecision(good.state, noBuddy, 3, c).decision).toMatchObject({ kind: 'unknown', log: true });
  });

  it('refuses an order this kernel does not have instead of acting forever', () => {
    const { decision } = guardDecision(initialGuardState(), full, 0, {
      order: 11,
      minBlocks: 1,
      cooldownMs: 0,
    });
    expect(decision).toEqual({
      kind: 'unknown',
      reason: 'order 11 does not exist on this kernel (orders 0-10)',
      log: true,
    });
  });
});

/** A writable that keeps lines and resolves `waitFor` once a line matches. */
function lineSink(): {
  stream: Writable;
  lines: string[];
  waitFor: (match: (line: string) => boolean) => Promise<void>;
} {
  const lines: string[] = [];
  let buffer = '';
  const waiters: Array<{ match: (line: string) => boolean; resolve: () => void }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      buffer += String(chunk);
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const waiter of waiters) if (waiter.match(line)) waiter.resolve();
      }
      done();
    },
  });
  const waitFor = (match: (line: string) => boolean): Promise<void> =>
    lines.some(match) ? Promise.resolve() : new Promise((resolve) => waiters.push({ match, resolve }));
  return { stream, lines, waitFor };
}

describe('runGuard', () => {
  let dir: string;
  let procRoot: string;
  let compactFile: string;
  let auditLog: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fragtop-guard-'));
    procRoot = join(dir, 'proc');
    cpSync(LIVE_PROC, procRoot, { recursive: true });
    mkdirSync(join(procRoot, 'sys/vm'), { recursive: true });
    compactFile = join(procRoot, 'sys/vm/compact_memory');
    writeFileSync(compactFile, '');
    writeFileSync(join(procRoot, 'sys/vm/drop_caches'), '');
    auditLog = join(dir, 'state/audit.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (overrides: Partial<Options>): Options => ({
    ...defaultOptions(),
    procRoot,
    sysRoot: join(dir, 'sys'),
    order: 6,
    minBlocks: USABLE + 1,
    intervalMs: 10,
    auditLog,
    ...overrides,
  });
  const settings = { settleMs: 5, kmsgPath: null, handleSignals: false };

  it('triggers, compacts, logs the effect as JSON lines, audits, and stops on abort', async () => {
    const out = lineSink();
    const err = lineSink();
    const abort = new AbortController();
    const run = runGuard(
      options({}),
      { stdout: out.stream, stderr: err.stream, signal: abort.signal },
      settings,
    );
    // Let at least one more check run in the cooldown, then stop.
    await out.waitFor((line) => line.includes('"event":"cooldown"'));
    abort.abort();
    expect(await run).toBe(0);
    expect(err.lines).toEqual([]);

    const events = out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e['event'])).toEqual(['start', 'trigger', 'action', 'cooldown', 'stop']);
    for (const e of events) expect(e['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(events[0]).toMatchObject({
      order: 6,
      minBlocks: USABLE + 1,
      action: 'compact',
      path: compactFile,
      value: '1',
      intervalMs: 10,
      cooldownMs: GUARD_DEFAULT_COOLDOWN_MS,
      dryRun: false,
    });
    expect(events[1]).toMatchObject({ order: 6, blocks: USABLE, minBlocks: USABLE + 1 });
    // The fixture does not change, so the effect is nil; MemFree 23965704 kB is 22.9 GiB.
    expect(events[2]).toMatchObject({
      action: 'compact',
      ok: true,
      path: compactFile,
      value: '1',
      summary: 'order ≥6 blocks 13,328 → 13,328 (+0); zones ok 2/3 → 2/3; free 23G → 23G',
      audit: auditLog,
      auditError: null,
    });
    expect(events[3]).toMatchObject({ blocks: USABLE, minBlocks: USABLE + 1 });
    expect(events[4]).toMatchObject({ reason: 'aborted' });

    expect(readFileSync(compactFile, 'utf8')).toBe('1');
    expect(readFileSync(join(procRoot, 'sys/vm/drop_caches'), 'utf8')).toBe('');
    const audit = readFileSync(auditLog, 'utf8').trim().split('\n');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({
      action: 'compact',
      path: compactFile,
      value: '1',
      result: 'ok',
      source: 'guard',
      before: `order ≥6 blocks 13,328 (below ${USABLE + 1})`,
      after: 'order ≥6 blocks 13,328 → 13,328 (+0); zones ok 2/3 → 2/3; free 23G → 23G',
    });
  });

  it('drops the chosen cache level', async () => {
    const out = lineSink();
    const abort = new AbortController();
    const run = runGuard(
      options({ action: 'drop-caches=2' }),
      { stdout: out.stream, stderr: lineSink().stream, signal: abort.signal },
      settings,
    );
    await out.waitFor((line) => line.includes('"event":"action"'));
    abort.abort();
    expect(await run).toBe(0);
    expect(readFileSync(join(procRoot, 'sys/vm/drop_caches'), 'utf8')).toBe('2');
    expect(readFileSync(compactFile, 'utf8')).toBe('');
  });

  it('--dry-run logs what it would do and writes nothing', async () => {
    const out = lineSink();
    const abort = new AbortController();
    const run = runGuard(
      options({ dryRun: true, readOnly: true, cooldownMs: 0 }),
      { stdout: out.stream, stderr: lineSink().stream, signal: abort.signal },
      settings,
    );
    // With no cooldown every check would act: two dry runs, still nothing written.
    await out.waitFor(() => out.lines.filter((line) => line.includes('"event":"dry-run"')).length >= 2);
    abort.abort();
    expect(await run).toBe(0);
    const dry = JSON.parse(out.lines.find((line) => line.includes('"event":"dry-run"'))!);
    expect(dry).toMatchObject({ action: 'compact', path: compactFile, value: '1' });
    expect(dry.description).toContain('compact memory');
    expect(readFileSync(compactFile, 'utf8')).toBe('');
    expect(existsSync(auditLog)).toBe(false);
  });

  it('stops with exit 1 when the kernel refuses the write for good', async () => {
    const out = lineSink();
    const err = lineSink();
    const denied = () =>
      Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    const code = await runGuard(
      options({}),
      { stdout: out.stream, stderr: err.stream },
      {
        ...settings,
        writeFile: denied,
      },
    );
    expect(code).toBe(1);
    expect(err.lines).toEqual([
      'fragtop guard: compact failed: needs root: run fragtop as root (sudo fragtop)',
    ]);
    const action = JSON.parse(out.lines.find((line) => line.includes('"event":"action"'))!);
    expect(action).toMatchObject({ ok: false, code: 'EACCES' });
    expect(JSON.parse(readFileSync(auditLog, 'utf8'))).toMatchObject({ result: 'failed', code: 'EACCES' });
  });

  it('exits 0 at once when already aborted, writing nothing', async () => {
    const out = lineSink();
    const code = await runGuard(
      options({}),
      { stdout: out.stream, stderr: lineSink().stream, signal: AbortSignal.abort() },
      settings,
    );
    expect(code).toBe(0);
    expect(out.lines.map((line) => JSON.parse(line).event)).toEqual(['start', 'stop']);
    expect(readFileSync(compactFile, 'utf8')).toBe('');
  });

  it('uses the default interval the caller passes', async () => {
    const out = lineSink();
    const code = await runGuard(
      options({ minBlocks: 0 }),
      { stdout: out.stream, stderr: lineSink().stream, signal: AbortSignal.abort() },
      { ...settings, defaultIntervalMs: 5000 },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ intervalMs: 5000 });
  });

  it('rejects a bad --action and --read-only without --dry-run with exit 2 and one line', async () => {
    const err = lineSink();
    const out = lineSink();
    expect(await runGuard(options({ action: 'reboot' }), { stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(await runGuard(options({ readOnly: true }), { stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(err.lines).toEqual([
      'fragtop guard: --action expects compact, compact=NODE, drop-caches=1|2|3 or a sequence of them (drop-caches=3,compact), got "reboot"',
      'fragtop guard: guard cannot act in --read-only; use --dry-run',
    ]);
    expect(out.lines).toEqual([]);
  });
});

describe('guard on a schedule, with a cap (fake clock)', () => {
  const every = (everyMs: number, extra: Partial<GuardConfig> = {}): GuardConfig => ({
    order: null,
    minBlocks: null,
    cooldownMs: GUARD_DEFAULT_COOLDOWN_MS,
    everyMs,
    ...extra,
  });
  const run = (times: number[], c: GuardConfig, snapshot = full) => {
    let state = initialGuardState();
    return times.map((t) => {
      const step = guardDecision(state, snapshot, t, c);
      state = step.state;
      const d = step.decision;
      return d.kind === 'act'
        ? `act:${d.reason}`
        : d.kind === 'capped'
          ? `capped${d.log ? '+log' : ''}`
          : d.kind;
    });
  };

  it('acts every D from one period after the start, whatever the blocks', () => {
    expect(run([0, 5_000, 9_999, 10_000, 15_000, 20_000, 29_999, 30_000], every(10_000))).toEqual([
      'wait',
      'wait',
      'wait',
      'act:schedule',
      'wait',
      'act:schedule',
      'wait',
      'act:schedule',
    ]);
  });

  it('--every 5s --at-most 2/1m: two actions a minute, the capped slots skipped and logged once', () => {
    const times = Array.from({ length: 14 }, (_, i) => i * 5_000); // 0 … 65 s
    expect(run(times, every(5_000, { atMost: { count: 2, periodMs: 60_000 } }))).toEqual([
      'wait',
      'act:schedule', // 5 s
      'act:schedule', // 10 s
      'capped+log', // 15 s
      ...Array(9).fill('capped'), // 20 … 60 s
      'act:schedule', // 65 s: the 5 s action left the minute
    ]);
  });

  it('with the threshold too: the threshold acts at once, the schedule restarts after any action', () => {
    const c = every(60_000, { order: 6, minBlocks: USABLE + 1, cooldownMs: 30_000 });
    expect(run([0, 10_000, 40_000, 60_000, 100_000], c)).toEqual([
      'act:threshold',
      'cooldown',
      'act:threshold',
      'cooldown',
      'act:threshold+schedule',
    ]);
  });

  it('a flapping threshold with no cooldown acts at most N times a period', () => {
    const c: GuardConfig = { ...config(USABLE + 1, 0), atMost: { count: 3, periodMs: 3_600_000 } };
    const kinds = run(
      Array.from({ length: 10 }, (_, i) => i * 1000),
      c,
    );
    expect(kinds.filter((k) => k.startsWith('act'))).toHaveLength(3);
    expect(kinds.filter((k) => k === 'capped+log')).toHaveLength(1);
  });

  it('never acts on the schedule when the state is unknown', () => {
    expect(run([0, 10_000, 20_000], every(10_000), buildSnapshot(frame({})))).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
    const c = every(10_000, { order: 6, minBlocks: 1 });
    expect(run([0, 10_000], c, noZoneinfo)).toEqual(['unknown', 'unknown']);
  });
});

describe('shortNode and action sequences', () => {
  const zone = (node: number, blocks: number, counted = true) => ({ node, zone: 'Normal', blocks, counted });

  it('names the one NUMA node below its share of K, and none when both or neither are short', () => {
    expect(shortNode([zone(0, 100), zone(1, 3)], 64)).toBe(1);
    expect(shortNode([zone(0, 10), zone(1, 3)], 64)).toBeNull();
    expect(shortNode([zone(0, 100), zone(1, 100)], 64)).toBeNull();
    expect(shortNode([zone(0, 100), zone(1, 500, false)], 64)).toBe(1);
    expect(shortNode([zone(0, 3)], 64)).toBeNull();
  });

  it('parses sequences of actions', () => {
    expect(parseActionSequence('drop-caches=3,compact')).toEqual([
      { kind: 'drop-caches', level: 3 },
      { kind: 'compact' },
    ]);
    expect(parseActionSequence('drop-caches=3,reboot')).toBeNull();
  });
});

describe('runGuard with a fake clock', () => {
  let dir: string;
  let procRoot: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fragtop-guard-clock-'));
    procRoot = join(dir, 'proc');
    cpSync(LIVE_PROC, procRoot, { recursive: true });
    mkdirSync(join(procRoot, 'sys/vm'), { recursive: true });
    writeFileSync(join(procRoot, 'sys/vm/compact_memory'), '');
    writeFileSync(join(procRoot, 'sys/vm/drop_caches'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A clock that moves only when the guard sleeps; the run stops after `untilMs`. */
  function fakeClock(untilMs: number) {
    let t = Date.UTC(2026, 0, 1);
    const start = t;
    const abort = new AbortController();
    return {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
        if (t - start > untilMs) abort.abort();
      },
      signal: abort.signal,
    };
  }
  const events = (out: ReturnType<typeof lineSink>) =>
    out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('--every 5s --at-most 2/1m --dry-run: dry runs at 5 s and 10 s, capped from 15 s, again at 65 s', async () => {
    const clock = fakeClock(70_000);
    const out = lineSink();
    const code = await runGuard(
      {
        ...defaultOptions(),
        procRoot,
        everyMs: 5_000,
        atMost: { count: 2, periodMs: 60_000 },
        dryRun: true,
        action: 'drop-caches=1',
      },
      { stdout: out.stream, stderr: lineSink().stream, signal: clock.signal },
      { kmsgPath: null, handleSignals: false, now: clock.now, sleep: clock.sleep, defaultIntervalMs: 5_000 },
    );
    expect(code).toBe(0);
    const seen = events(out)
      .filter((e) => e['event'] !== 'start' && e['event'] !== 'stop')
      .map((e) => `${e['event']}@${(Date.parse(String(e['time'])) - Date.UTC(2026, 0, 1)) / 1000}`);
    expect(seen).toEqual([
      'trigger@5',
      'dry-run@5',
      'trigger@10',
      'dry-run@10',
      'capped@15',
      'trigger@65',
      'dry-run@65',
      'trigger@70',
      'dry-run@70',
    ]);
    expect(readFileSync(join(procRoot, 'sys/vm/drop_caches'), 'utf8')).toBe('');
  });

  it('drop-caches=3,compact: compacts only when the blocks did not come back after dropping caches', async () => {
    const healthy = readFileSync(join(procRoot, 'buddyinfo'), 'utf8');
    // Short: every order ≥ 6 block gone from DMA32 and Normal.
    const short = healthy.replace(
      /^(Node 0, zone +(?:DMA32|Normal)(?: +\d+){6})((?: +\d+)+)/gm,
      (_, head, tail) => head + String(tail).replace(/\d+/g, '0'),
    );
    for (const [heals, steps] of [
      [true, ['drop-caches=3']],
      [false, ['drop-caches=3', 'compact']],
    ] as const) {
      writeFileSync(join(procRoot, 'buddyinfo'), short);
      const clock = fakeClock(4_000);
      const out = lineSink();
      const writes: string[] = [];
      await runGuard(
        {
          ...defaultOptions(),
          procRoot,
          order: 6,
          minBlocks: 64,
          action: 'drop-caches=3,compact',
          auditLog: join(dir, 'audit.log'),
        },
        { stdout: out.stream, stderr: lineSink().stream, signal: clock.signal },
        {
          kmsgPath: null,
          handleSignals: false,
          now: clock.now,
          sleep: clock.sleep,
          settleMs: 1000,
          defaultIntervalMs: 5_000,
          writeFile: async (path, value) => {
            writes.push(`${path.slice(procRoot.length)}=${value}`);
            // Dropping caches gives the blocks back only in the first run.
            if (heals && path.endsWith('drop_caches')) writeFileSync(join(procRoot, 'buddyinfo'), healthy);
          },
        },
      );
      const actions = events(out).filter((e) => e['event'] === 'action');
      expect(actions.map((e) => e['action'])).toEqual(steps);
      expect(actions.every((e) => typeof e['summary'] === 'string')).toBe(true);
      expect(writes).toEqual(
        steps.map((s) => (s === 'compact' ? '/sys/vm/compact_memory=1' : '/sys/vm/drop_caches=3')),
      );
      if (heals)
        expect(events(out).find((e) => e['event'] === 'sequence-done')).toMatchObject({ status: 'ok' });
    }
  });

  it('needs a threshold or a schedule, and a threshold for a sequence', async () => {
    const err = lineSink();
    const io = { stdout: lineSink().stream, stderr: err.stream };
    expect(await runGuard({ ...defaultOptions(), procRoot }, io)).toBe(2);
    expect(
      await runGuard({ ...defaultOptions(), procRoot, everyMs: 5000, action: 'drop-caches=3,compact' }, io),
    ).toBe(2);
    expect(err.lines).toEqual([
      'fragtop guard: needs --order N and --min-blocks K, or --every D, or both',
      'fragtop guard: a sequence of actions needs --order N and --min-blocks K: each next step runs only while blocks are short',
    ]);
  });
});
