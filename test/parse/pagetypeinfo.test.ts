// Tests for the /proc/pagetypeinfo parser.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parsePageTypeInfo } from '../../src/parse/pagetypeinfo.js';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';
import type { PageTypeInfo } from '../../src/parse/types.js';
import { allNumbers, anyInput, fixture, problemsPointInside, PROPERTY_RUNS } from './helpers.js';

const SAMPLES = [
  'samples/pagetypeinfo-4.4plus-x86-1node-highatomic-isolate-jc-fixture.txt',
  'samples/pagetypeinfo-arm32-3.4-android-highmem-reserve.txt',
  'centos9-5.14-vm/proc/pagetypeinfo',
  'ubuntu-3.2/proc/pagetypeinfo',
  'samples/pagetypeinfo-x86-highatomic-nonzero-cma-myblackhole-notes.txt',
  'samples/pagetypeinfo-x86-numa2-mirror-patched-reserve-3.x-header-repeats-per-node.txt',
  'samples/pagetypeinfo-6.18-x86-local-capture.txt',
];

const NO_CAP = Array<boolean>(11).fill(false);

function freeRow(info: PageTypeInfo, node: number, zone: string, type: string) {
  return info.free.find((r) => r.node === node && r.zone === zone && r.type === type);
}
function blockRow(info: PageTypeInfo, node: number, zone: string) {
  return info.blocks.find((r) => r.node === node && r.zone === zone)?.blocksByType;
}

describe('parsePageTypeInfo on real samples', () => {
  it.each(SAMPLES)('%s parses without problems', (name) => {
    const { value, problems } = parsePageTypeInfo(fixture(name));
    expect(problems).toEqual([]);
    expect(value.free.length).toBe(value.migrateTypes.length * value.blocks.length);
    for (const row of value.free) {
      expect(row.freeBlocksByOrder).toHaveLength(11);
      expect(row.atLeast).toEqual(NO_CAP);
    }
  });

  it('reads the 4.4+ layout (HighAtomic, Isolate, no CMA)', () => {
    const { value } = parsePageTypeInfo(fixture(SAMPLES[0] ?? ''));
    expect(value.pageblockOrder).toBe(9);
    expect(value.pagesPerBlock).toBe(512);
    expect(value.migrateTypes).toEqual(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate']);
    expect(value.free).toHaveLength(15);
    expect(freeRow(value, 0, 'DMA32', 'Movable')).toEqual({
      node: 0,
      zone: 'DMA32',
      type: 'Movable',
      freeBlocksByOrder: [20, 52, 78, 47, 32, 23, 11, 9, 2, 2, 629],
      atLeast: NO_CAP,
    });
    expect(blockRow(value, 0, 'DMA32')).toEqual({
      Unmovable: 8,
      Movable: 1472,
      Reclaimable: 48,
      HighAtomic: 0,
      Isolate: 0,
    });
  });

  it('reads 32-bit ARM 3.4: page block order 10, Reserve, HighMem', () => {
    const { value } = parsePageTypeInfo(
      fixture('samples/pagetypeinfo-arm32-3.4-android-highmem-reserve.txt'),
    );
    expect(value.pageblockOrder).toBe(10);
    expect(value.pagesPerBlock).toBe(1024);
    expect(value.migrateTypes).toEqual(['Unmovable', 'Reclaimable', 'Movable', 'Reserve', 'Isolate']);
    expect(freeRow(value, 0, 'HighMem', 'Reserve')?.freeBlocksByOrder).toEqual([
      9, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
    expect(blockRow(value, 0, 'HighMem')).toEqual({
      Unmovable: 25,
      Reclaimable: 0,
      Movable: 102,
      Reserve: 1,
      Isolate: 0,
    });
  });

  it('reads CentOS 9 with all six types', () => {
    const { value } = parsePageTypeInfo(fixture('centos9-5.14-vm/proc/pagetypeinfo'));
    expect(value.migrateTypes).toEqual([
      'Unmovable',
      'Movable',
      'Reclaimable',
      'HighAtomic',
      'CMA',
      'Isolate',
    ]);
    expect(freeRow(value, 0, 'DMA32', 'Movable')?.freeBlocksByOrder).toEqual([
      5371, 2097, 820, 400, 91, 151, 76, 34, 15, 14, 4,
    ]);
    expect(blockRow(value, 0, 'DMA32')).toEqual({
      Unmovable: 171,
      Movable: 309,
      Reclaimable: 24,
      HighAtomic: 0,
      CMA: 0,
      Isolate: 0,
    });
  });

  it('reads Ubuntu 3.2 (Reserve, pre-4.4 type order)', () => {
    const { value } = parsePageTypeInfo(fixture('ubuntu-3.2/proc/pagetypeinfo'));
    expect(value.migrateTypes).toEqual(['Unmovable', 'Reclaimable', 'Movable', 'Reserve', 'Isolate']);
    expect(freeRow(value, 0, 'Normal', 'Movable')?.freeBlocksByOrder).toEqual([
      5862, 19732, 10114, 4424, 1648, 829, 279, 138, 67, 35, 276,
    ]);
    expect(blockRow(value, 0, 'Normal')).toEqual({
      Unmovable: 280,
      Reclaimable: 108,
      Movable: 2026,
      Reserve: 2,
      Isolate: 0,
    });
  });

  it('reads non-zero HighAtomic from a copy without trailing blanks', () => {
    const { value } = parsePageTypeInfo(
      fixture('samples/pagetypeinfo-x86-highatomic-nonzero-cma-myblackhole-notes.txt'),
    );
    expect(freeRow(value, 0, 'Normal', 'HighAtomic')?.freeBlocksByOrder).toEqual([
      4, 22, 42, 56, 38, 16, 1, 4, 1, 0, 0,
    ]);
    expect(blockRow(value, 0, 'Normal')?.['HighAtomic']).toBe(23);
  });

  it('reads a header block that repeats per NUMA node, with a vendor type', () => {
    const { value } = parsePageTypeInfo(
      fixture('samples/pagetypeinfo-x86-numa2-mirror-patched-reserve-3.x-header-repeats-per-node.txt'),
    );
    expect(value.pageblockOrder).toBe(9);
    expect(value.pagesPerBlock).toBe(512);
    expect(value.migrateTypes).toEqual([
      'Unmovable',
      'Reclaimable',
      'Movable',
      'Mirror',
      'Reserve',
      'Isolate',
    ]);
    expect(value.free).toHaveLength(24);
    expect(value.blocks.map((b) => [b.node, b.zone])).toEqual([
      [0, 'DMA'],
      [0, 'DMA32'],
      [0, 'Normal'],
      [1, 'Normal'],
    ]);
    expect(freeRow(value, 1, 'Normal', 'Mirror')?.freeBlocksByOrder).toEqual([
      68, 94, 57, 6, 8, 1, 0, 0, 3, 1, 2003,
    ]);
    expect(blockRow(value, 1, 'Normal')).toEqual({
      Unmovable: 0,
      Reclaimable: 0,
      Movable: 8190,
      Mirror: 4096,
      Reserve: 2,
      Isolate: 0,
    });
  });

  // These two captures were taken with the buddyinfo beside them and nothing moved in between:
  // per order, the types add up to the zone's buddy count.
  it.each([
    ['centos9-5.14-vm/proc/pagetypeinfo', 'centos9-5.14-vm/proc/buddyinfo'],
    ['ubuntu-3.2/proc/pagetypeinfo', 'ubuntu-3.2/proc/buddyinfo'],
  ])('%s sums per order to %s', (ptName, buddyName) => {
    const pt = parsePageTypeInfo(fixture(ptName)).value;
    const buddy = parseBuddyInfo(fixture(buddyName)).value;
    for (const zone of buddy.zones) {
      const rows = pt.free.filter((r) => r.node === zone.node && r.zone === zone.zone);
      expect(rows).toHaveLength(pt.migrateTypes.length);
      const sums = zone.freeBlocksByOrder.map((_, o) =>
        rows.reduce((s, r) => s + (r.freeBlocksByOrder[o] ?? 0), 0),
      );
      expect(sums).toEqual(zone.freeBlocksByOrder);
    }
  });
});

const HEADER = [
  'Page block order: 9',
  'Pages per block:  512',
  '',
  'Free pages count per migrate type at order       0      1      2 ',
];

describe('parsePageTypeInfo on shapes the samples lack', () => {
  it('reads >100000 cells as a lower bound of 100000', () => {
    const text = [
      ...HEADER,
      'Node    0, zone   Normal, type      Movable >100000  54321 >100000 ',
      'Node    0, zone   Normal, type    Unmovable     12      0      3 ',
      '',
      'Number of blocks type     Unmovable      Movable ',
      'Node 0, zone   Normal          120        30000 ',
    ].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(problems).toEqual([]);
    expect(value.free[0]).toEqual({
      node: 0,
      zone: 'Normal',
      type: 'Movable',
      freeBlocksByOrder: [100000, 54321, 100000],
      atLeast: [true, false, true],
    });
    expect(value.free[1]?.atLeast).toEqual([false, false, false]);
    expect(value.blocks).toEqual([
      { node: 0, zone: 'Normal', blocksByType: { Unmovable: 120, Movable: 30000 } },
    ]);
  });

  it('ignores the "Number of mixed blocks" section', () => {
    const text = [
      ...HEADER,
      'Node    0, zone      DMA, type    Unmovable      0      1      2 ',
      '',
      'Number of blocks type     Unmovable ',
      'Node 0, zone      DMA            1 ',
      '',
      'Number of mixed blocks    Unmovable ',
      'Node 0, zone      DMA            7 ',
    ].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(problems).toEqual([]);
    expect(value.blocks).toEqual([{ node: 0, zone: 'DMA', blocksByType: { Unmovable: 1 } }]);
  });

  it('leaves pageblock fields undefined without a header, and takes types from the rows', () => {
    const { value, problems } = parsePageTypeInfo('Node    0, zone DMA, type Movable 1 2\n');
    expect(problems).toEqual([]);
    expect(value.pageblockOrder).toBeUndefined();
    expect(value.pagesPerBlock).toBeUndefined();
    expect(value.migrateTypes).toEqual(['Movable']);
  });

  it('gives empty lists for empty input', () => {
    expect(parsePageTypeInfo('')).toEqual({
      value: { migrateTypes: [], free: [], blocks: [] },
      problems: [],
    });
  });
});

describe('parsePageTypeInfo on malformed lines', () => {
  it('skips a free row with a bad cell', () => {
    const text = [...HEADER, 'Node    0, zone   Normal, type      Movable     1     2x     3'].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(value.free).toEqual([]);
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 5, message: 'bad free count "2x" for Normal Movable' },
    ]);
  });

  it('skips a free row with no cells', () => {
    const { problems } = parsePageTypeInfo('Node    0, zone   Normal, type      Movable\n');
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 1, message: 'no free counts for Normal Movable' },
    ]);
  });

  it('keeps but reports a free row whose order count differs from the header', () => {
    const text = [...HEADER, 'Node    0, zone   Normal, type      Movable     1     2'].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(value.free[0]?.freeBlocksByOrder).toEqual([1, 2]);
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 5, message: 'Normal Movable has 2 orders, header has 3' },
    ]);
  });

  it('reports a free-pages header whose orders are not 0, 1, 2, ...', () => {
    const { problems } = parsePageTypeInfo('Free pages count per migrate type at order 0 1 3\n');
    expect(problems).toEqual([
      {
        file: 'pagetypeinfo',
        line: 1,
        message: 'bad order list in free-pages header: "Free pages count per migrate type at order 0 1 3"',
      },
    ]);
  });

  it('skips a block row whose count of columns differs from the header', () => {
    const text = [
      'Number of blocks type     Unmovable      Movable',
      'Node 0, zone   Normal   1   2   3',
    ].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(value.blocks).toEqual([]);
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 2, message: 'Normal has 3 block counts, header has 2 types' },
    ]);
  });

  it('skips a block row with a bad count', () => {
    const text = ['Number of blocks type     Unmovable      Movable', 'Node 0, zone   Normal   1   >2'].join(
      '\n',
    );
    const { problems } = parsePageTypeInfo(text);
    expect(problems).toEqual([{ file: 'pagetypeinfo', line: 2, message: 'bad block count ">2" for Normal' }]);
  });

  it('skips a block row before any block header', () => {
    const { problems } = parsePageTypeInfo('Node 0, zone   Normal   1   2\n');
    expect(problems).toEqual([
      {
        file: 'pagetypeinfo',
        line: 1,
        message: 'block-count row before its header: "Node 0, zone   Normal   1   2"',
      },
    ]);
  });

  it('reports a block header with no types', () => {
    const { problems } = parsePageTypeInfo('Number of blocks type\n');
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 1, message: 'no migrate types in "Number of blocks type" header' },
    ]);
  });

  it('keeps the first page block order when a later node disagrees', () => {
    const text = [
      'Page block order: 9',
      'Pages per block:  512',
      'Page block order: 10',
      'Pages per block:  1024',
    ].join('\n');
    const { value, problems } = parsePageTypeInfo(text);
    expect(value.pageblockOrder).toBe(9);
    expect(value.pagesPerBlock).toBe(512);
    expect(problems).toEqual([
      { file: 'pagetypeinfo', line: 3, message: 'page block order 10 differs from 9 seen earlier' },
      { file: 'pagetypeinfo', line: 4, message: 'pages per block 1024 differs from 512 seen earlier' },
    ]);
  });

  it('reports an unrecognised line', () => {
    const { problems } = parsePageTypeInfo('Page block order: nine\n', 'x/pagetypeinfo');
    expect(problems).toEqual([
      { file: 'x/pagetypeinfo', line: 1, message: 'unrecognised line: "Page block order: nine"' },
    ]);
  });
});

describe('parsePageTypeInfo never throws', () => {
  const texts = SAMPLES.map(fixture);
  it('returns arrays and finite numbers for any input', () => {
    fc.assert(
      fc.property(anyInput(texts), (text) => {
        const { value, problems } = parsePageTypeInfo(text);
        expect(Array.isArray(problems)).toBe(true);
        expect(Array.isArray(value.migrateTypes)).toBe(true);
        expect(Array.isArray(value.free)).toBe(true);
        expect(Array.isArray(value.blocks)).toBe(true);
        for (const r of value.free) {
          expect(Array.isArray(r.freeBlocksByOrder)).toBe(true);
          expect(r.atLeast).toHaveLength(r.freeBlocksByOrder.length);
        }
        expect(allNumbers(value).every(Number.isFinite)).toBe(true);
        expect(problemsPointInside(problems, text)).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
