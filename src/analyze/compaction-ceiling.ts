// The compaction ceiling: how many order-N blocks compaction could at best produce in a zone, from its pageblock map; pure.
import { CLASS_CODES, type ZonePageblocks } from '../model/pageblock-map.js';

export interface ZoneCeiling {
  node: number;
  zone: string;
  order: number;
  /** Aligned order-N ranges with no unmovable page and no hole: compaction could empty each of them. */
  cleanRanges: number;
  /** Order-N blocks the free pages could fill: emptying a range needs as many free pages elsewhere as it holds movable ones. */
  freeLimit: number;
  /** The lesser of the two: no compaction can produce more order-N blocks than this now. */
  ceiling: number;
}

/**
 * Emptying k aligned ranges of 2^N pages means migrating their movable pages into free pages outside them,
 * so k·2^N ≤ free pages in the zone; and each range must hold no page compaction cannot move.
 */
export function zoneCeiling(zone: ZonePageblocks, order: number): ZoneCeiling | null {
  const cleanRanges = zone.cleanRanges[order];
  if (cleanRanges === undefined) return null;
  // Unread pages might be free: the bound counts them so that it stays an upper bound.
  // So might pages in wholly flagless pageblocks (memory a lazily initialising kernel has not handed over yet).
  const freeLimit = Math.floor((zone.pages.free + zone.pages.unread + zone.flaglessPages) / 2 ** order);
  return {
    node: zone.node,
    zone: zone.zone,
    order,
    cleanRanges,
    freeLimit,
    ceiling: Math.min(cleanRanges, freeLimit),
  };
}

export interface BlockShares {
  pageblocks: number;
  free: number;
  movable: number;
  unmovable: number;
  hole: number;
  unread: number;
}

/** Pageblocks of each class in a zone. */
export function blockShares(zone: ZonePageblocks): BlockShares {
  const shares: BlockShares = {
    pageblocks: zone.classes.length,
    free: 0,
    movable: 0,
    unmovable: 0,
    hole: 0,
    unread: 0,
  };
  for (const code of zone.classes) {
    if (code === CLASS_CODES.free) shares.free++;
    else if (code === CLASS_CODES.movable) shares.movable++;
    else if (code === CLASS_CODES.unmovable) shares.unmovable++;
    else if (code === CLASS_CODES.hole) shares.hole++;
    else shares.unread++;
  }
  return shares;
}

/** Share (0..1) of the zone's pageblocks that are not holes which hold at least one unmovable page; null when none. */
export function unmovableShare(zone: ZonePageblocks): number | null {
  const shares = blockShares(zone);
  const real = shares.pageblocks - shares.hole;
  return real > 0 ? shares.unmovable / real : null;
}
