/// <reference types="vite/client" />
// Tests for the per-migrate-type view of large free blocks and pageblocks.
import { describe, it, expect } from 'vitest';
import {
  UNMOVABLE_SHARE_WARNING,
  highAtomicFreePages,
  migrateTypesByZone,
  usableFreeBlocksByOrder,
} from '../../src/analyze/migrate-types.js';
import c9Pagetype from '../../fixtures/centos9-5.14-vm/proc/pagetypeinfo?raw';
import c9Buddy from '../../fixtures/centos9-5.14-vm/proc/buddyinfo?raw';
import ubuntuPagetype from '../../fixtures/ubuntu-3.2/proc/pagetypeinfo?raw';
import blackholePagetype from '../../fixtures/samples/pagetypeinfo-x86-highatomic-nonzero-cma-myblackhole-notes.txt?raw';
import { buddyRow, pagetypeRows } from './sample-data.js';

describe('CentOS Stream 9 (5.14) at order 9', () => {
  const { free, blocks } = pagetypeRows(c9Pagetype);
  const zones = migrateTypesByZone(free, blocks, 9);

  it('DMA32: where the order ≥ 9 blocks are, and the unmovable share', () => {
    const dma32 = zones.find((z) => z.zone === 'DMA32');
    // Unmovable `… 6 0` at orders 9, 10; Movable `… 14 4`; Reclaimable `… 1 0`.
    expect(dma32?.freeBlocksAtOrAboveByType).toEqual({
      Unmovable: 6,
      Movable: 18,
      Reclaimable: 1,
      HighAtomic: 0,
      CMA: 0,
      Isolate: 0,
    });
    // Movable: 14 + 4·2 = 22 order-9 blocks.
    expect(dma32?.suitableBlocksByType).toEqual({
      Unmovable: 6,
      Movable: 22,
      Reclaimable: 1,
      HighAtomic: 0,
      CMA: 0,
      Isolate: 0,
    });
    expect(dma32?.blocksByType).toEqual({
      Unmovable: 171,
      Movable: 309,
      Reclaimable: 24,
      HighAtomic: 0,
      CMA: 0,
      Isolate: 0,
    });
    // (171 + 24) / (171 + 309 + 24) = 195 / 504 = 0.3869 ≥ 0.3
    expect(dma32?.unmovableShare).toBeCloseTo(195 / 504, 12);
    expect(dma32?.unmovableWarning).toBe(true);
    expect(dma32?.lowerBoundTypes).toEqual([]);
  });

  it('DMA: 1/8 of pageblocks unmovable, no warning', () => {
    const dma = zones.find((z) => z.zone === 'DMA');
    expect(dma?.suitableBlocksByType['Movable']).toBe(1 + 3 * 2);
    expect(dma?.unmovableShare).toBe(1 / 8);
    expect(dma?.unmovableWarning).toBe(false);
  });

  it('the usable lists add up to the buddyinfo row (HighAtomic and CMA are empty here)', () => {
    expect(usableFreeBlocksByOrder(free, { node: 0, zone: 'DMA32' })).toEqual(buddyRow(c9Buddy, 0, 'DMA32'));
    expect(usableFreeBlocksByOrder(free, { node: 1, zone: 'DMA32' })).toBeUndefined();
  });
});

describe('other samples', () => {
  it('Ubuntu 3.2 Normal: (280 + 108) / 2416 = 16% unmovable, below the warning', () => {
    const { free, blocks } = pagetypeRows(ubuntuPagetype);
    const normal = migrateTypesByZone(free, blocks, 6).find((z) => z.zone === 'Normal');
    expect(normal?.unmovableShare).toBeCloseTo(388 / 2416, 12);
    expect(normal?.unmovableWarning).toBe(false);
    // Movable at orders 6..10: 279 + 138 + 67 + 35 + 276 = 795 blocks; 279 + 276 + 268 + 280 + 4416 = 5519 order-6 blocks.
    expect(normal?.freeBlocksAtOrAboveByType['Movable']).toBe(795);
    expect(normal?.suitableBlocksByType['Movable']).toBe(5519);
    expect(normal?.suitableBlocksByType['Reserve']).toBe(16);
  });

  it('HighAtomic free pages stand in for the high-atomic reserve', () => {
    const { free } = pagetypeRows(blackholePagetype);
    // `4 22 42 56 38 16 1 4 1 0 0`: 4 + 44 + 168 + 448 + 608 + 512 + 64 + 512 + 256 = 2616 pages
    expect(highAtomicFreePages(free, { node: 0, zone: 'Normal' })).toBe(2616);
    expect(highAtomicFreePages(free, { node: 0, zone: 'DMA32' })).toBe(0);
  });

  it('marks `>100000` cells as lower bounds and zones with block counts only', () => {
    const zones = migrateTypesByZone(
      [
        {
          node: 0,
          zone: 'Normal',
          type: 'Movable',
          freeBlocksByOrder: [100000, 5, 1],
          atLeast: [true, false, false],
        },
        {
          node: 0,
          zone: 'Normal',
          type: 'Unmovable',
          freeBlocksByOrder: [3, 2, 100000],
          atLeast: [false, false, true],
        },
      ],
      [
        { node: 0, zone: 'Normal', blocksByType: { Unmovable: 30, Movable: 70 } },
        { node: 1, zone: 'Normal', blocksByType: { Unmovable: 1, Movable: 99 } },
      ],
      1,
    );
    expect(zones.map((z) => [z.node, z.lowerBoundTypes, z.suitableBlocksByType, z.unmovableWarning])).toEqual(
      [
        [0, ['Unmovable'], { Movable: 7, Unmovable: 200002 }, true],
        [1, [], {}, false],
      ],
    );
    expect(UNMOVABLE_SHARE_WARNING).toBe(0.3);
  });
});
