// Whether reading /proc/pagetypeinfo (printed with the zone lock held, interrupts off) could change a check's
// answer. Without it the watermark check is an upper bound: pagetypeinfo can only take blocks away (blocks on
// the CMA or high-atomic lists, the high-atomic reserve), never add them.
import { watermarkInputFor } from './diagnosis.js';
import type { OrderVerdict } from './order-verdict.js';
import type { Snapshot } from './snapshot-types.js';
import { canAllocate, watermarkAlgorithm } from './watermark-check.js';

/**
 * The most the high-atomic reserve can hold: the kernel caps it at 1% of the zone's managed pages, rounded to a
 * pageblock (older kernels add a pageblock); a pageblock is at most the largest block.
 */
function highAtomicCeilingPages(managedPages: number, orderCount: number): number {
  return Math.floor(managedPages / 100) + 2 * 2 ** Math.max(0, orderCount - 1);
}

/**
 * True when the check's answer, made without pagetypeinfo (`verdict`), could differ with it: a "short" answer (it
 * stays short, but its count of servable blocks and its reason can change), or an "ok" that rests on a zone which
 * passes the watermark check only when nothing is held back for CMA or high-atomic allocations; never before 4.4.
 * "unknown" comes from buddyinfo and zoneinfo alone.
 */
export function pagetypeinfoMatters(snapshot: Snapshot, verdict: OrderVerdict): boolean {
  if (verdict.status === 'unknown') return false;
  // Before 4.4 the check looks at no list and there is no high-atomic reserve (CMA comes from zoneinfo).
  if (watermarkAlgorithm(snapshot.kernel) === 'pre-4.4') return false;
  if (verdict.status === 'short' || !verdict.diagnosis) return true;
  const order = verdict.order;
  const { buddy, zoneinfo } = snapshot.parsed;
  for (const zone of verdict.diagnosis.zones) {
    if (!zone.eligible || zone.canAllocate !== true) continue;
    const row = buddy?.zones.find((z) => z.node === zone.node && z.zone === zone.zone);
    const managed = snapshot.zones.find((z) => z.node === zone.node && z.zone === zone.zone)?.managedPages;
    if (!row || managed === null || managed === undefined) return true;
    const base = watermarkInputFor(row, { kernel: snapshot.kernel, zoneinfo: zoneinfo?.zones });
    if (!base) return true;
    const heldBack = base.cmaFreePages + highAtomicCeilingPages(managed, row.freeBlocksByOrder.length);
    // Every page in blocks of order ≥ N could sit on the CMA or high-atomic lists only if they hold no more.
    const pagesAtOrAbove = row.freeBlocksByOrder.reduce(
      (sum, blocks, o) => (o >= order ? sum + blocks * 2 ** o : sum),
      0,
    );
    const worstCase = canAllocate({
      ...base,
      order,
      highAtomicReservePages: highAtomicCeilingPages(managed, row.freeBlocksByOrder.length),
      usableFreeBlocksByOrder: pagesAtOrAbove > heldBack ? row.freeBlocksByOrder : [],
    });
    if (!worstCase) return true;
  }
  return false;
}
