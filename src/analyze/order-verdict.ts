// The one answer to "are there at least K usable order-N blocks?", for check, guard and metrics alike:
// ok, short, or unknown, never a count of blocks whose zones could not be checked.
import { diagnoseSnapshot } from './diagnose-snapshot.js';
import type { Diagnosis } from './diagnosis.js';
import type { Snapshot } from './snapshot-types.js';

export type OrderStatus = 'ok' | 'short' | 'unknown';

export type UnknownWhy =
  | { kind: 'no-buddyinfo'; message: string }
  | { kind: 'order-missing'; orderCount: number }
  | { kind: 'diagnosis' }
  /** Too few blocks in the zones that pass, and more in zones whose watermarks could not be read. */
  | { kind: 'unchecked-zones'; zones: { node: number; zone: string; blocks: number }[] };

export interface OrderVerdict {
  status: OrderStatus;
  order: number;
  minBlocks: number;
  /** Order-N blocks in zones that pass the watermark check now: what a request can really get. */
  blocks: number;
  diagnosis: Diagnosis | null;
  /** Set when status is unknown. */
  unknown: UnknownWhy | null;
}

export function orderVerdict(snapshot: Snapshot, order: number, minBlocks: number): OrderVerdict {
  const base = { order, minBlocks, blocks: 0, diagnosis: null, unknown: null };
  if (snapshot.zones.length === 0)
    return {
      ...base,
      status: 'unknown',
      unknown: {
        kind: 'no-buddyinfo',
        message: snapshot.unavailable.buddyinfo ?? 'buddyinfo lists no zones',
      },
    };
  if (order >= snapshot.orderCount)
    return {
      ...base,
      status: 'unknown',
      unknown: { kind: 'order-missing', orderCount: snapshot.orderCount },
    };
  const diagnosis = diagnoseSnapshot(snapshot, order);
  if (!diagnosis || diagnosis.verdict === 'unknown')
    return { ...base, diagnosis, status: 'unknown', unknown: { kind: 'diagnosis' } };
  const blocks = diagnosis.servableBlocks;
  if (blocks >= minBlocks) return { ...base, diagnosis, blocks, status: 'ok' };
  const unchecked = diagnosis.zones
    .filter((zone) => zone.eligible && zone.canAllocate === null && zone.suitableBlocks > 0)
    .map((zone) => ({ node: zone.node, zone: zone.zone, blocks: zone.suitableBlocks }));
  if (unchecked.length > 0)
    return {
      ...base,
      diagnosis,
      blocks,
      status: 'unknown',
      unknown: { kind: 'unchecked-zones', zones: unchecked },
    };
  return { ...base, diagnosis, blocks, status: 'short' };
}
