// Reads one frame and its pageblock map, for `fragtop map` and `fragtop snapshot --map`.
import { mapLayoutOf } from '../analyze/map-layout.js';
import type { PageblockMapRead } from '../model/pageblock-map.js';
import type { RawFrame } from '../model/raw-frame.js';
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { readPageblockMap } from '../sources/kpageflags-source.js';

/** The frame with its map attached (or the reason there is none). */
export async function withPageblockMap(frame: RawFrame, procRoot: string): Promise<RawFrame> {
  const snapshot = buildSnapshot(frame);
  const { zoneinfo, pageTypes, buddy } = snapshot.parsed;
  const layout = mapLayoutOf(zoneinfo, pageTypes, buddy);
  const pageblocks: PageblockMapRead = layout.ok
    ? await readPageblockMap({ procRoot, layout: layout.layout, pageSizeBytes: frame.pageSizeBytes })
    : { ok: false, message: layout.message };
  return { ...frame, pageblocks };
}
