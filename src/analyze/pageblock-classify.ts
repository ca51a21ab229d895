// Classifies page frames from /proc/kpageflags words and folds them into per-zone pageblock maps; pure.
import {
  CLASS_CODES,
  PAGEBLOCK_CLASSES,
  type PageblockMap,
  type PageCounts,
  type ZonePageblocks,
} from '../model/pageblock-map.js';

// Bits of include/uapi/linux/kernel-page-flags.h (and the kernel-internal ones above 31, which
// /proc/kpageflags also exports), split into the low and high 32-bit words of each 64-bit entry.
const KPF_LRU = 1 << 5;
const KPF_SLAB = 1 << 7;
const KPF_BUDDY = 1 << 10;
const KPF_MMAP = 1 << 11;
const KPF_ANON = 1 << 12;
const KPF_SWAPCACHE = 1 << 13;
const KPF_SWAPBACKED = 1 << 14;
const KPF_HUGE = 1 << 17;
const KPF_UNEVICTABLE = 1 << 18;
const KPF_HWPOISON = 1 << 19;
const KPF_NOPAGE = 1 << 20;
const KPF_KSM = 1 << 21;
const KPF_THP = 1 << 22;
const KPF_OFFLINE = 1 << 23;
const KPF_ZERO_PAGE = 1 << 24;
const KPF_PGTABLE = 1 << 26;
/** KPF_RESERVED is bit 32: bit 0 of the high word. */
const KPF_RESERVED_HIGH = 1 << 0;

/** Page classes as small numbers, in PAGEBLOCK_CLASSES order. */
export const FREE = 0;
export const MOVABLE = 1;
export const UNMOVABLE = 2;
export const HOLE = 3;
export const UNREAD = 4;

/** Held by the kernel in a way compaction cannot move: slab, page tables, reserved, hugetlb, poisoned, ballooned. */
const PINNED_LOW = KPF_SLAB | KPF_PGTABLE | KPF_OFFLINE | KPF_HWPOISON | KPF_ZERO_PAGE | KPF_HUGE;
/** User memory and page cache: on an LRU list, mapped, anonymous, swap cache, transparent huge pages. */
const MOVABLE_LOW =
  KPF_LRU | KPF_ANON | KPF_MMAP | KPF_SWAPCACHE | KPF_SWAPBACKED | KPF_THP | KPF_UNEVICTABLE | KPF_KSM;

/**
 * What one page frame is, from its flag words. A page with none of the known bits is a kernel allocation
 * (vmalloc, a driver's pages, per-CPU free lists): compaction cannot move it, so it counts as unmovable.
 */
export function pageClass(low: number, high: number): number {
  if (low & KPF_NOPAGE) return HOLE;
  if (low & KPF_BUDDY) return FREE;
  if (high & KPF_RESERVED_HIGH || low & PINNED_LOW) return UNMOVABLE;
  if (low & MOVABLE_LOW) return MOVABLE;
  return UNMOVABLE;
}

export interface ZoneSpan {
  node: number;
  zone: string;
  startPfn: number;
  spannedPages: number;
}

export interface MapLayout {
  zones: ZoneSpan[];
  pageblockOrder: number;
  /** Buddy orders on this kernel: free blocks go up to 2^(orderCount-1) pages. */
  orderCount: number;
}

/** Chunks handed to the builder start on a multiple of this many pages (a pageblock and a largest buddy block). */
export function alignmentPages(layout: MapLayout): number {
  return 2 ** Math.max(layout.pageblockOrder, layout.orderCount - 1, 0);
}

/** The page frames to read: every zone's span, widened to the alignment. Null when no zone spans anything. */
export function readWindow(layout: MapLayout): { firstPfn: number; endPfn: number } | null {
  const spans = layout.zones.filter((zone) => zone.spannedPages > 0);
  if (spans.length === 0) return null;
  const align = alignmentPages(layout);
  const first = Math.min(...spans.map((zone) => zone.startPfn));
  const end = Math.max(...spans.map((zone) => zone.startPfn + zone.spannedPages));
  return { firstPfn: Math.floor(first / align) * align, endPfn: Math.ceil(end / align) * align };
}

interface ZoneState {
  span: ZoneSpan;
  endPfn: number;
  firstBlock: number;
  /** Per pageblock, pages of each class inside the span (5 counters a block). */
  blockCounts: Int32Array;
  pages: PageCounts;
  cleanRanges: number[];
  /** Per pageblock, pages with no flag at all. */
  flagless: Int32Array;
  /** Pages of the span in pageblocks with no flag on any page. */
  flaglessPages: number;
}

function emptyCounts(): PageCounts {
  return { free: 0, movable: 0, unmovable: 0, hole: 0, unread: 0 };
}

/** Aligned ranges of `size` pages lying wholly inside [from, to). */
function alignedRangesWithin(from: number, to: number, size: number): number {
  return Math.max(0, Math.floor(to / size) - Math.ceil(from / size));
}

/**
 * Builds the map chunk by chunk, so the 8 bytes per page frame never sit in memory all at once. Chunks must
 * come in order, contiguous, each starting on alignmentPages(); only the last may be short (a short read).
 */
export class PageblockMapBuilder {
  private readonly zones: ZoneState[];
  private readonly blockPages: number;
  private readonly align: number;
  private readonly maxBlockOrder: number;
  /** Until a free page is seen right after another at an even frame, assume the kernel marks only a free block's head. */
  private tailsMarked = false;
  /** First page frame not covered by a chunk yet. */
  private coveredUntil: number | null = null;
  private readonly window: { firstPfn: number; endPfn: number } | null;

  constructor(private readonly layout: MapLayout) {
    this.blockPages = 2 ** layout.pageblockOrder;
    this.align = alignmentPages(layout);
    this.maxBlockOrder = Math.max(0, layout.orderCount - 1);
    this.window = readWindow(layout);
    this.zones = layout.zones
      .filter((span) => span.spannedPages > 0)
      .map((span) => {
        const endPfn = span.startPfn + span.spannedPages;
        const firstBlock = Math.floor(span.startPfn / this.blockPages);
        const blocks = Math.floor((endPfn - 1) / this.blockPages) - firstBlock + 1;
        return {
          span,
          endPfn,
          firstBlock,
          blockCounts: new Int32Array(blocks * PAGEBLOCK_CLASSES.length),
          pages: emptyCounts(),
          cleanRanges: new Array<number>(layout.orderCount).fill(0),
          flagless: new Int32Array(blocks),
          flaglessPages: 0,
        };
      });
  }

  /** The frames still to read, or null when the window is covered. */
  nextPfn(): number | null {
    if (!this.window) return null;
    const next = this.coveredUntil ?? this.window.firstPfn;
    return next < this.window.endPfn ? next : null;
  }

  /** `words` holds two 32-bit words (low, high) per page frame, starting at `firstPfn`. */
  addChunk(firstPfn: number, words: Uint32Array): void {
    const expected = this.nextPfn();
    if (expected === null || firstPfn !== expected)
      throw new Error(`chunk at pfn ${firstPfn}, expected ${expected}`);
    const pages = Math.floor(words.length / 2);
    // Whole alignment units; pages past a short chunk's end are unread.
    const unitEnd = firstPfn + Math.ceil(pages / this.align) * this.align;
    const classes = new Uint8Array(unitEnd - firstPfn).fill(UNREAD);
    for (let i = 0; i < pages; i++) classes[i] = pageClass(words[2 * i] ?? 0, words[2 * i + 1] ?? 0);
    this.markBuddyTails(firstPfn, words, pages, classes);
    const flaglessBlocks = this.wholeFlaglessBlocks(words, pages);
    for (const zone of this.zones) {
      this.foldZone(zone, firstPfn, unitEnd, classes, flaglessBlocks);
      const from = Math.max(firstPfn, zone.span.startPfn);
      const to = Math.min(firstPfn + pages, zone.endPfn);
      for (let pfn = from; pfn < to; pfn++) {
        const i = pfn - firstPfn;
        if (words[2 * i] === 0 && words[2 * i + 1] === 0 && classes[i] === UNMOVABLE)
          zone.flagless[Math.floor(pfn / this.blockPages) - zone.firstBlock]! += 1;
      }
    }
    this.coveredUntil = unitEnd;
  }

  /**
   * Kernels that flag only the head page of a free block leave its other pages without flags: a run of
   * flagless pages after a free head, within the block's alignment, is taken as the rest of the block.
   */
  private markBuddyTails(firstPfn: number, words: Uint32Array, pages: number, classes: Uint8Array): void {
    if (!this.tailsMarked)
      for (let i = 0; i + 1 < pages; i += 2)
        if (
          (firstPfn + i) % 2 === 0 &&
          (words[2 * i] ?? 0) & KPF_BUDDY &&
          (words[2 * i + 2] ?? 0) & KPF_BUDDY
        ) {
          this.tailsMarked = true;
          break;
        }
    if (this.tailsMarked) return;
    const flagless = (i: number) => words[2 * i] === 0 && words[2 * i + 1] === 0;
    for (let i = 0; i < pages; i++) {
      if (!((words[2 * i] ?? 0) & KPF_BUDDY)) continue;
      let order = 0;
      while (order < this.maxBlockOrder) {
        const size = 2 ** (order + 1);
        if ((firstPfn + i) % size !== 0 || i + size > pages) break;
        let allFlagless = true;
        for (let j = i + size / 2; j < i + size && allFlagless; j++) allFlagless = flagless(j);
        if (!allFlagless) break;
        order++;
      }
      const size = 2 ** order;
      for (let j = i + 1; j < i + size; j++) classes[j] = FREE;
      i += size - 1;
    }
  }

  /**
   * Pageblocks of the chunk whose every page has no flag: on kernels that initialise memory lazily these are
   * pages not handed to the allocator yet, which may become free at any moment; the ceiling counts them as such.
   */
  private wholeFlaglessBlocks(words: Uint32Array, pages: number): Uint8Array {
    const blocks = new Uint8Array(Math.ceil(pages / this.blockPages));
    for (let b = 0; b < blocks.length; b++) {
      const end = Math.min(pages, (b + 1) * this.blockPages);
      if (end - b * this.blockPages < this.blockPages) continue;
      let all = true;
      for (let i = b * this.blockPages; i < end && all; i++)
        all = words[2 * i] === 0 && words[2 * i + 1] === 0;
      blocks[b] = all ? 1 : 0;
    }
    return blocks;
  }

  private foldZone(
    zone: ZoneState,
    firstPfn: number,
    unitEnd: number,
    classes: Uint8Array,
    flaglessBlocks: Uint8Array,
  ): void {
    const from = Math.max(firstPfn, zone.span.startPfn);
    const to = Math.min(unitEnd, zone.endPfn);
    if (from >= to) return;
    const kinds = PAGEBLOCK_CLASSES.length;
    const counts = [0, 0, 0, 0, 0];
    for (let pfn = from; pfn < to; pfn++) {
      const cls = classes[pfn - firstPfn] ?? UNREAD;
      counts[cls]! += 1;
      const block = Math.floor(pfn / this.blockPages) - zone.firstBlock;
      zone.blockCounts[block * kinds + cls]! += 1;
    }
    PAGEBLOCK_CLASSES.forEach((name, k) => (zone.pages[name] += counts[k] ?? 0));
    for (let pfn = from; pfn < to; pfn++)
      if (flaglessBlocks[Math.floor((pfn - firstPfn) / this.blockPages)]) zone.flaglessPages++;
    this.countCleanRanges(zone, firstPfn, unitEnd, classes, flaglessBlocks);
  }

  /** Per order, the aligned ranges inside the span with no unmovable page and no hole, by halving a "blocked" array. */
  private countCleanRanges(
    zone: ZoneState,
    firstPfn: number,
    unitEnd: number,
    classes: Uint8Array,
    flaglessBlocks: Uint8Array,
  ): void {
    const unit = 2 ** this.maxBlockOrder;
    const blocked = new Uint8Array(unit);
    const start = Math.max(firstPfn, Math.floor(zone.span.startPfn / unit) * unit);
    for (let base = start; base < unitEnd && base < zone.endPfn; base += unit) {
      for (let k = 0; k < unit; k++) {
        const pfn = base + k;
        const cls = classes[pfn - firstPfn] ?? UNREAD;
        const mayBeFree = flaglessBlocks[Math.floor((pfn - firstPfn) / this.blockPages)] === 1;
        blocked[k] =
          pfn < zone.span.startPfn || pfn >= zone.endPfn || (cls === UNMOVABLE && !mayBeFree) || cls === HOLE
            ? 1
            : 0;
      }
      let width = unit;
      for (let order = 0; order <= this.maxBlockOrder; order++) {
        let clean = 0;
        for (let k = 0; k < width; k++) if (!blocked[k]) clean++;
        zone.cleanRanges[order]! += clean;
        width /= 2;
        for (let k = 0; k < width; k++) blocked[k] = blocked[2 * k]! | blocked[2 * k + 1]!;
      }
    }
  }

  finish(meta: { timeMs: number; readMs: number; pageSizeBytes: number; notes?: string[] }): PageblockMap {
    const notes = [...(meta.notes ?? [])];
    const covered = this.coveredUntil ?? this.window?.firstPfn ?? 0;
    const kinds = PAGEBLOCK_CLASSES.length;
    const zones: ZonePageblocks[] = this.zones.map((zone) => {
      // Frames never read: counted as unread, and as clean for the ceiling (an upper bound must not shrink).
      const from = Math.max(covered, zone.span.startPfn);
      if (from < zone.endPfn) {
        zone.pages.unread += zone.endPfn - from;
        for (let pfn = from; pfn < zone.endPfn;) {
          const block = Math.floor(pfn / this.blockPages);
          const blockEnd = Math.min(zone.endPfn, (block + 1) * this.blockPages);
          zone.blockCounts[(block - zone.firstBlock) * kinds + UNREAD]! += blockEnd - pfn;
          pfn = blockEnd;
        }
        for (let order = 0; order < zone.cleanRanges.length; order++)
          zone.cleanRanges[order]! += alignedRangesWithin(from, zone.endPfn, 2 ** order);
      }
      return {
        node: zone.span.node,
        zone: zone.span.zone,
        startPfn: zone.span.startPfn,
        spannedPages: zone.span.spannedPages,
        classes: blockClasses(zone.blockCounts),
        pages: zone.pages,
        cleanRanges: zone.cleanRanges,
        overlapsWith: this.overlapsOf(zone),
        flaglessBlocks: this.flaglessBlocks(zone),
        flaglessPages: zone.flaglessPages,
      };
    });
    return {
      timeMs: meta.timeMs,
      readMs: meta.readMs,
      pageSizeBytes: meta.pageSizeBytes,
      pageblockOrder: this.layout.pageblockOrder,
      orderCount: this.layout.orderCount,
      zones,
      notes,
    };
  }

  /** Pageblocks whose pages inside the span all have no flag. */
  private flaglessBlocks(zone: ZoneState): number {
    const kinds = PAGEBLOCK_CLASSES.length;
    let blocks = 0;
    zone.flagless.forEach((n, b) => {
      let total = 0;
      for (let k = 0; k < kinds; k++) total += zone.blockCounts[b * kinds + k] ?? 0;
      if (n > 0 && n === total) blocks++;
    });
    return blocks;
  }

  private overlapsOf(zone: ZoneState): string[] {
    return this.zones
      .filter(
        (other) => other !== zone && other.span.startPfn < zone.endPfn && zone.span.startPfn < other.endPfn,
      )
      .map((other) => `${other.span.node} ${other.span.zone}`);
  }
}

/** A pageblock's class: unmovable if any page is; else a hole if any page is one; then unread, movable, free. */
function blockClasses(counts: Int32Array): string {
  const kinds = PAGEBLOCK_CLASSES.length;
  let out = '';
  for (let b = 0; b < counts.length / kinds; b++) {
    const at = (k: number) => counts[b * kinds + k] ?? 0;
    const total = at(FREE) + at(MOVABLE) + at(UNMOVABLE) + at(HOLE) + at(UNREAD);
    const cls =
      total === 0
        ? 'hole'
        : at(UNMOVABLE) > 0
          ? 'unmovable'
          : at(HOLE) > 0
            ? 'hole'
            : at(UNREAD) > 0
              ? 'unread'
              : at(MOVABLE) > 0
                ? 'movable'
                : 'free';
    out += CLASS_CODES[cls];
  }
  return out;
}
