/// <reference types="vite/client" />
// Tests for the zone watermark check, old (≤ 4.3) and new (≥ 4.4).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canAllocate, watermarkAlgorithm } from '../../src/analyze/watermark-check.js';
import { contigPageInfo } from '../../src/analyze/fragmentation-index.js';
import k8sBuddy from '../../fixtures/centos7-numa-k8s/proc/buddyinfo?raw';
import zoneinfo310 from '../../fixtures/samples/zoneinfo-3.10era-x86-numa2-32cpu-pcp-qa-002.txt?raw';
import c9Buddy from '../../fixtures/centos9-5.14-vm/proc/buddyinfo?raw';
import c9Zoneinfo from '../../fixtures/centos9-5.14-vm/proc/zoneinfo?raw';
import c9Pagetype from '../../fixtures/centos9-5.14-vm/proc/pagetypeinfo?raw';
import { buddyRow, pagetypeRows, zoneinfoField } from './sample-data.js';

const OLD = '3.10.0-514.el7.x86_64';
const NEW = '5.14.0-325.el9.x86_64';

describe('watermarkAlgorithm', () => {
  it.each([
    ['3.10.0-957.el7.x86_64', 'pre-4.4'],
    ['2.6.32-754.el6.x86_64', 'pre-4.4'],
    ['4.3.6', 'pre-4.4'],
    ['4.4.0-21-generic', '4.4+'],
    ['5.14.0-325.el9.x86_64', '4.4+'],
    ['6.18.44-fc-v595', '4.4+'],
    ['not a version', 'unknown-assumed-4.4+'],
  ])('%s → %s', (kernel, expected) => {
    expect(watermarkAlgorithm(kernel)).toBe(expected);
  });

  it('null → the 4.4+ check, flagged as assumed', () => {
    expect(watermarkAlgorithm(null)).toBe('unknown-assumed-4.4+');
  });
});

describe('the seed report: CentOS 7 3.10.0-514, Node 0 Normal, order 6, min watermark', () => {
  // Mem-Info: `Node 0 Normal free:311184kB min:55536kB`, lowmem_reserve 0 0 0 0, free_cma:0kB.
  const normal = {
    freePages: 311184 / 4,
    watermarkMinPages: 55536 / 4,
    cmaFreePages: 0,
    freeBlocksByOrder: [34178, 20118, 412, 115, 46, 6, 0, 0, 0, 0, 0],
    order: 6,
  };

  it('fails the old loop at order 1, as the log says, with 304 MiB free', () => {
    // 77796 − 63 = 77733 > 13884 ✓; o=0: 77733 − 34178 = 43555 > 6942 ✓; o=1: 43555 − 40236 = 3319 ≤ 3471 ✗
    expect(canAllocate({ ...normal, kernel: OLD })).toBe(false);
    // Even with no watermark it fails later: after orders 0..5 only 77796 − 63 − 77910 = −177 pages remain.
    expect(canAllocate({ ...normal, kernel: OLD, watermarkMinPages: 0 })).toBe(false);
    // Orders 2..5 fail at the same step: order 2 leaves 77796 − 3 − 34178 − 40236 = 3379 ≤ 3471 after o=1,
    // and larger orders subtract more up front.
    expect([2, 3, 4, 5].map((order) => canAllocate({ ...normal, kernel: OLD, order }))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    // order 1: 77796 − 1 − 34178 = 43617 > 6942 ✓ → true (20118 order-1 blocks are free).
    expect(canAllocate({ ...normal, kernel: OLD, order: 1 })).toBe(true);
  });

  it('fails the 4.4+ check too: no free block of order ≥ 6', () => {
    expect(canAllocate({ ...normal, kernel: NEW })).toBe(false);
    expect(canAllocate({ ...normal, kernel: null })).toBe(false);
  });
});

describe('the old loop fails although an order ≥ N block exists (same report, DMA32, order 3)', () => {
  // `Node 0 DMA32 free:127248kB min:11976kB`; `19160*4kB 6346*8kB 35*16kB 7*32kB 0*64kB …`: seven order-3 blocks.
  const dma32 = {
    order: 3,
    freePages: 127248 / 4,
    watermarkMinPages: 11976 / 4,
    cmaFreePages: 0,
    freeBlocksByOrder: [19160, 6346, 35, 7, 0, 0, 0, 0, 0, 0, 0],
  };

  it('≤ 4.3: false', () => {
    expect(contigPageInfo(dma32.freeBlocksByOrder, 3).freeBlocksSuitable).toBe(7);
    // f = 31812 − 7 = 31805 > 2994 ✓; o=0: 31805 − 19160 = 12645 > 1497 ✓;
    // o=1: 12645 − 6346·2 = −47 ≤ 748 ✗
    expect(canAllocate({ ...dma32, kernel: OLD })).toBe(false);
    // Also with GFP_KERNEL's lowmem reserve on DMA32 (`lowmem_reserve[]: 0 0 13053 13053`).
    expect(canAllocate({ ...dma32, kernel: OLD, lowmemReservePages: 13053 })).toBe(false);
  });

  it('≥ 4.4 (and an unknown kernel): true, one block is enough', () => {
    // 31805 > 2994 ✓ and nr_free[3] = 7 > 0.
    expect(canAllocate({ ...dma32, kernel: NEW })).toBe(true);
    expect(canAllocate({ ...dma32, kernel: null })).toBe(true);
    // The reserve moves the bar to 2994 + 13053 = 16047, still below 31805.
    expect(canAllocate({ ...dma32, kernel: NEW, lowmemReservePages: 13053 })).toBe(true);
    // A reserve of 28812 makes it 31806 ≥ 31805: the order-0 part fails.
    expect(canAllocate({ ...dma32, kernel: NEW, lowmemReservePages: 28812 })).toBe(false);
  });
});

describe('3.10 NUMA k8s buddyinfo with 3.10 zoneinfo watermarks', () => {
  // The two captures come from different 3.10 hosts with the same zone layout; the watermark is the
  // zoneinfo one, the free pages are the buddyinfo sum (1052263 for Node 1 Normal).
  const node1 = buddyRow(k8sBuddy, 1, 'Normal');
  const min = zoneinfoField(zoneinfo310, 1, 'Normal', 'min');
  const base = {
    kernel: '3.10.0-1160.49.1.el7.x86_64',
    freePages: contigPageInfo(node1, 0).freePages,
    watermarkMinPages: min,
    cmaFreePages: zoneinfoField(zoneinfo310, 1, 'Normal', 'nr_free_cma'),
    freeBlocksByOrder: node1,
  };

  it('order 8 passes, order 9 fails', () => {
    expect(min).toBe(11288);
    expect(base.freePages).toBe(1052263);
    // order 8: f = 1052263 − 255 = 1052008; subtracting orders 0..7 (108359, 230932, 209724, 103280,
    // 60192, 25472, 11840, 8832) leaves 293377 > 11288 >> 8 = 44 ✓
    expect(canAllocate({ ...base, order: 8 })).toBe(true);
    // order 9: f = 1052263 − 511 = 1051752; after orders 0..7: 293121; o=8: 293121 − 1147·256 = −511 ≤ 22 ✗
    expect(canAllocate({ ...base, order: 9 })).toBe(false);
  });
});

describe('4.4+ with the migrate-type lists (CentOS Stream 9, 5.14, one capture)', () => {
  const dma32 = buddyRow(c9Buddy, 0, 'DMA32');
  const { free } = pagetypeRows(c9Pagetype);
  const usable = (zone: string): number[] => {
    const rows = free.filter(
      (r) => r.zone === zone && ['Unmovable', 'Movable', 'Reclaimable'].includes(r.type),
    );
    return dma32.map((_, o) => rows.reduce((sum, r) => sum + (r.freeBlocksByOrder[o] ?? 0), 0));
  };
  const base = {
    kernel: NEW,
    freePages: zoneinfoField(c9Zoneinfo, 0, 'DMA32', 'pages free'),
    watermarkMinPages: zoneinfoField(c9Zoneinfo, 0, 'DMA32', 'min'),
    cmaFreePages: zoneinfoField(c9Zoneinfo, 0, 'DMA32', 'nr_free_cma'),
    freeBlocksByOrder: dma32,
    usableFreeBlocksByOrder: usable('DMA32'),
  };

  it('order 9 and 10 pass: 59214 − 1023 = 58191 > 8446 and Movable has 4 order-10 blocks', () => {
    expect(base.usableFreeBlocksByOrder).toEqual(dma32);
    expect(canAllocate({ ...base, order: 9 })).toBe(true);
    expect(canAllocate({ ...base, order: 10 })).toBe(true);
  });

  it('blocks only on lists an ordinary allocation cannot use do not count', () => {
    const onlyHighAtomic = [...base.usableFreeBlocksByOrder.slice(0, 9), 0, 0];
    expect(canAllocate({ ...base, order: 9, usableFreeBlocksByOrder: onlyHighAtomic })).toBe(false);
    expect(canAllocate({ ...base, order: 8, usableFreeBlocksByOrder: onlyHighAtomic })).toBe(true);
  });

  it('free CMA pages and the high-atomic reserve are taken off first', () => {
    // 59214 − 0 − 50768 = 8446 ≤ 8446 ✗ at order 0
    expect(canAllocate({ ...base, order: 0, cmaFreePages: 50768 })).toBe(false);
    expect(canAllocate({ ...base, order: 0, cmaFreePages: 50767 })).toBe(true);
    expect(canAllocate({ ...base, order: 0, cmaFreePages: 50000, highAtomicReservePages: 768 })).toBe(false);
  });
});

describe('≤ 4.3 counts CMA only in the first comparison', () => {
  it('the loop keeps the CMA pages as free', () => {
    // f = 1100 − 1 = 1099; 1099 − 500 = 599 > 500 ✓; o=0: 1099 − 700 = 399 > 250 ✓ → true
    // (taking the CMA pages off in the loop too would give −101 and fail).
    const input = {
      kernel: OLD,
      order: 1,
      freePages: 1100,
      watermarkMinPages: 500,
      cmaFreePages: 500,
      freeBlocksByOrder: [700, 200],
    };
    expect(canAllocate(input)).toBe(true);
    expect(canAllocate({ ...input, cmaFreePages: 600 })).toBe(false);
  });
});

describe('canAllocate properties', () => {
  const free = fc.array(fc.nat(5000), { minLength: 1, maxLength: 14 });
  const kernel = fc.constantFrom(OLD, NEW, null);

  it('never passes without a block of order ≥ N when free pages match buddyinfo', () => {
    fc.assert(
      fc.property(free, fc.nat(14), fc.nat(20000), fc.nat(2000), kernel, (blocks, order, min, cma, k) => {
        const freePages = contigPageInfo(blocks, 0).freePages;
        const ok = canAllocate({
          kernel: k,
          order,
          freePages,
          watermarkMinPages: min,
          cmaFreePages: cma,
          freeBlocksByOrder: blocks,
        });
        return !ok || contigPageInfo(blocks, order).freeBlocksSuitable > 0;
      }),
    );
  });

  it('passing order N implies passing order 0', () => {
    fc.assert(
      fc.property(free, fc.nat(14), fc.nat(20000), fc.nat(2000), kernel, (blocks, order, min, cma, k) => {
        const input = {
          kernel: k,
          freePages: contigPageInfo(blocks, 0).freePages,
          watermarkMinPages: min,
          cmaFreePages: cma,
          freeBlocksByOrder: blocks,
        };
        return !canAllocate({ ...input, order }) || canAllocate({ ...input, order: 0 });
      }),
    );
  });
});
