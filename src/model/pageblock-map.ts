// The pageblock map of physical memory (from /proc/kpageflags) and the trace-event tallies, as frames carry them.

/** What a pageblock holds, as compaction sees it. */
export const PAGEBLOCK_CLASSES = ['free', 'movable', 'unmovable', 'hole', 'unread'] as const;
export type PageblockClass = (typeof PAGEBLOCK_CLASSES)[number];

/** One character per pageblock in `ZonePageblocks.classes`; a string of them compresses well in recordings. */
export const CLASS_CODES: Record<PageblockClass, string> = {
  free: 'F',
  movable: 'M',
  unmovable: 'U',
  hole: 'H',
  unread: '?',
};

export type PageCounts = Record<PageblockClass, number>;

export interface ZonePageblocks {
  node: number;
  zone: string;
  startPfn: number;
  spannedPages: number;
  /** One CLASS_CODES character per pageblock, from the pageblock holding startPfn to the one holding the last pfn. */
  classes: string;
  /** Pages of the span by class (pages outside the span in the first and last pageblock are not counted). */
  pages: PageCounts;
  /**
   * Per order: aligned ranges of 2^order pages inside the span holding no unmovable page and no hole
   * (unread pages count as clean, so the ceiling stays an upper bound).
   */
  cleanRanges: number[];
  /**
   * Pageblocks whose every page has no flag at all: memory the kernel has not initialised yet (deferred
   * struct-page init) or raw kernel allocations. They count as unmovable; the view says how many there are.
   */
  flaglessBlocks: number;
  /** The pages of those pageblocks: the ceiling counts them as possibly free (an upper bound must not shrink). */
  flaglessPages: number;
  /** Other zones whose spans share page frames with this one (NUMA nodes can interleave). */
  overlapsWith: string[];
}

export interface PageblockMap {
  /** Epoch ms when the read started. */
  timeMs: number;
  readMs: number;
  pageSizeBytes: number;
  pageblockOrder: number;
  /** Buddy orders on this kernel (11 on x86-64): cleanRanges has one entry per order. */
  orderCount: number;
  zones: ZonePageblocks[];
  /** Why part of the map could not be read (a short read, the size bound). */
  notes: string[];
}

export type PageblockMapRead = { ok: true; map: PageblockMap } | { ok: false; message: string };

/** A count per process that caused an event. */
export interface ProcessCount {
  comm: string;
  pid: number;
  count: number;
}

export interface StealCount {
  /** The migrate type whose pageblock was stolen from (fallback_migratetype). */
  from: string;
  /** The migrate type of the allocation (alloc_migratetype). */
  to: string;
  count: number;
}

export interface StallCount extends ProcessCount {
  /** Direct compaction time measured from mm_compaction_begin to mm_compaction_end in this process. */
  totalMs: number;
  maxMs: number;
}

/** Tallies of the fragmentation and compaction trace events since tracing started. */
export interface TraceTallies {
  /** Epoch ms tracing started and of the last poll. */
  sinceMs: number;
  untilMs: number;
  /** Events the kernel dropped because the buffer was full between two polls. */
  lost: number;
  /** Lines that were not a known event. */
  unparsed: number;
  extfrag: {
    total: number;
    /** Steals of less than a pageblock: they leave a pageblock of mixed migrate types (fragmenting=1). */
    fragmenting: number;
    byProcess: (ProcessCount & { fragmenting: number })[];
    byDirection: StealCount[];
    /** Per allocation order. */
    byOrder: number[];
  };
  compaction: {
    kcompactdWakes: number;
    /** mm_compaction_try_to_compact_pages: an allocation entered direct compaction. */
    directCompactions: number;
    begins: number;
    ends: number;
    stalls: StallCount[];
  };
  /** Events that were asked for but that this kernel lacks. */
  missingEvents: string[];
}

export type TraceTalliesRead =
  { ok: true; tallies: TraceTallies; note: string | null } | { ok: false; message: string };
