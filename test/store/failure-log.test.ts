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
