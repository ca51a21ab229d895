// Pure layout of the zones panel: turns snapshot zones into fixed-width text cells, shared by screen and text output.
import type { Snapshot, ZoneSnapshot } from '../analyze/snapshot-types.js';
import { blockLabel, humanBytes, humanCount, padLeft, padRight, percent, shareBar } from './format.js';

export const ZONE_LABEL_WIDTH = 12;
const TAIL_COLUMNS = [
  { title: 'free', width: 7 },
  { title: '≥T', width: 7 },
  { title: 'ok@T', width: 5 },
  { title: 'top', width: 6 },
];

export interface ZoneLayout {
  cellWidth: number;
  header: string;
  showBars: boolean;
}

/** Column width per order: 6 when it fits, down to 4 for 14-order kernels on narrow terminals. */
export function orderCellWidth(orderCount: number, columns: number): number {
  const tail = TAIL_COLUMNS.reduce((sum, column) => sum + column.width, 0);
  const available = columns - ZONE_LABEL_WIDTH - tail;
  return Math.max(4, Math.min(6, Math.floor(available / Math.max(1, orderCount))));
}

export function zoneLabel(zone: ZoneSnapshot): string {
  return padRight(`${zone.node} ${zone.zone}`, ZONE_LABEL_WIDTH);
}

export function zoneHeader(snapshot: Snapshot, targetOrder: number, cellWidth: number): string {
  const orders = Array.from({ length: snapshot.orderCount }, (_, o) =>
    padLeft(blockLabel(snapshot.pageSize, o), cellWidth),
  );
  const tail = TAIL_COLUMNS.map(({ title, width }) =>
    padLeft(
      title === '≥T'
        ? `≥${blockLabel(snapshot.pageSize, targetOrder)}`
        : title.replace('T', String(targetOrder)),
      width,
    ),
  );
  return padRight('zone', ZONE_LABEL_WIDTH) + orders.join('') + tail.join('');
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

export function countCells(zone: ZoneSnapshot, orderCount: number, cellWidth: number): string[] {
  return Array.from({ length: orderCount }, (_, o) =>
    padLeft(humanCount(zone.freeBlocksByOrder[o] ?? 0, cellWidth - 1), cellWidth),
  );
}

export function barCells(zone: ZoneSnapshot, orderCount: number, cellWidth: number): string[] {
  return Array.from({ length: orderCount }, (_, o) => {
    const pages = (zone.freeBlocksByOrder[o] ?? 0) * 2 ** o;
    const bar = shareBar(zone.freePages ? pages / zone.freePages : 0);
    return padLeft(bar.repeat(Math.max(1, cellWidth - 2)), cellWidth);
  });
}

export function tailCells(zone: ZoneSnapshot, targetOrder: number, pageSize: number): string {
  const ok = zone.canAllocate ? (zone.canAllocate[targetOrder] ? 'yes' : 'no') : '?';
  const top = zone.highestFreeOrder < 0 ? 'none' : blockLabel(pageSize, zone.highestFreeOrder);
  return (
    padLeft(humanBytes(zone.freePages * pageSize), 7) +
    padLeft(percent(usableShare(zone, targetOrder)), 7) +
    padLeft(ok, 5) +
    padLeft(top, 6)
  );
}
