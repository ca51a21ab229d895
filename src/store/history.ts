// A bounded ring of per-zone free-block counts, kept for trend sparklines.

export interface HistoryPoint {
  timeMs: number;
  /** Free blocks per order, keyed `node/zone`. */
  zones: Record<string, number[]>;
}

export const HISTORY_LIMIT = 600;

export function zoneId(zone: { node: number; zone: string }): string {
  return `${zone.node}/${zone.zone}`;
}

/** Returns a new array (stable references matter to selectors) with the point appended and the oldest dropped. */
export function appendHistory(
  history: readonly HistoryPoint[],
  point: HistoryPoint,
  limit = HISTORY_LIMIT,
): HistoryPoint[] {
  const start = history.length >= limit ? history.length - limit + 1 : 0;
  return [...history.slice(start), point];
}
