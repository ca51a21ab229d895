// Pure layout of the zones panel: turns snapshot zones into fixed-width text cells, shared by screen and text output.
import type { Snapshot, ZoneSnapshot } from '../analyze/snapshot-types.js';
import { blockLabel, humanBytes, humanCount, padLeft, padRight, percent, shareBar } from './format.js';

type TailName = 'free' | 'usable' | 'ok' | 'top';

/** How wide each part of a zone row is, chosen for the terminal. */
export interface ZoneColumns {
  labelWidth: number;
  cellWidth: number;
  tail: { name: TailName; width: number }[];
  /** The lowest order shown: on a terminal too narrow for every order, the low ones give way. */
  firstOrder: number;
  /** How many orders are shown from `firstOrder`: the tail (free, ≥N, ok@N) must stay on the line. */
  shownCount: number;
}

/** Narrower cells would run a 4-character count or size into the next ("104K128K"). */
const MIN_CELL_WIDTH = 5;

const WIDE_TAIL: ZoneColumns['tail'] = [
  { name: 'free', width: 7 },
  { name: 'usable', width: 7 },
  { name: 'ok', width: 5 },
  { name: 'top', width: 6 },
];
/** Below 100 columns: no `top`, tighter cells, so 11 orders of five columns fit in 80. */
const NARROW_TAIL: ZoneColumns['tail'] = [
  { name: 'free', width: 5 },
  { name: 'usable', width: 6 },
  { name: 'ok', width: 5 },
];

/**
 * The layout for `orderCount` orders in `columns`: cells of 6 when they fit, down to 5; below that the lowest
 * orders are left out (never the target order), since large blocks are what the screen is about.
 */
export function zoneColumns(
  orderCount: number,
  columns: number,
  cellWidth?: number,
  targetOrder = 0,
): ZoneColumns {
  const narrow = columns < 100;
  const labelWidth = narrow ? 9 : 12;
  // ok@10 and above needs a column one wider: the tail is never cut off the line.
  const okWidth = Math.max(5, `ok@${Math.max(0, targetOrder)}`.length + 1);
  const tail = (narrow ? NARROW_TAIL : WIDE_TAIL).map((column) =>
    column.name === 'ok' ? { ...column, width: Math.max(column.width, okWidth) } : column,
  );
  const available = columns - labelWidth - tail.reduce((sum, column) => sum + column.width, 0);
  const width =
    cellWidth ?? Math.max(MIN_CELL_WIDTH, Math.min(6, Math.floor(available / Math.max(1, orderCount))));
  const fits = Math.max(1, Math.floor(available / width));
  if (cellWidth !== undefined)
    return { labelWidth, cellWidth: width, tail, firstOrder: 0, shownCount: orderCount };
  // The window ends at the highest order when the target is in it; else it starts at the target.
  const firstOrder = Math.max(0, Math.min(orderCount - fits, Math.max(0, targetOrder)));
  return {
    labelWidth,
    cellWidth: width,
    tail,
    firstOrder,
    shownCount: Math.min(fits, orderCount - firstOrder),
  };
}

/** The orders a layout shows, lowest first. */
export function shownOrders(orderCount: number, layout: ZoneColumns): number[] {
  const count = Math.max(0, Math.min(layout.shownCount, orderCount - layout.firstOrder));
  return Array.from({ length: count }, (_, i) => layout.firstOrder + i);
}

export function zoneLabel(zone: ZoneSnapshot, layout: ZoneColumns): string {
  return padRight(`${zone.node} ${zone.zone}`.slice(0, layout.labelWidth - 1), layout.labelWidth);
}

export function zoneHeader(snapshot: Snapshot, targetOrder: number, layout: ZoneColumns): string {
  const orders = shownOrders(snapshot.orderCount, layout).map((o) =>
    padLeft(blockLabel(snapshot.pageSizeBytes, o), layout.cellWidth),
  );
  const titles: Record<TailName, string> = {
    free: 'free',
    usable: `≥${blockLabel(snapshot.pageSizeBytes, targetOrder)}`,
    ok: `ok@${targetOrder}`,
    top: 'top',
  };
  // A title as wide as its column still keeps a space before it ("≥4M ok@10", not "≥4Mok@10").
  const tail = layout.tail.map(({ name, width }) =>
    padLeft(titles[name], Math.max(width, titles[name].length + 1)),
  );
  // "zone ‹" says lower orders are left out for want of room, "›" higher ones.
  return (
    padRight(
      `zone${layout.firstOrder > 0 ? ' ‹' : ''}${layout.firstOrder + layout.shownCount < snapshot.orderCount ? ' ›' : ''}`,
      layout.labelWidth,
    ) +
    orders.join('') +
    tail.join('')
  );
}

/** Share of a zone's free memory that sits in blocks of order >= target: usable by an order-target request. */
export function usableShare(zone: ZoneSnapshot, targetOrder: number): number | null {
  if (zone.freePages === 0) return null;
  const usable = zone.freeBlocksByOrder.reduce(
    (sum, blocks, o) => (o >= targetOrder ? sum + blocks * 2 ** o : sum),
    0,
  );
  return usable / zone.freePages;
}

/** One cell per shown order; a count that cannot fit its cell still leaves a space before it. */
export function countCells(counts: readonly number[], orderCount: number, layout: ZoneColumns): string[] {
  return shownOrders(orderCount, layout).map((o) => {
    const text = humanCount(counts[o] ?? 0, layout.cellWidth - 1);
    return padLeft(text, Math.max(layout.cellWidth, text.length + 1));
  });
}

export function barCells(zone: ZoneSnapshot, orderCount: number, layout: ZoneColumns): string[] {
  return shownOrders(orderCount, layout).map((o) => {
    const pages = (zone.freeBlocksByOrder[o] ?? 0) * 2 ** o;
    const bar = shareBar(zone.freePages ? pages / zone.freePages : 0);
    return padLeft(bar.repeat(Math.max(1, layout.cellWidth - 2)), layout.cellWidth);
  });
}

export function tailCells(
  zone: ZoneSnapshot,
  targetOrder: number,
  pageSizeBytes: number,
  layout: ZoneColumns,
): string {
  const values: Record<TailName, string> = {
    free: humanBytes(zone.freePages * pageSizeBytes),
    usable: percent(usableShare(zone, targetOrder)),
    ok: zone.canAllocate ? (zone.canAllocate[targetOrder] ? 'yes' : 'no') : '?',
    top: zone.highestFreeOrder < 0 ? 'none' : blockLabel(pageSizeBytes, zone.highestFreeOrder),
  };
  return layout.tail
    .map(({ name, width }) => padLeft(values[name], Math.max(width, values[name].length + 1)))
    .join('');
}
