/// <reference types="vite/client" />
// Tests for the kernel's unusable / fragmentation indices and the debugfs extfrag parser.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  contigPageInfo,
  fragmentationIndex,
  indexPerOrder,
  parseDebugfsExtfrag,
  toDebugfs,
  unusableIndex,
} from '../../src/analyze/fragmentation-index.js';
import k8sBuddy from '../../fixtures/centos7-numa-k8s/proc/buddyinfo?raw';
import c9Buddy from '../../fixtures/centos9-5.14-vm/proc/buddyinfo?raw';
import c9Zoneinfo from '../../fixtures/centos9-5.14-vm/proc/zoneinfo?raw';
import { buddyRow, zoneinfoField } from './sample-data.js';

describe('3.10 (CentOS 7, NUMA, fragmented k8s node) buddyinfo', () => {
  const node0Normal = buddyRow(k8sBuddy, 0, 'Normal');
  const node1Normal = buddyRow(k8sBuddy, 1, 'Normal');

  it('fill_contig_page_info at order 6', () => {
    // nr_free = [104076, 127563, 70473, 24828, 7589, 1506, 176, 5550, 5297, 0, 0]
    // free_pages = 104076 + 127563·2 + 70473·4 + 24828·8 + 7589·16 + 1506·32 + 176·64 + 5550·128 + 5297·256
    //            = 104076 + 255126 + 281892 + 198624 + 121424 + 48192 + 11264 + 710400 + 1356032 = 3087030
    // free_blocks_total = Σ nr_free = 347058
    // suitable(6) = 176 + 5550·2 + 5297·4 = 176 + 11100 + 21188 = 32464
    expect(contigPageInfo(node0Normal, 6)).toEqual({
      freePages: 3087030,
      freeBlocksTotal: 347058,
      freeBlocksSuitable: 32464,
    });
  });

  it('unusable index at order 6 and fragmentation index at order 9, by hand', () => {
    // unusable(6) = (3087030 − 32464·64)·1000 / 3087030 = (3087030 − 2077696)·1000 / 3087030
    //             = 1009334000 / 3087030 = 326.96… → 326
    expect(unusableIndex(node0Normal, 6)).toBe(326);
    // order 9: no block of order ≥ 9, so suitable = 0 and
    // frag(9) = 1000 − (1000 + 3087030000/512) / 347058 = 1000 − (1000 + 6029355) / 347058
    //         = 1000 − 6030355 / 347058 = 1000 − 17 = 983
    expect(fragmentationIndex(node0Normal, 9)).toBe(983);
  });

  it('per order, both nodes (what debugfs would print ×1000)', () => {
    expect(indexPerOrder(node0Normal, unusableIndex)).toEqual([
      0, 33, 116, 207, 272, 311, 326, 330, 560, 1000, 1000,
    ]);
    expect(indexPerOrder(node0Normal, fragmentationIndex)).toEqual([
      -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, 983, 992,
    ]);
    // Node 1: free_pages 1052263, 295125 blocks; order 9: 1000 − (1000 + 1052263000/512)/295125
    //   = 1000 − (1000 + 2055201)/295125 = 1000 − 6 = 994
    expect(indexPerOrder(node1Normal, unusableIndex)).toEqual([
      0, 102, 322, 521, 619, 677, 701, 712, 720, 1000, 1000,
    ]);
    expect(indexPerOrder(node1Normal, fragmentationIndex)).toEqual([
      -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, 994, 997,
    ]);
  });
});

describe('the seed report (3.10.0-514 Mem-Info, Node 0 Normal, order-6 failure)', () => {
  // `34178*4kB 20118*8kB 412*16kB 115*32kB 46*64kB 6*128kB 0*256kB …` — the table of formulas.md §3.
  const normal = [34178, 20118, 412, 115, 46, 6, 0, 0, 0, 0, 0];

  it('matches the documented table', () => {
    expect(contigPageInfo(normal, 6)).toEqual({
      freePages: 77910,
      freeBlocksTotal: 54875,
      freeBlocksSuitable: 0,
    });
    expect(indexPerOrder(normal, fragmentationIndex).slice(0, 8)).toEqual([
      -1000, -1000, -1000, -1000, -1000, -1000, 978, 989,
    ]);
    expect(indexPerOrder(normal, unusableIndex).slice(0, 8)).toEqual([
      0, 438, 955, 976, 988, 997, 1000, 1000,
    ]);
    expect([0, 1, 2, 3, 4, 5, 6].map((o) => contigPageInfo(normal, o).freeBlocksSuitable)).toEqual([
      77910, 21866, 874, 231, 58, 6, 0,
    ]);
  });
});

describe('4.4+ (CentOS Stream 9, 5.14) buddyinfo', () => {
  const dma32 = buddyRow(c9Buddy, 0, 'DMA32');

  it('free pages agree with zoneinfo and the indices are the kernel numbers', () => {
    expect(contigPageInfo(dma32, 0).freePages).toBe(zoneinfoField(c9Zoneinfo, 0, 'DMA32', 'pages free'));
    expect(contigPageInfo(dma32, 0).freePages).toBe(59214);
    // order 10: (59214 − 4·1024)·1000 / 59214 = 55118000 / 59214 = 930.8 → 930
    expect(indexPerOrder(dma32, unusableIndex)).toEqual([0, 90, 161, 217, 273, 303, 388, 472, 584, 749, 930]);
    expect(indexPerOrder(dma32, fragmentationIndex)).toEqual(new Array(11).fill(-1000));
  });
});

describe('a zone with nothing free', () => {
  // CentOS 9's zoneinfo lists Normal with `pages free 0`; its buddyinfo row would be all zeros.
  const empty = new Array<number>(11).fill(0);

  it('is all unusable (1000) and has fragmentation index 0', () => {
    expect(zoneinfoField(c9Zoneinfo, 0, 'Normal', 'pages free')).toBe(0);
    expect(contigPageInfo(empty, 3)).toEqual({ freePages: 0, freeBlocksTotal: 0, freeBlocksSuitable: 0 });
    expect(indexPerOrder(empty, unusableIndex)).toEqual(new Array(11).fill(1000));
    expect(indexPerOrder(empty, fragmentationIndex)).toEqual(new Array(11).fill(0));
  });
});

describe('14 orders (arm64 with 64 KiB pages)', () => {
  const withTop = buddyRow(
    'Node 0, zone   Normal    120     60     30     10      5      2      1      0      0      0      0      0      0      1 ',
    0,
    'Normal',
  );
  const withoutTop = [...withTop.slice(0, 13), 0];

  it('uses every order, up to 13 (512 MiB blocks)', () => {
    expect(withTop).toHaveLength(14);
    // free_pages = 120 + 60·2 + 30·4 + 10·8 + 5·16 + 2·32 + 1·64 + 1·8192 = 8840; 229 blocks.
    expect(contigPageInfo(withTop, 13)).toEqual({
      freePages: 8840,
      freeBlocksTotal: 229,
      freeBlocksSuitable: 1,
    });
    // unusable(13) = (8840 − 8192)·1000 / 8840 = 648000 / 8840 = 73.3 → 73
    expect(unusableIndex(withTop, 13)).toBe(73);
    expect(fragmentationIndex(withTop, 13)).toBe(-1000);
    expect(indexPerOrder(withTop, unusableIndex)).toEqual([
      0, 13, 27, 40, 49, 58, 66, 73, 73, 73, 73, 73, 73, 73,
    ]);
  });

  it('without the order-13 block the high orders are fragmented', () => {
    // free_pages 648, 228 blocks; order 7: 1000 − (1000 + 648000/128)/228 = 1000 − (1000 + 5062)/228 = 1000 − 26 = 974
    // order 13: 1000 − (1000 + 648000/8192)/228 = 1000 − 1079/228 = 1000 − 4 = 996
    expect(indexPerOrder(withoutTop, fragmentationIndex)).toEqual([
      -1000, -1000, -1000, -1000, -1000, -1000, -1000, 974, 985, 991, 993, 995, 995, 996,
    ]);
    expect(indexPerOrder(withoutTop, unusableIndex)).toEqual([
      0, 185, 370, 555, 679, 802, 901, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
    ]);
  });
});

describe('small counts and display', () => {
  it('goes below zero with fewer than 1000 free blocks, as the kernel does', () => {
    // One free page asked about order 1: 1000 − (1000 + 1000/2)/1 = −500 (debugfs prints `0.-500`).
    expect(fragmentationIndex([1], 1)).toBe(-500);
    expect(toDebugfs(-500)).toBe(-0.5);
  });

  it('shows thousandths as debugfs does', () => {
    expect(toDebugfs(-1000)).toBe(-1);
    expect(toDebugfs(512)).toBe(0.512);
    expect(toDebugfs(0)).toBe(0);
    expect(toDebugfs(1000)).toBe(1);
    expect(toDebugfs(978)).toBe(Number('0.978'));
  });

  it('an order beyond the row has nothing suitable', () => {
    expect(contigPageInfo([4, 2], 5)).toEqual({ freePages: 8, freeBlocksTotal: 6, freeBlocksSuitable: 0 });
    expect(unusableIndex([4, 2], 5)).toBe(1000);
    // 1000 − (1000 + 8000/32)/6 = 1000 − 1250/6 = 1000 − 208 = 792
    expect(fragmentationIndex([4, 2], 5)).toBe(792);
  });
});

describe('index ranges (property)', () => {
  const freeArray = fc.array(fc.oneof(fc.nat(10), fc.nat(1_000_000_000)), { minLength: 0, maxLength: 16 });
  const order = fc.nat(17);

  it('unusable index is an integer in 0..1000', () => {
    fc.assert(
      fc.property(freeArray, order, (free, o) => {
        const v = unusableIndex(free, o);
        return Number.isInteger(v) && v >= 0 && v <= 1000;
      }),
    );
  });

  it('fragmentation index is −1000 exactly when a block is free, else an integer in (−1000, 1000]', () => {
    fc.assert(
      fc.property(freeArray, order, (free, o) => {
        const v = fragmentationIndex(free, o);
        const { freeBlocksTotal, freeBlocksSuitable } = contigPageInfo(free, o);
        if (!Number.isInteger(v)) return false;
        if (freeBlocksTotal === 0) return v === 0;
        if (freeBlocksSuitable > 0) return v === -1000;
        return v > -1000 && v <= 1000;
      }),
    );
  });

  it('odd inputs (negative, fractional, NaN) never leave the range', () => {
    const odd = fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 14 });
    fc.assert(
      fc.property(odd, fc.integer({ min: -3, max: 20 }), (free, o) => {
        const u = unusableIndex(free, o);
        const f = fragmentationIndex(free, o);
        return u >= 0 && u <= 1000 && f >= -1000 && f <= 1000;
      }),
    );
  });
});

describe('parseDebugfsExtfrag', () => {
  it('reads the `%d.%03d` layout (unusable_index, extfrag_index ≤ 5.x)', () => {
    const text = [
      'Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.066 0.200 ',
      'Node 0, zone   Normal 0.000 0.002 0.007 0.043 0.105 0.189 0.297 0.415 0.546 0.644 0.734 ',
      '',
    ].join('\n');
    const { value, problems } = parseDebugfsExtfrag(text, 'unusable_index');
    expect(problems).toEqual([]);
    expect(value).toEqual([
      {
        node: 0,
        zone: 'DMA',
        kernelValues: [0, 0, 0, 0, 0, 0, 0, 0, 0, 66, 200],
        values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.066, 0.2],
      },
      {
        node: 0,
        zone: 'Normal',
        kernelValues: [0, 2, 7, 43, 105, 189, 297, 415, 546, 644, 734],
        values: [0, 0.002, 0.007, 0.043, 0.105, 0.189, 0.297, 0.415, 0.546, 0.644, 0.734],
      },
    ]);
  });

  it('reads the padded `%2d.%03d` layout (extfrag_index 6.1+), −1.000 and the `0.-500` form', () => {
    const text =
      'Node 0, zone    DMA32 -1.000 -1.000  0.512  0.978  1.000 0.-500 0.-05 \n' +
      'Node 1, zone   Normal -1.000  0.000 \n';
    const { value, problems } = parseDebugfsExtfrag(text, 'extfrag_index');
    expect(problems).toEqual([]);
    expect(value.map((z) => [z.node, z.zone, z.kernelValues, z.values])).toEqual([
      [0, 'DMA32', [-1000, -1000, 512, 978, 1000, -500, -5], [-1, -1, 0.512, 0.978, 1, -0.5, -0.005]],
      [1, 'Normal', [-1000, 0], [-1, 0]],
    ]);
  });

  it('reports and skips odd lines', () => {
    const text = [
      'Node 0, zone   Normal 0.000 0.5 0.100',
      'garbage here',
      'Node 0, zone      DMA',
      'Node 0, zone    DMA32 0.000 1.000',
    ].join('\n');
    const { value, problems } = parseDebugfsExtfrag(text, 'extfrag_index');
    expect(value).toEqual([{ node: 0, zone: 'DMA32', kernelValues: [0, 1000], values: [0, 1] }]);
    expect(problems).toEqual([
      { file: 'extfrag_index', line: 1, message: 'bad value "0.5"' },
      { file: 'extfrag_index', line: 2, message: 'not a "Node N, zone NAME" row: garbage here' },
      { file: 'extfrag_index', line: 3, message: 'row has no values' },
    ]);
  });

  // C's `%d.%03d` of index/1000 and index%1000 (both truncate toward zero, like JS's Math.trunc and %).
  const cPrint = (index: number, padded: boolean): string => {
    const q = Math.trunc(index / 1000);
    const r = index % 1000;
    const frac = r < 0 ? `-${String(-r).padStart(2, '0')}` : String(r).padStart(3, '0');
    return `${padded ? String(q).padStart(2, ' ') : String(q)}.${frac}`;
  };

  it('reads back whatever the kernel prints (property)', () => {
    const row = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(
        fc.nat(7),
        fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable'),
        row,
        fc.boolean(),
        (node, zone, ints, padded) => {
          const text = `Node ${node}, zone ${zone.padStart(8, ' ')} ${ints.map((v) => cPrint(v, padded)).join(' ')} \n`;
          const { value, problems } = parseDebugfsExtfrag(text);
          return problems.length === 0 && value.length === 1 && value[0]?.kernelValues.join() === ints.join();
        },
      ),
    );
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const { value, problems } = parseDebugfsExtfrag(text);
        return Array.isArray(value) && Array.isArray(problems);
      }),
    );
  });
});
