// The kernel's unusable free space index and fragmentation index (mm/vmstat.c), in its own integer math.

import type { Parsed, Problem, ZoneKey } from '../parse/types.js';

/** What fill_contig_page_info() gathers for one zone and one requested order. */
export interface ContigPageInfo {
  /** Σ nr_free[o]·2^o: free base pages. */
  freePages: number;
  /** Σ nr_free[o]: free blocks of any order. */
  freeBlocksTotal: number;
  /** Σ_{o≥N} nr_free[o]·2^(o−N): order-N blocks obtainable by splitting larger ones. */
  freeBlocksSuitable: number;
}

interface ContigBig {
  freePages: bigint;
  freeBlocksTotal: bigint;
  freeBlocksSuitable: bigint;
}

/** The kernel counts in unsigned 64-bit; odd inputs (negative, fractional, NaN) count as nothing. */
function count(value: number | undefined): bigint {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return 0n;
  return BigInt(Math.trunc(value));
}

/** Requested orders below 0 are treated as 0: the kernel's order is unsigned. */
function orderOf(order: number): number {
  return Number.isFinite(order) && order > 0 ? Math.trunc(order) : 0;
}

// BigInt keeps free_pages·1000 exact where doubles would round (large hosts, 14 orders).
function contigBig(freeBlocksByOrder: readonly number[], order: number): ContigBig {
  const n = orderOf(order);
  let freePages = 0n;
  let freeBlocksTotal = 0n;
  let freeBlocksSuitable = 0n;
  freeBlocksByOrder.forEach((raw, o) => {
    const blocks = count(raw);
    freeBlocksTotal += blocks;
    freePages += blocks << BigInt(o);
    if (o >= n) freeBlocksSuitable += blocks << BigInt(o - n);
  });
  return { freePages, freeBlocksTotal, freeBlocksSuitable };
}

/** fill_contig_page_info(): free pages, free blocks and order-N-suitable blocks of one zone. */
export function contigPageInfo(freeBlocksByOrder: readonly number[], order: number): ContigPageInfo {
  const info = contigBig(freeBlocksByOrder, order);
  return {
    freePages: Number(info.freePages),
    freeBlocksTotal: Number(info.freeBlocksTotal),
    freeBlocksSuitable: Number(info.freeBlocksSuitable),
  };
}

/**
 * unusable_free_index(): thousandths of free memory held in blocks smaller than `order`, truncated.
 * 1000 when nothing is free ("no free memory is interpreted as all free memory is unusable").
 */
export function unusableIndex(freeBlocksByOrder: readonly number[], order: number): number {
  return unusableFromBig(contigBig(freeBlocksByOrder, order), order);
}

/**
 * __fragmentation_index(): 0 when nothing is free, −1000 when an order-N block is free, otherwise
 * 1000 − (1000 + free_pages·1000/2^N) / free_blocks_total with truncating divisions. Near 1000 the
 * request fails from fragmentation, near 0 from lack of memory. With fewer than 1000 free blocks the
 * formula can go below 0 (one free page asked about order 1 gives −500); the range is [−1000, 1000].
 */
export function fragmentationIndex(freeBlocksByOrder: readonly number[], order: number): number {
  return fragmentationFromBig(contigBig(freeBlocksByOrder, order), order);
}

/** The same two indices from fill_contig_page_info()'s sums alone (the fleet reads only those, not every order). */
export function unusableIndexOfInfo(
  info: Pick<ContigPageInfo, 'freePages' | 'freeBlocksSuitable'>,
  order: number,
): number {
  return unusableFromBig(toBig({ ...info, freeBlocksTotal: 0 }), order);
}

export function fragmentationIndexOfInfo(info: ContigPageInfo, order: number): number {
  return fragmentationFromBig(toBig(info), order);
}

function toBig(info: ContigPageInfo): ContigBig {
  return {
    freePages: count(info.freePages),
    freeBlocksTotal: count(info.freeBlocksTotal),
    freeBlocksSuitable: count(info.freeBlocksSuitable),
  };
}

function unusableFromBig(info: ContigBig, order: number): number {
  if (info.freePages === 0n) return 1000;
  const usable = info.freeBlocksSuitable << BigInt(orderOf(order));
  return Number(((info.freePages - usable) * 1000n) / info.freePages);
}

function fragmentationFromBig(info: ContigBig, order: number): number {
  if (info.freeBlocksTotal === 0n) return 0;
  if (info.freeBlocksSuitable > 0n) return -1000;
  const requested = 1n << BigInt(orderOf(order));
  return Number(1000n - (1000n + (info.freePages * 1000n) / requested) / info.freeBlocksTotal);
}

/** One index for every order the zone has (the length of its buddyinfo row), as debugfs lists them. */
export function indexPerOrder(
  freeBlocksByOrder: readonly number[],
  fn: (freeBlocksByOrder: readonly number[], order: number) => number,
): number[] {
  return freeBlocksByOrder.map((_, order) => fn(freeBlocksByOrder, order));
}

/** A kernel index (thousandths) as debugfs shows it: −1000 → −1, 512 → 0.512, −500 (`0.-500`) → −0.5. */
export function toDebugfs(value: number): number {
  // Division of an integer by 1000 is correctly rounded, so it equals parsing the printed text.
  return value / 1000;
}

/** One row of debugfs extfrag/unusable_index or extfrag/extfrag_index. */
export interface DebugfsExtfragZone extends ZoneKey {
  /** The kernel integers (thousandths), as reconstructed from `index / 1000` `.` `index % 1000`. */
  kernelValues: number[];
  /** The same divided by 1000 (what the file shows). */
  values: number[];
}

const ROW = /^Node\s+(\d+),\s*zone\s+(\S+)(.*)$/;
// `%d.%03d` of C int division: the remainder carries the sign when the quotient is 0 (`0.-500`).
const CELL = /^(-?\d+)\.(\d{3}|-\d{2,3})$/;

/**
 * Parses debugfs `extfrag/unusable_index` or `extfrag/extfrag_index` text: `Node 0, zone   Normal 0.000 …`
 * in both the `%d.%03d` and the padded `%2d.%03d` layouts. Odd lines are reported and skipped.
 */
export function parseDebugfsExtfrag(text: string, file = 'extfrag'): Parsed<DebugfsExtfragZone[]> {
  const zones: DebugfsExtfragZone[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '') return;
    const lineNo = i + 1;
    const m = ROW.exec(line);
    if (!m) {
      problems.push({ file, line: lineNo, message: `not a "Node N, zone NAME" row: ${line.slice(0, 60)}` });
      return;
    }
    const cells = (m[3] ?? '')
      .trim()
      .split(/\s+/)
      .filter((c) => c !== '');
    if (cells.length === 0) {
      problems.push({ file, line: lineNo, message: 'row has no values' });
      return;
    }
    const kernelValues: number[] = [];
    for (const cell of cells) {
      const c = CELL.exec(cell);
      if (!c) {
        problems.push({ file, line: lineNo, message: `bad value "${cell.slice(0, 20)}"` });
        return;
      }
      kernelValues.push(Number(c[1]) * 1000 + Number(c[2]));
    }
    zones.push({ node: Number(m[1]), zone: m[2] ?? '', kernelValues, values: kernelValues.map(toDebugfs) });
  });
  return { value: zones, problems };
}
