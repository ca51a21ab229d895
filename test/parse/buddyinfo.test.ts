// Tests for the /proc/buddyinfo parser.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';
import { allNumbers, anyInput, fixture, problemsPointInside, PROPERTY_RUNS } from './helpers.js';

const SAMPLES = [
  'arm32-2.6.16-slab/proc/buddyinfo',
  'samples/buddyinfo-arm32-3.4-android-normal-highmem.txt',
  'centos7-numa-k8s/proc/buddyinfo',
  'centos9-5.14-vm/proc/buddyinfo',
  'ubuntu-3.2/proc/buddyinfo',
  'samples/buddyinfo-x86-1node-3zones-node-exporter-fixture.txt',
  'samples/buddyinfo-x86-1node-jc-fixture.txt',
  'samples/buddyinfo-x86-myblackhole-notes.txt',
  'samples/buddyinfo-6.18-x86-local-capture.txt',
];

describe('parseBuddyInfo on real samples', () => {
  it.each(SAMPLES)('%s parses without problems, 11 orders per zone', (name) => {
    const { value, problems } = parseBuddyInfo(fixture(name));
    expect(problems).toEqual([]);
    expect(value.zones.length).toBeGreaterThan(0);
    for (const z of value.zones) expect(z.freeBlocksByOrder).toHaveLength(11);
  });

  it('reads both nodes of the CentOS 7 k8s node, 6-digit counts and a missing trailing blank', () => {
    const { value } = parseBuddyInfo(fixture('centos7-numa-k8s/proc/buddyinfo'));
    expect(value.zones.map((z) => [z.node, z.zone])).toEqual([
      [0, 'DMA'],
      [0, 'DMA32'],
      [0, 'Normal'],
      [1, 'Normal'],
    ]);
    expect(value.zones[2]?.freeBlocksByOrder).toEqual([
      104076, 127563, 70473, 24828, 7589, 1506, 176, 5550, 5297, 0, 0,
    ]);
    expect(value.zones[3]?.freeBlocksByOrder).toEqual([
      108359, 115466, 52431, 12910, 3762, 796, 185, 69, 1147, 0, 0,
    ]);
  });

  it('reads a DMA-only 2.6.16 board', () => {
    const { value } = parseBuddyInfo(fixture('arm32-2.6.16-slab/proc/buddyinfo'));
    expect(value.zones).toEqual([
      { node: 0, zone: 'DMA', freeBlocksByOrder: [8, 7, 5, 3, 4, 5, 2, 1, 1, 1, 4] },
    ]);
  });

  it('reads HighMem on 32-bit ARM', () => {
    const { value } = parseBuddyInfo(fixture('samples/buddyinfo-arm32-3.4-android-normal-highmem.txt'));
    expect(value.zones[1]).toEqual({
      node: 0,
      zone: 'HighMem',
      freeBlocksByOrder: [614, 883, 402, 207, 76, 25, 6, 4, 1, 1, 6],
    });
  });

  it('reads a copy whose trailing blanks were stripped', () => {
    const { value } = parseBuddyInfo(fixture('samples/buddyinfo-x86-myblackhole-notes.txt'));
    expect(value.zones[1]?.freeBlocksByOrder).toEqual([258, 253, 133, 122, 89, 48, 9, 4, 4, 8, 6]);
  });
});

describe('parseBuddyInfo on shapes the samples lack', () => {
  it('reads values that touch (6 and 7 digits)', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone   Normal 182501  73608 1234567 100000 \n');
    expect(problems).toEqual([]);
    expect(value.zones[0]?.freeBlocksByOrder).toEqual([182501, 73608, 1234567, 100000]);
  });

  it('reads 14 orders (arm64 with 64 KiB pages)', () => {
    const text = 'Node 0, zone   Normal ' + Array.from({ length: 14 }, (_, i) => `${i + 1} `).join('') + '\n';
    const { value, problems } = parseBuddyInfo(text);
    expect(problems).toEqual([]);
    expect(value.zones[0]?.freeBlocksByOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('skips blank lines and order legends silently, and reads CRLF text', () => {
    const text = [
      'Order                   0      1      2',
      '',
      'Node 0, zone      DMA      1      2      3 ',
      '   0 1 2',
      'Node 1, zone   Normal      4      5      6',
      '',
    ].join('\r\n');
    const { value, problems } = parseBuddyInfo(text);
    expect(problems).toEqual([]);
    expect(value.zones).toEqual([
      { node: 0, zone: 'DMA', freeBlocksByOrder: [1, 2, 3] },
      { node: 1, zone: 'Normal', freeBlocksByOrder: [4, 5, 6] },
    ]);
  });

  it('gives an empty list for empty input', () => {
    expect(parseBuddyInfo('')).toEqual({ value: { zones: [] }, problems: [] });
  });
});

describe('parseBuddyInfo on malformed lines', () => {
  it('reports an unrecognised line with its number and skips it', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone DMA 1 2\ngarbage here\n');
    expect(value.zones).toHaveLength(1);
    expect(problems).toEqual([{ file: 'buddyinfo', line: 2, message: 'unrecognised line: "garbage here"' }]);
  });

  it('reports a legend whose orders are not 0, 1, 2, ...', () => {
    const { problems } = parseBuddyInfo('Order 0 2 3\n');
    expect(problems).toEqual([{ file: 'buddyinfo', line: 1, message: 'unrecognised line: "Order 0 2 3"' }]);
  });

  it('skips a row with a non-numeric count', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone DMA 1 2 x 4\n', 'fixture/buddyinfo');
    expect(value.zones).toEqual([]);
    expect(problems).toEqual([
      { file: 'fixture/buddyinfo', line: 1, message: 'bad free count "x" for node 0 zone DMA' },
    ]);
  });

  it('skips a negative count', () => {
    const { problems } = parseBuddyInfo('\nNode 0, zone DMA 1 -2\n');
    expect(problems).toEqual([
      { file: 'buddyinfo', line: 2, message: 'bad free count "-2" for node 0 zone DMA' },
    ]);
  });

  it('skips a zone with no counts', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone      DMA \n');
    expect(value.zones).toEqual([]);
    expect(problems).toEqual([{ file: 'buddyinfo', line: 1, message: 'no free counts for node 0 zone DMA' }]);
  });

  it('keeps but reports a zone whose order count differs from the others', () => {
    const text = ['Node 0, zone DMA 1 2 3', 'Node 0, zone DMA32 1 2', 'Node 0, zone Normal 4 5 6', ''].join(
      '\n',
    );
    const { value, problems } = parseBuddyInfo(text);
    expect(value.zones.map((z) => z.freeBlocksByOrder)).toEqual([
      [1, 2, 3],
      [1, 2],
      [4, 5, 6],
    ]);
    expect(problems).toEqual([
      { file: 'buddyinfo', line: 2, message: 'node 0 zone DMA32 has 2 orders, other zones have 3' },
    ]);
  });
});

describe('parseBuddyInfo: what no kernel prints', () => {
  it('reports a file cut short mid-line', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone DMA 1 2 3\nNode 0, zone Normal 4 5');
    expect(value.zones).toHaveLength(2);
    expect(problems).toContainEqual({
      file: 'buddyinfo',
      line: 2,
      message: 'the file ends mid-line: it was cut short',
    });
  });

  it('counts a zone listed twice once, and says so', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone Normal 4 5 6\nNode 0, zone Normal 7 8 9\n');
    expect(value.zones.map((z) => z.freeBlocksByOrder)).toEqual([[4, 5, 6]]);
    expect(problems).toEqual([
      {
        file: 'buddyinfo',
        line: 2,
        message: 'node 0 zone Normal appears twice (lines 1 and 2): the second is not counted',
      },
    ]);
  });

  it('refuses a count larger than any machine could have', () => {
    const { value, problems } = parseBuddyInfo('Node 0, zone Normal 4 99999999999999999999999 6\n');
    expect(value.zones).toEqual([]);
    expect(problems[0]?.message).toMatch(
      /^free count "99999999999999999999999" for node 0 zone Normal is more than any kernel can have/,
    );
  });
});

describe('parseBuddyInfo never throws', () => {
  const texts = SAMPLES.map(fixture);
  it('returns arrays and finite numbers for any input', () => {
    fc.assert(
      fc.property(anyInput(texts), (text) => {
        const { value, problems } = parseBuddyInfo(text);
        expect(Array.isArray(value.zones)).toBe(true);
        expect(Array.isArray(problems)).toBe(true);
        for (const z of value.zones) expect(Array.isArray(z.freeBlocksByOrder)).toBe(true);
        expect(allNumbers(value).every(Number.isFinite)).toBe(true);
        expect(problemsPointInside(problems, text)).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
