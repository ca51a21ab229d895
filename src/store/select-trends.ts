// Per-zone history of order-N blocks (Σ_{o≥N} nr_free[o]·2^(o−N)) for the trend sparklines, memoized.
import { blocksAtOrder } from '../analyze/remediation-effect.js';
import { selectShownHistory, targetOrderOf, type FragtopState } from './create-store.js';
import type { HistoryPoint } from './history.js';

export type ZoneTrends = Record<string, number[]>;

export function zoneTrends(history: readonly HistoryPoint[], order: number): ZoneTrends {
  const trends: ZoneTrends = {};
  for (const point of history)
    for (const [zone, free] of Object.entries(point.zones))
      (trends[zone] ??= []).push(blocksAtOrder(free, order));
  return trends;
}

let last: { history: readonly HistoryPoint[]; order: number; result: ZoneTrends } | null = null;

/** Selector: the same object until the history or the target order changes. */
export function selectTrends(state: FragtopState): ZoneTrends {
  const order = targetOrderOf(state);
  const history = selectShownHistory(state);
  if (last && last.history === history && last.order === order) return last.result;
  last = { history, order, result: zoneTrends(history, order) };
  return last.result;
}

/** Shrinks a series to at most `width` points, keeping the lowest of each step: a dip in free blocks must not vanish. */
export function downsampleMin(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    out.push(Math.min(...values.slice(from, Math.max(to, from + 1))));
  }
  return out;
}
