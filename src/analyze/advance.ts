// The per-tick step, pure: (previous sample, new frame) -> snapshot, rates, history point. Live and replay share it.
import type { RawFrame } from '../model/raw-frame.js';
import { zoneId } from '../parse/zone-key.js';
import { buildSnapshot } from './build-snapshot.js';
import { counterRates, trendCounterNames } from './rates.js';
import type { Snapshot } from './snapshot-types.js';

export interface HistoryPoint {
  timeMs: number;
  /** Free blocks per order, keyed `node/zone`. */
  zones: Record<string, number[]>;
}

export { zoneId };

export interface Advanced {
  snapshot: Snapshot;
  /** Per-second vmstat rates since the previous frame; empty for the first frame. */
  rates: Record<string, number | null>;
  point: HistoryPoint;
}

export function advance(previous: { frame: RawFrame; snapshot: Snapshot } | null, frame: RawFrame): Advanced {
  const snapshot = buildSnapshot(frame);
  const rates = previous
    ? counterRates(
        previous.snapshot.vmstat,
        snapshot.vmstat,
        (frame.timeMs - previous.frame.timeMs) / 1000,
        trendCounterNames(snapshot.vmstat),
      )
    : {};
  const point: HistoryPoint = {
    timeMs: frame.timeMs,
    zones: Object.fromEntries(snapshot.zones.map((zone) => [zoneId(zone), zone.freeBlocksByOrder])),
  };
  return { snapshot, rates, point };
}
