// Tests the incremental failure log: appending lines gives the same reports as one full parse.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enrichFailures } from '../../src/analyze/enrich-failure.js';
import { parseAllocFailures } from '../../src/parse/alloc-failure.js';
import { appendToFailureLog, EMPTY_FAILURE_LOG, REPARSE_WINDOW } from '../../src/store/failure-log.js';
import { fixturePath } from '../helpers/frames.js';

const report = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').trimEnd().split('\n');
const chatter = (n: number, tag: string) =>
  Array.from(
    { length: n },
    (_, i) => `Nov 12 15:16:${String(i % 60).padStart(2, '0')} kernel: IN=eth0 OUT= ${tag}${i}`,
  );

describe('incremental failure log', () => {
  it('finds the same reports when the log arrives line by line as when parsed at once', () => {
    const lines = [...chatter(50, 'a'), ...report, ...chatter(30, 'b'), ...report];
    let log = EMPTY_FAILURE_LOG;
    for (const line of lines) log = appendToFailureLog(log, [line]);
    const whole = enrichFailures(parseAllocFailures(lines, 'kernel log')).value;
    expect(log.failures).toEqual(whole.failures);
    expect(log.suppressed).toBe(whole.suppressedTotal);
    expect(log.failures).toHaveLength(2);
  });

  it('keeps reports parsed before the window after much chatter, with their line numbers', () => {
    let log = appendToFailureLog(EMPTY_FAILURE_LOG, report);
    const first = log.failures[0]!;
    for (let i = 0; i < 5; i++) log = appendToFailureLog(log, chatter(REPARSE_WINDOW, `c${i}`));
    expect(log.failures).toHaveLength(1);
    expect(log.failures[0]).toEqual(first);
  });

  it('keeps reports whose lines fell out of the bounded buffer', () => {
    let log = appendToFailureLog(EMPTY_FAILURE_LOG, report);
    log = appendToFailureLog(log, chatter(500, 'd'), 300);
    expect(log.lines).toHaveLength(300);
    expect(log.failures).toHaveLength(1);
    expect(log.failures[0]!.process).toBe('exe');
    expect(log.failures[0]!.line).toBeLessThan(1);
  });

  it('returns the same object when nothing arrived', () => {
    const log = appendToFailureLog(EMPTY_FAILURE_LOG, report);
    expect(appendToFailureLog(log, [])).toBe(log);
  });
});

describe('failure log caps (issue 11, item 4)', () => {
  /** One complete one-line-header report per call: a 5.x header, banner and trace, 5 lines. */
  const small = (i: number) => [
    `[${1000 + i}.000001] worker${i}: page allocation failure: order:4, mode:0xcc0(GFP_KERNEL), nodemask=(null)`,
    `[${1000 + i}.000002] CPU: 1 PID: ${100 + i} Comm: worker${i} Not tainted 6.1.0 #1`,
    `[${1000 + i}.000003] Call Trace:`,
    `[${1000 + i}.000004]  dump_stack_lvl+0x4a/0x70`,
    `[${1000 + i}.000005]  warn_alloc+0x130/0x1b0`,
  ];
  const many = (n: number) => Array.from({ length: n }, (_, i) => small(i)).flat();

  it('counts every report of a batch larger than the kept lines, and says how many were dropped', () => {
    // 2,714 reports in 13,570 lines, read through a 2,000-line buffer in one batch (the --kmsg FILE case).
    const log = appendToFailureLog(EMPTY_FAILURE_LOG, many(2714), 2000);
    expect(log.total).toBe(2714);
    expect(log.failures).toHaveLength(1000);
    expect(log.droppedFailures).toBe(1714);
    expect(log.failures[999]!.process).toBe('worker2713');
    expect(log.droppedLines).toBe(13570 - 2000);
  });

  it('counts exactly when the reports arrive in many small batches', () => {
    let log = EMPTY_FAILURE_LOG;
    const lines = many(1500);
    for (let i = 0; i < lines.length; i += 97) log = appendToFailureLog(log, lines.slice(i, i + 97), 3000);
    expect(log.total).toBe(1500);
    expect(log.failures).toHaveLength(1000);
    expect(log.droppedFailures).toBe(500);
    expect(log.failures[0]!.process).toBe('worker500');
  });

  it('gives year-less syslog times the year of the reference time', () => {
    const log = appendToFailureLog(
      EMPTY_FAILURE_LOG,
      ['Dec 31 23:59:58 node1 kernel: exe: page allocation failure: order:6, mode:0x10c0d0'],
      { referenceMs: Date.parse('2021-01-02T10:00:00') },
    );
    expect(log.failures[0]!.time).toBe('2020-12-31T23:59:58');
  });
});
