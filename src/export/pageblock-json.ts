// The pageblock map and compaction ceiling as JSON, for `fragtop map --json` and the snapshot's `pageblocks` field.
import { blockShares, unmovableShare, zoneCeiling } from '../analyze/compaction-ceiling.js';
import { blocksAtOrder } from '../analyze/remediation-effect.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { PageblockMap } from '../model/pageblock-map.js';

/** Per zone: page and pageblock counts by class, and per order the free blocks now and the ceiling. */
export function pageblockJson(map: PageblockMap, snapshot: Snapshot, withClasses: boolean) {
  return {
    time: new Date(map.timeMs).toISOString(),
    readMs: Math.round(map.readMs),
    pageSize: map.pageSizeBytes,
    pageblockOrder: map.pageblockOrder,
    notes: map.notes,
    zones: map.zones.map((zone) => {
      const live = snapshot.zones.find((z) => z.node === zone.node && z.zone === zone.zone);
      return {
        node: zone.node,
        zone: zone.zone,
        startPfn: zone.startPfn,
        spannedPages: zone.spannedPages,
        pages: zone.pages,
        pageblocks: blockShares(zone),
        unmovableShare: unmovableShare(zone),
        flaglessBlocks: zone.flaglessBlocks,
        overlapsWith: zone.overlapsWith,
        orders: zone.cleanRanges.flatMap((_, order) => {
          const ceiling = zoneCeiling(zone, order);
          if (!ceiling) return [];
          return [
            {
              order,
              now: live ? blocksAtOrder(live.freeBlocksByOrder, order) : null,
              cleanRanges: ceiling.cleanRanges,
              freeLimit: ceiling.freeLimit,
              ceiling: ceiling.ceiling,
            },
          ];
        }),
        ...(withClasses ? { classes: zone.classes } : {}),
      };
    }),
  };
}
