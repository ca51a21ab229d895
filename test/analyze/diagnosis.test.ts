/// <reference types="vite/client" />
// Tests for the order-N diagnosis over all zones.
import { describe, it, expect } from 'vitest';
import { diagnose as diagnoseData, type DiagnoseInput } from '../../src/analyze/diagnosis.js';
import { adviceTexts, reasonText } from '../../src/render/diagnosis-text.js';

/** The diagnosis with its reason and advice in words, as the banner, check and JSON show them. */
function diagnose(input: DiagnoseInput) {
  const data = diagnoseData(input);
  return { ...data, reason: reasonText(data), advice: adviceTexts(data) };
}
import type { BuddyZone, ZoneInfoZone } from '../../src/parse/types.js';
import c9Buddy from '../../fixtures/centos9-5.14-vm/proc/buddyinfo?raw';
import c9Zoneinfo from '../../fixtures/centos9-5.14-vm/proc/zoneinfo?raw';
import c9Pagetype from '../../fixtures/centos9-5.14-vm/proc/pagetypeinfo?raw';
import { buddyRow, pagetypeRows, zoneinfoField, zoneinfoProtection } from './sample-data.js';

function zone(
  node: number,
  name: string,
  pagesFree: number,
  watermarkMinPages: number,
  protection: number[],
  nrFreeCma = 0,
): ZoneInfoZone {
  return {
    node,
    zone: name,
    pagesFree,
    watermarkMinPages,
    watermarkLowPages: undefined,
    watermarkHighPages: undefined,
    protection,
    stats: { nr_free_cma: nrFreeCma },
    populated: true,
  };
}

describe('the seed report (CentOS 7 3.10.0-514, order 6, kmalloc from a new netns)', () => {
  // From the Mem-Info block (kB / 4 = pages): free, min, lowmem_reserve and the per-order lines.
  const buddy: BuddyZone[] = [
    { node: 0, zone: 'DMA', freeBlocksByOrder: [1, 0, 0, 1, 2, 1, 1, 0, 1, 1, 3] },
    { node: 0, zone: 'DMA32', freeBlocksByOrder: [19160, 6346, 35, 7, 0, 0, 0, 0, 0, 0, 0] },
    { node: 0, zone: 'Normal', freeBlocksByOrder: [34178, 20118, 412, 115, 46, 6, 0, 0, 0, 0, 0] },
  ];
  const zoneinfo = [
    zone(0, 'DMA', 15908 / 4, 64 / 4, [0, 2815, 15868, 15868]),
    zone(0, 'DMA32', 127248 / 4, 11976 / 4, [0, 0, 13053, 13053]),
    zone(0, 'Normal', 311184 / 4, 55536 / 4, [0, 0, 0, 0]),
  ];
  // MemTotal ≈ (4194173 pages RAM − 127323 reserved)·4 kB; 60360 pagecache pages; slab_reclaimable:1935137 pages.
  const meminfo = { MemTotal: 16267400, Cached: 60360 * 4, SReclaimable: 1935137 * 4 };

  const result = diagnose({
    kernel: '3.10.0-514.el7.x86_64',
    targetOrder: 6,
    buddy,
    zoneinfo,
    meminfo,
    culpritAdvice:
      'Each new network namespace creates an nf_conntrack slab cache with an order-6 allocation.',
  });

  it('no zone can serve it, and it is fragmentation', () => {
    expect(result.verdict).toBe('fragmentation');
    expect(result.zonesOk).toEqual([]);
    // DMA alone has order ≥ 6 blocks: 1 + 1·4 + 1·8 + 3·16 = 61 order-6 blocks, locked away by its
    // lowmem reserve (3977 − 63 ≤ 16 + 15868).
    expect(result.suitableBlocks).toBe(61);
    expect(
      result.zones.map((z) => [z.zone, z.canAllocate, z.belowMin, z.cause, z.fragmentationIndex]),
    ).toEqual([
      ['DMA', false, true, 'low-memory', -1000],
      ['DMA32', false, false, 'fragmentation', 981],
      ['Normal', false, false, 'fragmentation', 978],
    ]);
  });

  it('explains with the numbers and advises compaction, dropping the slab, and the culprit', () => {
    // Normal: 77910 pages · 4 KiB = 304.3 MiB; index 978 (formulas.md §3).
    expect(result.reason).toBe(
      'No zone can serve order 6 (256 KiB) (fragmentation). Normal#0 has 304 MiB free but no block of order ≥ 6; fragmentation index 0.978 ≥ 0.500.',
    );
    // 7740548 kB = 7.38 GiB = 47.6% of 16267400 kB; the page cache (241440 kB, 1.5%) is not worth dropping.
    expect(result.advice).toEqual([
      'Compact memory first (echo 1 > /proc/sys/vm/compact_memory) to merge free pages into order-6 blocks.',
      'Drop caches (sync; echo 3 > /proc/sys/vm/drop_caches): reclaimable slab 7.4 GiB (48%) can be freed. Then compact again.',
      'Each new network namespace creates an nf_conntrack slab cache with an order-6 allocation.',
    ]);
  });

  it('order 1 can still be served by Normal', () => {
    // Normal: 77796 − 1 = 77795 > 13884; o=0: 77795 − 34178 = 43617 > 6942 → true.
    // DMA32: 31811 > 2994 + 13053 = 16047; o=0: 31811 − 19160 = 12651 > 1497 → true.
    // DMA: 3976 ≤ 16 + 15868 → false. Order-1 blocks: DMA 4 + 16 + 16 + 32 + 128 + 256 + 1536 = 1988,
    // DMA32 6346 + 35·2 + 7·4 = 6444, Normal 21866 (formulas.md §3): 30298.
    const order1 = diagnose({ kernel: '3.10.0-514.el7.x86_64', targetOrder: 1, buddy, zoneinfo });
    expect(order1.verdict).toBe('ok');
    expect(order1.zonesOk).toEqual([
      { node: 0, zone: 'DMA32' },
      { node: 0, zone: 'Normal' },
    ]);
    expect(order1.suitableBlocks).toBe(1988 + 6444 + 21866);
    // DMA fails the check, so its blocks are no room for the request.
    expect(order1.servableBlocks).toBe(6444 + 21866);
    expect(order1.reason).toBe(
      'Order 1 (8 KiB) can be served by DMA32#0, Normal#0: room for 28310 order-1 blocks.',
    );
    expect(order1.advice).toEqual([]);
  });
});

describe('4.4+ sample (CentOS Stream 9, 5.14): order 9 is fine', () => {
  const buddy: BuddyZone[] = ['DMA', 'DMA32'].map((z) => ({
    node: 0,
    zone: z,
    freeBlocksByOrder: buddyRow(c9Buddy, 0, z),
  }));
  const zoneinfo = ['DMA', 'DMA32'].map((z) =>
    zone(
      0,
      z,
      zoneinfoField(c9Zoneinfo, 0, z, 'pages free'),
      zoneinfoField(c9Zoneinfo, 0, z, 'min'),
      zoneinfoProtection(c9Zoneinfo, 0, z),
      zoneinfoField(c9Zoneinfo, 0, z, 'nr_free_cma'),
    ),
  );
  // Zones are listed DMA, DMA32, Normal, Movable, Device: GFP_KERNEL's class index is 2.
  const allZones = [
    ...zoneinfo,
    zone(0, 'Normal', 0, 0, [0, 0, 0, 0, 0]),
    zone(0, 'Movable', 0, 0, [0, 0, 0, 0, 0]),
  ];
  const { free, blocks } = pagetypeRows(c9Pagetype);

  it('both zones pass; room for 7 + 29 order-9 blocks', () => {
    // DMA: 3808 − 511 = 3297 > 190 + 756 and Movable has order-9/10 blocks; DMA32: 59214 − 511 > 8446.
    const result = diagnose({
      kernel: '5.14.0-325.el9.x86_64',
      targetOrder: 9,
      buddy,
      zoneinfo: allZones,
      pagetypeFree: free,
      pagetypeBlocks: blocks,
    });
    expect(result.verdict).toBe('ok');
    expect(result.zonesOk).toEqual([
      { node: 0, zone: 'DMA' },
      { node: 0, zone: 'DMA32' },
    ]);
    expect(result.suitableBlocks).toBe(36);
    expect(result.reason).toBe(
      'Order 9 (2 MiB) can be served by DMA#0, DMA32#0: room for 36 order-9 blocks.',
    );
  });

  it('the DMA lowmem reserve decides order 10 for DMA', () => {
    // DMA: 3808 − 1023 = 2785 > 190 + 756 ✓ (3 order-10 blocks on Movable).
    const ok = diagnose({
      kernel: '5.14.0-325.el9.x86_64',
      targetOrder: 10,
      buddy,
      zoneinfo: allZones,
      pagetypeFree: free,
    });
    expect(ok.zonesOk).toEqual([
      { node: 0, zone: 'DMA' },
      { node: 0, zone: 'DMA32' },
    ]);
    // A larger reserve locks DMA.
    const locked = diagnose({
      kernel: '5.14.0-325.el9.x86_64',
      targetOrder: 10,
      buddy,
      zoneinfo: [zone(0, 'DMA', 3808, 190, [0, 2595, 2595, 2595, 2595]), ...allZones.slice(1)],
      pagetypeFree: free,
    });
    // 2785 ≤ 190 + 2595 = 2785
    expect(locked.zonesOk).toEqual([{ node: 0, zone: 'DMA32' }]);
  });

  it('blocks on HighAtomic lists only: fragmentation, with the reason', () => {
    const highAtomicOnly = free.map((r) =>
      r.zone === 'DMA32' && r.type === 'Movable'
        ? { ...r, type: 'HighAtomic' }
        : r.zone === 'DMA32' && r.type === 'HighAtomic'
          ? { ...r, type: 'Movable' }
          : r,
    );
    // Only DMA32, with Movable's free lists relabelled HighAtomic: Unmovable (6 at order 9) and
    // Reclaimable (1 at order 9) remain, so order 10 (only Movable had 4) fails.
    const result = diagnose({
      kernel: '5.14.0-325.el9.x86_64',
      targetOrder: 10,
      buddy: buddy.slice(1),
      zoneinfo: allZones,
      pagetypeFree: highAtomicOnly,
    });
    expect(result.verdict).toBe('fragmentation');
    expect(result.zones[0]?.cause).toBe('fragmentation');
    expect(result.reason).toBe(
      'No zone can serve order 10 (4 MiB) (fragmentation). DMA32#0 has 231 MiB free and 4 blocks of order ≥ 10, but none on a list an ordinary allocation may use (they are HighAtomic or CMA).',
    );
  });
});

describe('low memory', () => {
  it('below the min watermark wins over a high fragmentation index; cache advice from meminfo', () => {
    // free 200 + 50·2 + 10·4 = 340 pages (1.3 MiB) ≤ min 1000 (3.9 MiB). Index at order 6:
    // 1000 − (1000 + 340000/64)/260 = 1000 − 6312/260 = 1000 − 24 = 976.
    const result = diagnose({
      kernel: '6.1.0-13-amd64',
      targetOrder: 6,
      buddy: [{ node: 0, zone: 'Normal', freeBlocksByOrder: [200, 50, 10, 0, 0, 0, 0, 0, 0, 0, 0] }],
      zoneinfo: [zone(0, 'Normal', 340, 1000, [0, 0, 0, 0, 0])],
      // Cached 4200000 kB of which Shmem 200000: 4000000 kB droppable = 3.8 GiB, 40% of 10000000 kB.
      meminfo: { MemTotal: 10000000, Cached: 4200000, Shmem: 200000, SReclaimable: 100000 },
    });
    expect(result.verdict).toBe('low-memory');
    expect(result.zones[0]?.fragmentationIndex).toBe(976);
    expect(result.reason).toBe(
      'No zone can serve order 6 (256 KiB) (low memory). Normal#0 has 1.3 MiB free, at or below its min watermark of 3.9 MiB.',
    );
    expect(result.advice).toEqual([
      'Drop caches (sync; echo 3 > /proc/sys/vm/drop_caches): page cache 3.8 GiB (40% of memory) can be freed.',
    ]);
  });

  it('a low fragmentation index means too little memory; without zoneinfo or meminfo', () => {
    // Four order-2 blocks asked about order 3: free 16 pages, 4 blocks; 1000 − (1000 + 16000/8)/4 = 1000 − 750 = 250.
    const result = diagnose({
      kernel: null,
      targetOrder: 3,
      buddy: [{ node: 0, zone: 'Normal', freeBlocksByOrder: [0, 0, 4, 0] }],
    });
    expect(result.verdict).toBe('low-memory');
    expect(result.zones[0]?.canAllocate).toBe(false);
    expect(result.reason).toBe(
      'No zone can serve order 3 (32 KiB) (low memory). Normal#0 has 64 KiB free; fragmentation index 0.250 < 0.500: too little free memory, not fragmentation.',
    );
    expect(result.advice).toEqual([
      'Free memory: drop caches or stop what holds it (meminfo was not available to tell which).',
    ]);
  });

  it('little cache: says so', () => {
    const result = diagnose({
      kernel: null,
      targetOrder: 3,
      buddy: [{ node: 0, zone: 'Normal', freeBlocksByOrder: [0, 0, 4, 0] }],
      meminfo: { MemTotal: 1000000, Cached: 100000, SReclaimable: 50000 },
    });
    expect(result.advice).toEqual([
      'Little memory is cache: find what holds it (processes, slab caches) and free or limit it.',
    ]);
  });
});

describe('unknown', () => {
  it('blocks exist but there is no zoneinfo to run the watermark check', () => {
    const result = diagnose({
      kernel: null,
      targetOrder: 2,
      buddy: [{ node: 0, zone: 'Normal', freeBlocksByOrder: [5, 0, 3, 1] }],
    });
    expect(result.verdict).toBe('unknown');
    // 3 + 1·2 = 5 order-2 blocks
    expect(result.suitableBlocks).toBe(5);
    expect(result.reason).toBe(
      'Room for 5 order-2 blocks (Normal#0), but without zoneinfo watermarks the check cannot run.',
    );
  });

  it('no buddyinfo, or only zones the request may not use', () => {
    expect(diagnose({ kernel: null, targetOrder: 6, buddy: [] })).toMatchObject({
      verdict: 'unknown',
      reason: 'Cannot judge order 6 (256 KiB): no buddyinfo zones.',
      zonesOk: [],
      suitableBlocks: 0,
    });
    const highmem = diagnose({
      kernel: '3.4.5',
      targetOrder: 0,
      buddy: [{ node: 0, zone: 'HighMem', freeBlocksByOrder: [9] }],
    });
    expect(highmem.verdict).toBe('unknown');
    expect(highmem.reason).toBe('Cannot judge order 0 (4 KiB): no zone at or below Normal.');
    expect(highmem.zones[0]?.eligible).toBe(false);
  });
});

describe('an order the kernel does not have', () => {
  it('is unknown, not fragmentation', () => {
    const result = diagnose({
      kernel: '6.1.0',
      targetOrder: 11,
      buddy: [{ node: 0, zone: 'Normal', freeBlocksByOrder: [5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0] }],
    });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toBe('This kernel has no order 11: its largest blocks are order 10.');
    expect(result.advice).toEqual([]);
  });
});
