// Words and fixed-width layout of the fleet table and its status lines, shared by the screen and --once.
import type { FleetRow, FleetSort, FleetState } from '../analyze/fleet.js';
import { sparkline } from '../analyze/sparkline.js';
import { downsampleMin } from '../store/select-trends.js';
import { blockLabel, clockTime, humanBytes, humanCount, padLeft, padRight } from './format.js';

type ColumnName = 'host' | 'verdict' | 'blocks' | 'frag' | 'free' | 'failures' | 'stalls' | 'age' | 'trend';

interface Column {
  name: ColumnName;
  width: number;
  align: 'left' | 'right';
}

export interface FleetColumns {
  columns: Column[];
  /** Cells left for the sparkline (0: none). */
  trendWidth: number;
}

const FIXED: Omit<Column, 'width'>[] = [
  { name: 'verdict', align: 'left' },
  { name: 'blocks', align: 'right' },
  { name: 'frag', align: 'right' },
  { name: 'free', align: 'right' },
  { name: 'failures', align: 'right' },
  { name: 'stalls', align: 'right' },
  { name: 'age', align: 'right' },
];
const WIDTHS: Record<Exclude<ColumnName, 'host' | 'trend'>, number> = {
  verdict: 14,
  blocks: 8,
  frag: 7,
  free: 7,
  failures: 8,
  stalls: 8,
  age: 7,
};

/** Host names get 12 to 28 columns; the sparkline takes what is left (at least 8, else none). */
export function fleetColumns(width: number, longestHost: number): FleetColumns {
  const fixed = FIXED.reduce((sum, c) => sum + WIDTHS[c.name as keyof typeof WIDTHS], 0);
  const host = Math.max(12, Math.min(28, longestHost + 1, width - fixed));
  const rest = width - fixed - host - 2;
  const trendWidth = rest >= 8 ? Math.min(60, rest) : 0;
  const columns: Column[] = [
    { name: 'host', width: host, align: 'left' },
    ...FIXED.map((c) => ({ ...c, width: WIDTHS[c.name as keyof typeof WIDTHS] })),
  ];
  if (trendWidth > 0) columns.push({ name: 'trend', width: trendWidth + 2, align: 'left' });
  return { columns, trendWidth };
}

function cell(column: Column, text: string): string {
  return column.align === 'left' ? padRight(text, column.width) : padLeft(text, column.width);
}

export function fleetHeader(layout: FleetColumns, order: number, pageSizeBytes = 4096): string {
  const titles: Record<ColumnName, string> = {
    host: 'host',
    verdict: `order ${order}`,
    blocks: `ok@${order}`,
    frag: 'frag',
    free: 'free',
    failures: 'fail/1h',
    stalls: 'stall/s',
    age: 'age',
    trend: `  ≥${blockLabel(pageSizeBytes, order)} blocks, 1h`,
  };
  return layout.columns.map((c) => cell(c, titles[c.name])).join('');
}

export function ageLabel(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${+(seconds / 3600).toFixed(1)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** The verdict as shown: a host that stopped reporting says so before anything else. */
export function verdictLabel(row: FleetRow): string {
  if (row.stale) return 'stopped';
  return row.verdict;
}

/** Servable blocks; with buddyinfo alone the watermark check is unknown, so the suitable blocks with `?`. */
export function blocksLabel(row: FleetRow, width = 7): string {
  if (row.servableBlocks !== null) return humanCount(row.servableBlocks, width);
  return `${humanCount(row.suitableBlocks, width - 1)}?`;
}

function number(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

export function fleetRowText(row: FleetRow, layout: FleetColumns): string {
  const values: Record<ColumnName, string> = {
    host: row.host,
    verdict: verdictLabel(row),
    blocks: blocksLabel(row),
    frag: number(row.worstFragmentationIndex, 2),
    free: `${humanBytes(row.freeBytes)}${row.pageSizeAssumed && row.freeBytes !== null ? '*' : ''}`,
    failures: row.failuresLastHour === null ? '-' : humanCount(Math.round(row.failuresLastHour), 6),
    stalls: number(row.stallsPerSecond, 2),
    age: ageLabel(row.ageSeconds),
    trend:
      row.trend.length > 1
        ? `  ${sparkline(downsampleMin(row.trend, layout.trendWidth), layout.trendWidth)}`
        : '  (no trend yet)',
  };
  return layout.columns.map((c) => cell(c, values[c.name])).join('');
}

export const SORT_LABELS: Record<FleetSort, string> = {
  risk: 'risk',
  name: 'host name',
  blocks: 'fewest servable blocks',
  frag: 'worst fragmentation index',
  free: 'least free memory',
  failures: 'most allocation failures',
  stalls: 'most compaction stalls',
  age: 'oldest data',
};

/** What the status lines say about Prometheus itself: reachable or not, errors, the cost of the last refresh. */
export function fleetStatusLines(state: FleetState, url: string, nowMs: number): string[] {
  const lines: string[] = [];
  if (state.down) {
    const since = clockTime(state.down.sinceMs);
    const kept =
      state.lastAnswerMs === null
        ? 'no data yet'
        : `showing data from ${clockTime(state.lastAnswerMs)} (${ageLabel((nowMs - state.lastAnswerMs) / 1000)} old)`;
    lines.push(`Prometheus at ${url} unreachable since ${since} (${state.down.message}); ${kept}`);
  } else if (state.lastRefresh) {
    const r = state.lastRefresh;
    lines.push(
      `Prometheus ${url} · ${r.queries} queries, ${humanBytes(r.bytes)}, ${r.ms} ms at ${clockTime(r.atMs)}`,
    );
  } else lines.push(`Prometheus ${url} · asking…`);
  for (const error of state.errors) lines.push(`query ${error.query} failed: ${error.message}`);
  for (const problem of state.problems) lines.push(problem);
  return lines;
}

/** The whole table as text for `fleet --once`. */
export function fleetText(
  rows: readonly FleetRow[],
  state: FleetState,
  options: { url: string; order: number; width: number; nowMs: number },
): string {
  const layout = fleetColumns(options.width, Math.max(0, ...rows.map((r) => r.host.length)));
  const lines = [
    ...fleetStatusLines(state, options.url, options.nowMs),
    fleetHeader(layout, options.order),
    ...rows.map((row) => fleetRowText(row, layout)),
  ];
  if (rows.length === 0) lines.push('no hosts: no fragtop or node_exporter buddyinfo series match');
  if (rows.some((r) => r.source === 'buddyinfo'))
    lines.push('?: node_exporter buddyinfo only; the watermark check needs zoneinfo (fragtop metrics)');
  if (rows.some((r) => r.pageSizeAssumed && r.freeBytes !== null)) lines.push('*: 4 KiB pages assumed');
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
