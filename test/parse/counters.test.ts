// Tests for the /proc/vmstat and /proc/meminfo parsers.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseMeminfo, parseVmstat } from '../../src/parse/counters.js';
import { allNumbers, anyInput, fixture, problemsPointInside, PROPERTY_RUNS } from './helpers.js';

const VMSTAT_SAMPLES: [string, number][] = [
  ['samples/vmstat-4.x-early-node-exporter-fixture.txt', 120],
  ['samples/vmstat-5.8ish-jc-fixture.txt', 147],
  ['samples/vmstat-5.9plus-numa2-pcp-qa-007.txt', 164],
  ['samples/vmstat-6.18-x86-local-capture.txt', 192],
];
const MEMINFO_SAMPLE = 'samples/meminfo-6.18-x86-local-capture.txt';

describe('parseVmstat', () => {
  it.each(VMSTAT_SAMPLES)('%s gives one counter per line (%i) and no problems', (name, lines) => {
    const { value, problems } = parseVmstat(fixture(name));
    expect(problems).toEqual([]);
    expect(Object.keys(value)).toHaveLength(lines);
  });

  it('reads exact values', () => {
    const old = parseVmstat(fixture('samples/vmstat-4.x-early-node-exporter-fixture.txt')).value;
    expect(old['nr_free_pages']).toBe(977769);
    expect(old['allocstall']).toBe(83165);
    expect(old['compact_stall']).toBe(210959);
    expect(old['pgalloc_normal']).toBe(2287227526);
    expect(old['allocstall_normal']).toBeUndefined();
    const newer = parseVmstat(fixture('samples/vmstat-5.9plus-numa2-pcp-qa-007.txt')).value;
    expect(newer['nr_free_pages']).toBe(1052928);
    expect(newer['allocstall_normal']).toBe(0);
    expect(newer['pgalloc_normal']).toBe(4839906);
  });

  it('keeps a counter named like an Object method as plain data', () => {
    const { value, problems } = parseVmstat('constructor 5\ntoString 6\n');
    expect(problems).toEqual([]);
    expect(value['constructor']).toBe(5);
    expect(value['toString']).toBe(6);
  });

  it('reports an unrecognised line', () => {
    const { value, problems } = parseVmstat('nr_free_pages 5\nnr_dirty abc\nfoo 1 2\n');
    expect(value).toEqual({ nr_free_pages: 5 });
    expect(problems).toEqual([
      { file: 'vmstat', line: 2, message: 'unrecognised line: "nr_dirty abc"' },
      { file: 'vmstat', line: 3, message: 'unrecognised line: "foo 1 2"' },
    ]);
  });

  it('keeps the first value of a repeated counter and reports the repeat', () => {
    const { value, problems } = parseVmstat('nr_unstable 0\n\nnr_unstable 7\n', 'fx/vmstat');
    expect(value).toEqual({ nr_unstable: 0 });
    expect(problems).toEqual([{ file: 'fx/vmstat', line: 3, message: 'duplicate counter "nr_unstable"' }]);
  });
});

describe('parseMeminfo', () => {
  it('reads this machine’s 6.18 capture', () => {
    const { value, problems } = parseMeminfo(fixture(MEMINFO_SAMPLE));
    expect(problems).toEqual([]);
    expect(Object.keys(value)).toHaveLength(54);
    expect(value['MemTotal']).toBe(24684096);
    expect(value['MemFree']).toBe(24323684);
    expect(value['Active(anon)']).toBe(1544);
    expect(value['HugePages_Total']).toBe(0);
    expect(value['Hugepagesize']).toBe(2048);
    expect(value['DirectMap1G']).toBe(25165824);
  });

  it('reads kB values as printed and unit-less counts', () => {
    const text =
      'MemTotal:       16384 kB\nHighTotal:      131008 kB\nHugePages_Total:    12\nHugePages_Free:  3\n';
    expect(parseMeminfo(text)).toEqual({
      value: { MemTotal: 16384, HighTotal: 131008, HugePages_Total: 12, HugePages_Free: 3 },
      problems: [],
    });
  });

  it('reports an unexpected unit', () => {
    const { value, problems } = parseMeminfo('MemTotal:  16 MB\n');
    expect(value).toEqual({});
    expect(problems).toEqual([{ file: 'meminfo', line: 1, message: 'unexpected unit "MB" for MemTotal' }]);
  });

  it('reports an unrecognised line', () => {
    const { problems } = parseMeminfo('MemTotal: 5 kB\nMemFree 3 kB\nSwapTotal: -1 kB\n');
    expect(problems).toEqual([
      { file: 'meminfo', line: 2, message: 'unrecognised line: "MemFree 3 kB"' },
      { file: 'meminfo', line: 3, message: 'unrecognised line: "SwapTotal: -1 kB"' },
    ]);
  });
});

describe('counter parsers never throw', () => {
  const texts = [...VMSTAT_SAMPLES.map(([n]) => n), MEMINFO_SAMPLE].map(fixture);
  it('return finite numbers and in-range problems for any input', () => {
    fc.assert(
      fc.property(anyInput(texts), (text) => {
        for (const { value, problems } of [parseVmstat(text), parseMeminfo(text)]) {
          expect(Array.isArray(problems)).toBe(true);
          expect(allNumbers(value).every(Number.isFinite)).toBe(true);
          expect(problemsPointInside(problems, text)).toBe(true);
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
