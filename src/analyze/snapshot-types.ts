// The analysed view of one frame: what the store holds and every output (screen, JSON, metrics) reads.
import type {
  BuddyInfo,
  Counters,
  PageTypeInfo,
  Problem,
  SlabCache,
  ZoneInfo,
  ZoneKey,
} from '../parse/types.js';
import type { PageblockMapRead, TraceTalliesRead } from '../model/pageblock-map.js';

export interface ZoneSnapshot extends ZoneKey {
  freeBlocksByOrder: number[];
  freePages: number;
  highestFreeOrder: number;
  /** Kernel integers / 1000, as debugfs prints them. */
  unusableIndex: number[];
  fragmentationIndex: number[];
  watermarks: { min: number; low: number; high: number } | null;
  canAllocate: boolean[] | null;
  freeByType: Record<string, number[]> | null;
  blocksByType: Record<string, number> | null;
  managedPages: number | null;
  cmaFreePages: number;
}

export interface SlabRow extends SlabCache {
  bytes: number;
}

export interface MemorySummary {
  totalBytes: number | null;
  freeBytes: number | null;
  availableBytes: number | null;
  cachedBytes: number | null;
}

/** Why a panel has no data: the file was missing, unreadable, or empty. */
export type Unavailable = Partial<
  Record<'buddyinfo' | 'pagetypeinfo' | 'slabinfo' | 'zoneinfo' | 'vmstat' | 'meminfo', string>
>;

export interface Snapshot {
  timeMs: number;
  host: string | null;
  kernel: string | null;
  pageSizeBytes: number;
  orderCount: number;
  zones: ZoneSnapshot[];
  slabs: SlabRow[];
  slabAllocator: 'slub' | 'slab' | 'unknown' | null;
  memory: MemorySummary;
  vmstat: Record<string, number>;
  unavailable: Unavailable;
  problems: Problem[];
  /** The parsed files, for analyses that need more than the per-zone summary (diagnosis, migrate types). */
  parsed: {
    buddy: BuddyInfo | null;
    zoneinfo: ZoneInfo | null;
    pageTypes: PageTypeInfo | null;
    meminfo: Counters | null;
  };
  /** The newest pageblock map and trace tallies the frame carried; null when it carried none. */
  pageblocks: PageblockMapRead | null;
  events: TraceTalliesRead | null;
  /** Milliseconds each file took to read, for the header and the bench. */
  readMs: Partial<Record<string, number>>;
}
