// The pageblock map and the compaction ceiling in words and cells, for the M view and `fragtop map`; pure.
import { blockShares, unmovableShare, zoneCeiling, type BlockShares } from '../analyze/compaction-ceiling.js';
import { blocksAtOrder } from '../analyze/remediation-effect.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import {
  CLASS_CODES,
  type PageblockMap,
  type PageblockClass,
  type ZonePageblocks,
} from '../model/pageblock-map.js';
import { blockLabel, clockTime, durationLabel, formatBytes, percent } from './format.js';
import { terminalSafe as printable } from '../parse/terminal-text.js';

/** A line of text, or a row of map cells (one class code per cell) after a prefix. */
export type MapLine = { kind: 'text'; text: string } | { kind: 'cells'; prefix: string; cells: string };

/** How each class is drawn without colour; the screen colours them too. */
export const CLASS_GLYPHS: Record<PageblockClass, string> = {
  free: '░',
  movable: '▒',
  unmovable: '█',
  hole: ' ',
  unread: '?',
};

const CODE_TO_CLASS = new Map<string, PageblockClass>(
  (Object.entries(CLASS_CODES) as [PageblockClass, string][]).map(([cls, code]) => [code, cls]),
);

export function classOfCode(code: string): PageblockClass {
  return CODE_TO_CLASS.get(code) ?? 'unread';
}

export const LEGEND = `${CLASS_GLYPHS.free} free   ${CLASS_GLYPHS.movable} free + movable only (compaction can empty it)   ${CLASS_GLYPHS.unmovable} holds unmovable pages   '${CLASS_GLYPHS.hole}' hole   ${CLASS_GLYPHS.unread} not read`;

/** Ties go to the class that matters most for compaction. */
const TIE_ORDER = [
  CLASS_CODES.unmovable,
  CLASS_CODES.hole,
  CLASS_CODES.unread,
  CLASS_CODES.movable,
  CLASS_CODES.free,
];

/** One cell per `group` pageblocks: the class most of them have. */
export function groupCells(classes: string, group: number): string {
  if (group <= 1) return classes;
  let out = '';
  for (let at = 0; at < classes.length; at += group) {
    const counts = new Map<string, number>();
    for (const code of classes.slice(at, at + group)) counts.set(code, (counts.get(code) ?? 0) + 1);
    let best = CLASS_CODES.free;
    let bestCount = -1;
    for (const code of TIE_ORDER) {
      const n = counts.get(code) ?? 0;
      if (n > bestCount) {
        best = code;
        bestCount = n;
      }
    }
    out += best;
  }
  return out;
}

function sharesText(shares: BlockShares): string {
  const of = (n: number) => percent(shares.pageblocks ? n / shares.pageblocks : null);
  const parts = [
    `free ${of(shares.free)}`,
    `movable ${of(shares.movable)}`,
    `unmovable ${of(shares.unmovable)}`,
    `hole ${of(shares.hole)}`,
  ];
  if (shares.unread) parts.push(`not read ${of(shares.unread)}`);
  return parts.join(' · ');
}

const count = (n: number) => n.toLocaleString('en-US');

/** "order 6 (256K): 84 now, ≤ 9,120 after compaction; 31% of pageblocks hold unmovable pages". */
export function ceilingSentence(
  zone: ZonePageblocks,
  snapshot: Snapshot | null,
  order: number,
  pageSizeBytes: number,
): string {
  const ceiling = zoneCeiling(zone, order);
  const live = snapshot?.zones.find((z) => z.node === zone.node && z.zone === zone.zone);
  const now = live ? count(blocksAtOrder(live.freeBlocksByOrder, order)) : '?';
  const head = `order ${order} (${blockLabel(pageSizeBytes, order)}): ${now} now`;
  if (!ceiling) return `${head}; this kernel has no order ${order}`;
  const share = unmovableShare(zone);
  const limit =
    ceiling.ceiling === ceiling.cleanRanges ? 'ranges free of unmovable pages' : 'free pages to migrate into';
  return `${head}, ≤ ${count(ceiling.ceiling)} after compaction (limited by ${limit}); ${percent(share)} of pageblocks hold unmovable pages`;
}

function zoneTitle(zone: ZonePageblocks, map: PageblockMap, group: number): string {
  const span = formatBytes(zone.spannedPages * map.pageSizeBytes, { units: 'iec' });
  const end = zone.startPfn + zone.spannedPages;
  const cell = group > 1 ? ` · a cell is ${group} pageblocks` : '';
  const overlap = zone.overlapsWith.length
    ? ` · shares page frames with ${zone.overlapsWith.map((z) => printable(z)).join(', ')} (counted in both)`
    : '';
  return `${zone.node} ${printable(zone.zone)} · pfn 0x${zone.startPfn.toString(16)}-0x${end.toString(16)} (${span}) · ${count(zone.classes.length)} pageblocks of ${blockLabel(map.pageSizeBytes, map.pageblockOrder)}${cell}${overlap}`;
}

export interface MapLinesInput {
  read: Snapshot['pageblocks'];
  snapshot: Snapshot | null;
  targetOrder: number;
  width: number;
  maxLines: number;
  nowMs: number;
  /** What to say when there is no map yet (live: reading; replay: the recording has none). */
  missing: string;
}

/** The lines of the map view: a header, then per zone a title, its shares and ceiling, and its cells. */
export function pageblockMapLines(input: MapLinesInput): MapLine[] {
  const text = (t: string): MapLine => ({ kind: 'text', text: t });
  const { read } = input;
  if (!read) return [text(input.missing)];
  if (!read.ok) return [text(`pageblock map unavailable: ${printable(read.message)}`)];
  const { map } = read;
  const age = Math.max(0, input.nowMs - map.timeMs);
  const lines: MapLine[] = [
    text(
      `read ${clockTime(map.timeMs)} (${durationLabel(Math.round(age / 1000) * 1000)} ago) in ${durationLabel(Math.round(map.readMs))} · refreshed every 10 s while open`,
    ),
    text(LEGEND),
    ...map.notes.map((note) => text(`note: ${printable(note)}`)),
  ];
  const zones = map.zones.filter((zone) => zone.classes.length > 0);
  const fixed = lines.length + zones.length * 3;
  const cellRows = Math.max(zones.length, input.maxLines - fixed);
  const totalBlocks = zones.reduce((sum, zone) => sum + zone.classes.length, 0);
  const prefix = '  ';
  const perRow = Math.max(8, input.width - prefix.length);
  for (const zone of zones) {
    // Rows shared out by size, at least one per zone.
    const rows = Math.max(1, Math.floor((cellRows * zone.classes.length) / Math.max(1, totalBlocks)));
    const group = Math.max(1, Math.ceil(zone.classes.length / (rows * perRow)));
    const cells = groupCells(zone.classes, group);
    lines.push(text(zoneTitle(zone, map, group)));
    lines.push(
      text(
        `  ${sharesText(blockShares(zone))}${zone.flaglessBlocks ? ` · ${count(zone.flaglessBlocks)} unmovable blocks have no page flags at all (memory not initialised yet, or raw kernel allocations; the ceiling counts them as possibly free)` : ''}`,
      ),
    );
    lines.push(text(`  ${ceilingSentence(zone, input.snapshot, input.targetOrder, map.pageSizeBytes)}`));
    for (let at = 0; at < cells.length; at += perRow)
      lines.push({ kind: 'cells', prefix, cells: cells.slice(at, at + perRow) });
  }
  return lines.slice(0, Math.max(0, input.maxLines));
}

/** A map line as plain text (no colour): cells become their glyphs. */
export function plainMapLine(line: MapLine): string {
  if (line.kind === 'text') return line.text;
  let out = line.prefix;
  for (const code of line.cells) out += CLASS_GLYPHS[classOfCode(code)];
  return out;
}

/** The compact dialog's "before" lines: per zone, blocks of the order now and the ceiling from the newest map. */
export function ceilingBeforeLines(snapshot: Snapshot | null, order: number): string[] {
  const read = snapshot?.pageblocks ?? null;
  if (!read) return ['before: reading the pageblock map for the compaction ceiling (root; M shows it)…'];
  if (!read.ok) return [`before: no compaction ceiling: ${printable(read.message)}`];
  const { map } = read;
  return map.zones
    .filter((zone) => zone.classes.length > 0)
    .map(
      (zone) =>
        `before (map of ${clockTime(map.timeMs)}): ${zone.node} ${printable(zone.zone)} ${ceilingSentence(zone, snapshot, order, map.pageSizeBytes)}`,
    );
}
