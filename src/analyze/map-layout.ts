// Where each zone lies in page frames and how big a pageblock is, from parsed zoneinfo, pagetypeinfo and buddyinfo; pure.
import type { BuddyInfo, PageTypeInfo, ZoneInfo } from '../parse/types.js';
import type { MapLayout } from './pageblock-classify.js';

export type LayoutResult = { ok: true; layout: MapLayout } | { ok: false; message: string };

export function mapLayoutOf(
  zoneinfo: ZoneInfo | null,
  pageTypes: PageTypeInfo | null,
  buddy: BuddyInfo | null,
): LayoutResult {
  if (!zoneinfo) return { ok: false, message: 'zoneinfo is needed for the zones’ page-frame spans' };
  if (pageTypes?.pageblockOrder === undefined)
    return { ok: false, message: 'pagetypeinfo (root) is needed for the pageblock order' };
  const zones = zoneinfo.zones
    .filter((zone) => (zone.spannedPages ?? 0) > 0)
    .map((zone) => ({
      node: zone.node,
      zone: zone.zone,
      startPfn: zone.startPfn,
      spannedPages: zone.spannedPages ?? 0,
    }));
  const spans = zones.filter(
    (zone): zone is typeof zone & { startPfn: number } => zone.startPfn !== undefined,
  );
  if (spans.length === 0) return { ok: false, message: 'zoneinfo gives no zone’s start_pfn' };
  const orderCount = Math.max(0, ...(buddy?.zones ?? []).map((zone) => zone.freeBlocksByOrder.length));
  if (orderCount === 0) return { ok: false, message: 'buddyinfo is needed for the number of orders' };
  return { ok: true, layout: { zones: spans, pageblockOrder: pageTypes.pageblockOrder, orderCount } };
}
