// Which migrate types hold a zone's large free blocks, and how much of it is pinned by unmovable pageblocks.

import type { PageTypeBlockRow, PageTypeFreeRow, ZoneKey } from '../parse/types.js';
import { sameZone } from '../parse/zone-key.js';

/** The free lists an ordinary allocation may take from (MIGRATE_PCPTYPES; 4.4+ watermark check). */
export const USABLE_TYPES: readonly string[] = ['Unmovable', 'Movable', 'Reclaimable'];

/**
 * Share of pageblocks typed Unmovable or Reclaimable above which compaction can help little.
 * Compaction only moves movable pages, and the allocator steers unmovable and reclaimable
 * allocations into pageblocks of those types; once they hold enough of them, nearly every such block
 * keeps a page that cannot move, so free space in it never merges into a large block. In the
 * samples, large lightly used DMA32 zones have 0.4–3.7% of them, Normal zones of busy hosts 16–33%,
 * and a 2 GB VM's only zone 39%. 30% is a judgement, not a kernel constant.
 */
export const UNMOVABLE_SHARE_WARNING = 0.3;

export interface ZoneMigrateTypes extends ZoneKey {
  targetOrder: number;
  /** Free blocks of order ≥ target per type: Σ_{o≥N} nr_free[o]. */
  freeBlocksAtOrAboveByType: Record<string, number>;
  /** The same as order-N blocks obtainable by splitting: Σ_{o≥N} nr_free[o]·2^(o−N). */
  suitableBlocksByType: Record<string, number>;
  /** Types whose counts include a `>100000` cell, so they are lower bounds. */
  lowerBoundTypes: string[];
  /** Pageblocks per type (the `Number of blocks type` table); empty when the row is missing. */
  blocksByType: Record<string, number>;
  /** (Unmovable + Reclaimable) / all pageblocks; null without block counts. */
  unmovableShare: number | null;
  /** unmovableShare ≥ UNMOVABLE_SHARE_WARNING: compaction is unlikely to help much. */
  unmovableWarning: boolean;
}

/** Per zone (in the order the free rows list them): where the order ≥ target free blocks are, and block counts. */
export function migrateTypesByZone(
  freeRows: readonly PageTypeFreeRow[],
  blockRows: readonly PageTypeBlockRow[],
  targetOrder: number,
): ZoneMigrateTypes[] {
  const n = Math.max(0, Math.trunc(targetOrder));
  const zones: ZoneMigrateTypes[] = [];
  const zoneFor = (key: ZoneKey): ZoneMigrateTypes => {
    const found = zones.find((z) => sameZone(z, key));
    if (found) return found;
    const blocksByType = { ...(blockRows.find((b) => sameZone(b, key))?.blocksByType ?? {}) };
    const totalBlocks = Object.values(blocksByType).reduce((a, b) => a + b, 0);
    const unmovable = (blocksByType['Unmovable'] ?? 0) + (blocksByType['Reclaimable'] ?? 0);
    const unmovableShare = totalBlocks > 0 ? unmovable / totalBlocks : null;
    const zone: ZoneMigrateTypes = {
      node: key.node,
      zone: key.zone,
      targetOrder: n,
      freeBlocksAtOrAboveByType: {},
      suitableBlocksByType: {},
      lowerBoundTypes: [],
      blocksByType,
      unmovableShare,
      unmovableWarning: unmovableShare !== null && unmovableShare >= UNMOVABLE_SHARE_WARNING,
    };
    zones.push(zone);
    return zone;
  };

  for (const row of freeRows) {
    const zone = zoneFor(row);
    let atOrAbove = 0;
    let suitable = 0;
    let lowerBound = false;
    row.freeBlocksByOrder.forEach((blocks, o) => {
      if (o < n) return;
      atOrAbove += blocks;
      suitable += blocks * 2 ** (o - n);
      if (row.atLeast[o] === true) lowerBound = true;
    });
    zone.freeBlocksAtOrAboveByType[row.type] = (zone.freeBlocksAtOrAboveByType[row.type] ?? 0) + atOrAbove;
    zone.suitableBlocksByType[row.type] = (zone.suitableBlocksByType[row.type] ?? 0) + suitable;
    if (lowerBound && !zone.lowerBoundTypes.includes(row.type)) zone.lowerBoundTypes.push(row.type);
  }
  // Zones with block counts but no free rows still get their counts and warning.
  for (const row of blockRows) zoneFor(row);
  return zones;
}

/** Free blocks per order on the lists an ordinary allocation may use, for one zone; undefined without rows. */
export function usableFreeBlocksByOrder(
  freeRows: readonly PageTypeFreeRow[],
  key: ZoneKey,
): number[] | undefined {
  const rows = freeRows.filter((r) => sameZone(r, key) && USABLE_TYPES.includes(r.type));
  if (rows.length === 0) return undefined;
  const orders = Math.max(...rows.map((r) => r.freeBlocksByOrder.length));
  const sum = new Array<number>(orders).fill(0);
  for (const row of rows) row.freeBlocksByOrder.forEach((blocks, o) => (sum[o] = (sum[o] ?? 0) + blocks));
  return sum;
}

/** Free pages on a zone's HighAtomic lists: the stand-in for the high-atomic reserve that /proc does not show. */
export function highAtomicFreePages(freeRows: readonly PageTypeFreeRow[], key: ZoneKey): number {
  return freeRows
    .filter((r) => sameZone(r, key) && r.type === 'HighAtomic')
    .reduce((pages, r) => pages + r.freeBlocksByOrder.reduce((p, blocks, o) => p + blocks * 2 ** o, 0), 0);
}
