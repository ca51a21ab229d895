// A bounded ring of per-zone free-block counts, kept for trend sparklines.
import type { HistoryPoint } from '../analyze/advance.js';

export type { HistoryPoint } from '../analyze/advance.js';

export const HISTORY_LIMIT = 600;

/** Returns a new array (stable references matter to selectors) with the point appended and the oldest dropped. */
export function appendHistory(
  history: readonly HistoryPoint[],
  point: HistoryPoint,
  limit = HISTORY_LIMIT,
): HistoryPoint[] {
  const start = history.length >= limit ? history.length - limit + 1 : 0;
  return [...history.slice(start), point];
}
