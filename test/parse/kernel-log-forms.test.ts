// Tests the kernel-log forms users paste or keep (RHEL taint banners, dmesg modes, vendor prefixes, traces across
// interrupts), interleaved reports, impossible orders, and that no generated input makes the readers throw.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrichFailures, type AllocFailure } from '../../src/analyze/enrich-failure.js';
import { parseAllocFailures } from '../../src/parse/alloc-failure.js';
import { parseLogLine, withYear } from '../../src/parse/kernel-log-line.js';

const parse = (lines: string[], referenceMs?: number) =>
  enrichFailures(parseAllocFailures(lines, 'test', { referenceMs: referenceMs ?? null }));

function fixture(name: string): string[] {
  const text = readFileSync(new URL(`../../fixtures/kmsg/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
}

function one(lines: string[], referenceMs?: number): AllocFailure {
  const parsed = parse(lines, referenceMs);
  expect(parsed.value.failures).toHaveLength(1);
  return parsed.value.failures[0]!;
}

describe('RHEL/CentOS banners (item 5)', () => {
  it('reads pid and kernel from a banner whose taint field carries RHEL\'s "------------ T"', () => {
    const f = one(fixture('rhel7-oom-tainted-T-syslog.txt'), Date.parse('2020-07-01T00:00:00'));
    expect(f).toMatchObject({
      kind: 'oom-kill',
      process: 'runc:[2:INIT]',
      pid: 12788,
      kernel: '3.10.0-514.16.1.el7.stable.v1.4.x86_64',
      order: 0,
      mode: '0xd0',
      time: '2020-06-17T03:18:17',
      flags: ['GFP_KERNEL'],
      flagsSource: 'decoded',
    });
    expect(f.trace.slice(0, 3)).toEqual(['dump_stack', 'dump_header', 'oom_kill_process']);
  });

  it('reads the first frame on an <IRQ> line (RHEL 7 "Kdump: loaded Tainted: P OE ------------" banner)', () => {
    const parsed = parse(fixture('rhel7-irq-two-cpus-journal.txt'));
    const [first, second] = parsed.value.failures;
    expect(first).toMatchObject({ process: 'swapper/21', pid: 0, kernel: '3.10.0-1062.el7.x86_64' });
    expect(first!.trace).toEqual([
      'dump_stack',
      'warn_alloc_failed',
      '__alloc_pages_slowpath',
      '__alloc_pages_nodemask',
      'page_frag_alloc',
      '__napi_alloc_skb',
    ]);
    expect(second).toMatchObject({ process: 'swapper/44', pid: 0, kernel: '3.10.0-1062.el7.x86_64' });
  });
});

describe('call traces across interrupt and exception frames (item 5)', () => {
  it('keeps the frames after <EOI> and a register dump in the same trace', () => {
    const f = one(fixture('irq-eoi-dmesg.txt'));
    expect(f.trace[0]).toBe('dump_stack');
    expect(f.trace).toContain('hyperv_callback_vector');
    expect(f.trace.slice(-2)).toEqual(['shrink_lruvec', 'shrink_zone']);
    expect(f.traceModules).toEqual(['hv_netvsc']);
  });

  it('reads arm32 "(func) from" frames that follow the banner without a Call Trace line', () => {
    const f = one(fixture('arm32-from-dmesg-T.txt'));
    expect(f).toMatchObject({ process: 'adb', pid: 20323, kernel: '4.4.13-v7+', order: 8 });
    expect(f.trace).toEqual([
      'unwind_backtrace',
      'show_stack',
      'dump_stack',
      'warn_alloc_failed',
      '__alloc_pages_nodemask',
      'alloc_kmem_pages',
      'kmalloc_order',
      'kmalloc_order_trace',
      '__kmalloc',
    ]);
    expect(f.culprit.id).toBe('large-kmalloc');
  });
});

describe('dmesg output modes (item 5)', () => {
  const expected = { process: 'ftest2750', pid: 4242, order: 4, kernel: '6.18.44' };

  it('reads dmesg -H: minute lines and relative [  +0.000076] lines, the year from the reference', () => {
    const f = one(fixture('dmesg-H.txt'), Date.parse('2026-12-01T00:00:00'));
    expect(f).toMatchObject({ ...expected, time: '2026-11-29T07:47' });
    expect(f.trace.slice(0, 2)).toEqual(['dump_stack_lvl', 'warn_alloc']);
  });

  it('reads dmesg -x, --time-format iso and -d', () => {
    expect(one(fixture('dmesg-x.txt'))).toMatchObject({ ...expected, time: 69.680948 });
    expect(one(fixture('dmesg-iso.txt'))).toMatchObject({
      ...expected,
      time: '2026-11-29T07:47:43.680948+00:00',
    });
    expect(one(fixture('dmesg-d.txt'))).toMatchObject({ ...expected, time: 69.680948 });
  });

  it('keeps the -H minute for the relative lines after it', () => {
    expect(parseLogLine('[Nov29 07:47] x')).toMatchObject({ format: 'dmesg-H', time: '--11-29T07:47' });
    expect(parseLogLine('[Jun 8 11:04] x')).toMatchObject({ time: '--06-08T11:04' });
    expect(parseLogLine('[  +3.180000] y')).toMatchObject({
      format: 'dmesg-H',
      deltaSeconds: 3.18,
      message: 'y',
    });
  });
});

describe('vendor prefixes (item 5)', () => {
  it('reads Huawei [pid:N,cpuN,comm] and Rockchip [cpu][pid][comm] prefixes, the pid as the caller', () => {
    const [rockchip, , huawei] = fixture('vendor-prefixes.txt').map(parseLogLine);
    expect(rockchip).toMatchObject({ time: 26.324725, caller: 'T662' });
    expect(rockchip!.message).toMatch(/^CPU: 2 PID: 662 Comm: ndroid\.systemui/);
    expect(huawei).toMatchObject({ time: 309805.658142, level: 4, caller: 'T1361' });
    expect(huawei!.message).toMatch(/^sManagerService: page allocation failure/);
    const f = one(fixture('vendor-prefixes.txt'));
    expect(f).toMatchObject({ process: 'sManagerService', pid: 1361, kernel: '4.1.18-g2fa3f3e', order: 4 });
  });

  it('reads the printk caller id of dmesg and /dev/kmsg', () => {
    expect(parseLogLine('[  123.456789][ T4321] x')).toMatchObject({ caller: 'T4321', message: 'x' });
    expect(parseLogLine('6,12,345,-,caller=C2;y')).toMatchObject({ caller: 'C2', message: 'y' });
  });
});

describe('year-less times (item 5)', () => {
  it('takes the year that puts the time at or before the reference', () => {
    const jan = Date.parse('2021-01-02T10:00:00');
    expect(withYear('--12-31T23:59:58', jan)).toBe('2020-12-31T23:59:58');
    expect(withYear('--01-02T09:00:00', jan)).toBe('2021-01-02T09:00:00');
    // 29 February exists only in a leap year.
    expect(withYear('--02-29T01:00:00', Date.parse('2023-06-01T00:00:00'))).toBe('2020-02-29T01:00:00');
    expect(withYear('2019-01-01T00:00:00', jan)).toBe('2019-01-01T00:00:00');
    expect(withYear('--12-31T23:59:58', null)).toBe('--12-31T23:59:58');
  });
});

describe('reports printed at once on two CPUs (item 4)', () => {
  const header = (comm: string, order: number) =>
    `${comm}: page allocation failure: order:${order}, mode:0x14000c0(GFP_KERNEL), nodemask=(null)`;
  const a = {
    header: header('runc:[1:CHILD]', 5),
    banner: 'CPU: 3 PID: 4242 Comm: runc:[1:CHILD] Not tainted 4.14.0 #1',
    frames: [
      ' dump_stack+0x66/0x8b',
      ' warn_alloc+0xfe/0x160',
      ' kmalloc_order_trace+0x2e/0xa0',
      ' veth_newlink+0x1a/0x300 [veth]',
    ],
  };
  const b = {
    header: header('kworker/u16:3', 3),
    banner: 'CPU: 5 PID: 77 Comm: kworker/u16:3 Not tainted 4.14.0 #1',
    frames: [
      ' dump_stack+0x66/0x8b',
      ' warn_alloc+0xfe/0x160',
      ' __alloc_pages_slowpath+0xd3e/0xd80',
      ' ring_mmap+0x10/0x200 [pf_ring]',
    ],
  };
  const zip = (x: string[], y: string[]) =>
    x.flatMap((line, i) => [line, y[i] ?? '']).filter((l) => l !== '');

  it("does not give one report the other's culprit when the lines alternate", () => {
    const lines = zip(
      [a.header, a.banner, 'Call Trace:', ...a.frames],
      [b.header, b.banner, 'Call Trace:', ...b.frames],
    ).map((line, i) => `[  100.${String(i).padStart(6, '0')}] ${line}`);
    const parsed = parse(lines);
    const [ra, rb] = parsed.value.failures;
    expect(ra).toMatchObject({ process: 'runc:[1:CHILD]', pid: 4242, traceInterleaved: true });
    expect(rb).toMatchObject({ process: 'kworker/u16:3', pid: 77, traceInterleaved: true });
    // Neither gets a culprit from frames that may be the other's.
    expect(ra!.culprit.id).toBe('unknown');
    expect(rb!.culprit.id).toBe('unknown');
    expect(parsed.problems.map((p) => p.message).join('\n')).toMatch(/interleaved line by line/);
  });

  it('detects a second trace mixed into a first one that had started', () => {
    const lines = [
      a.header,
      a.banner,
      'Call Trace:',
      a.frames[0]!,
      a.frames[1]!,
      b.header,
      b.banner,
      'Call Trace:',
      a.frames[2]!,
      b.frames[0]!,
      a.frames[3]!,
      b.frames[1]!,
      b.frames[3]!,
    ].map((line, i) => `[  100.${String(i).padStart(6, '0')}] ${line}`);
    const parsed = parse(lines);
    const [, rb] = parsed.value.failures;
    expect(rb!.traceInterleaved).toBe(true);
    expect(rb!.culprit.id).toBe('unknown');
  });

  it('says so when KERN_CONT pieces of two headers are mixed (a real 4.9 log)', () => {
    const parsed = parse(fixture('interleaved-pr-cont-4.9.txt'));
    expect(parsed.problems).toContainEqual({
      file: 'test',
      line: 3,
      message: 'page allocation failure line not understood',
    });
  });
});

describe('impossible orders (item 12)', () => {
  it('reports an order no kernel has as a problem line and skips the report', () => {
    const parsed = parse([
      '[ 1.0] x: page allocation failure: order:1073741824, mode:0xd0',
      '[ 2.0] y: page allocation failure: order:21, mode:0xd0',
      `[ 3.0] z invoked oom-killer: gfp_mask=0xd0, order=${'9'.repeat(400)}, oom_score_adj=0`,
      '[ 4.0] w: page allocation failure: order:20, mode:0xd0',
    ]);
    expect(parsed.value.failures.map((f) => f.process)).toEqual(['w']);
    expect(parsed.problems.map((p) => [p.line, p.message])).toEqual([
      [1, "order 1073741824 is larger than any kernel's (at most 20): report skipped"],
      [2, "order 21 is larger than any kernel's (at most 20): report skipped"],
      [3, `order ${'9'.repeat(24)}… is larger than any kernel's (at most 20): report skipped`],
    ]);
  });
});

/** Lines of real reports, mutated the ways a hostile or damaged log can be. */
const POOL = [
  ...fixture('rhel7-oom-tainted-T-syslog.txt'),
  ...fixture('irq-eoi-dmesg.txt'),
  ...fixture('arm32-from-dmesg-T.txt'),
  ...fixture('dmesg-H.txt'),
  ...fixture('vendor-prefixes.txt'),
  ...fixture('interleaved-pr-cont-4.9.txt'),
  ...fixture('kmsg.txt'),
  ...fixture('syslog.txt'),
];
const PREFIXES = [
  '',
  '[  12.345678] ',
  '[  12.345678][ T42] ',
  '[  +0.000001] ',
  '[Nov29 07:46] ',
  'kern  :warn  : ',
  '<4>',
  '2026-11-29T07:47:43,680948+00:00 ',
  'Jun 17 03:18:17 host kernel: ',
  '6,1,2,-,caller=T1;',
  '07-13 08:41:51.341 <4>[309805.658142s][pid:1361,cpu5,x]',
  ' [   26.324725 / 09-26 13:22:37.704][2][662][x] ',
  ' <IRQ>  ',
];
const hugeNumber = fc.oneof(
  fc.constantFrom('1073741824', '4294967296', '9'.repeat(400), '-1', '0x', ''),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
);
const mutatedLine = fc.oneof(
  fc.constantFrom(...POOL),
  fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...POOL)).map(([p, l]) => p + l),
  fc.tuple(fc.constantFrom(...POOL), hugeNumber).map(([l, n]) => l.replace(/\d+/, n)),
  fc.tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: 'binary', maxLength: 60 })).map(([p, s]) => p + s),
);
/** Two reports' lines interleaved at random, as two CPUs print them. */
const interleavedLines = fc
  .tuple(
    fc.array(mutatedLine, { maxLength: 30 }),
    fc.array(mutatedLine, { maxLength: 30 }),
    fc.array(fc.boolean(), { maxLength: 60 }),
  )
  .map(([x, y, picks]) => {
    const out: string[] = [];
    let i = 0;
    let j = 0;
    for (const pick of picks) {
      const next = pick ? x[i++] : y[j++];
      if (next !== undefined) out.push(next);
    }
    return [...out, ...x.slice(i), ...y.slice(j)];
  });

describe('generated input (standing guarantee)', () => {
  it('parseLogLine never throws and keeps its promises on 10,000 mutated lines', () => {
    fc.assert(
      fc.property(mutatedLine, (line) => {
        const parsed = parseLogLine(line);
        expect(typeof parsed.message).toBe('string');
        if (typeof parsed.time === 'number') expect(Number.isFinite(parsed.time)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('parseAllocFailures never throws and reports only plausible orders on 10,000 interleaved logs', () => {
    fc.assert(
      fc.property(interleavedLines, (lines) => {
        const parsed = parseAllocFailures(lines, 'fuzz', { referenceMs: 1_700_000_000_000 });
        for (const failure of parsed.value.failures) {
          expect(failure.order).toBeGreaterThanOrEqual(-1);
          expect(failure.order).toBeLessThanOrEqual(20);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
