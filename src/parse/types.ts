// Shapes produced by the parsers: data plus the problems found on the way.

/** An odd line a parser skipped; `line` is 1-based. */
export interface Problem {
  file: string;
  line?: number;
  message: string;
}

export interface Parsed<T> {
  value: T;
  problems: Problem[];
}

export interface ZoneKey {
  node: number;
  zone: string;
}

/** /proc/buddyinfo: free blocks per order for each node/zone. */
export interface BuddyZone extends ZoneKey {
  freeBlocksByOrder: number[];
}
export interface BuddyInfo {
  zones: BuddyZone[];
}

/** /proc/pagetypeinfo free-list row. `atLeast[o]` marks cells printed as `>100000` (a lower bound). */
export interface PageTypeFreeRow extends ZoneKey {
  type: string;
  freeBlocksByOrder: number[];
  atLeast: boolean[];
}
export interface PageTypeBlockRow extends ZoneKey {
  blocksByType: Record<string, number>;
}
export interface PageTypeInfo {
  pageblockOrder?: number;
  pagesPerBlock?: number;
  /** Migrate type names in the order the header lists them. */
  migrateTypes: string[];
  free: PageTypeFreeRow[];
  blocks: PageTypeBlockRow[];
}

/** /proc/slabinfo row (version 2.1). */
export interface SlabCache {
  name: string;
  activeObjs: number;
  numObjs: number;
  objSizeBytes: number;
  objPerSlab: number;
  pagesPerSlab: number;
  activeSlabs: number;
  numSlabs: number;
  /** SLAB tunables; SLUB prints 0 0 0. */
  tunables?: { limit: number; batchCount: number; sharedFactor: number };
  sharedAvail?: number;
  /** SLAB statistics variant: the numbers after `: globalstat` and `: cpustat`. */
  globalStat?: number[];
  cpuStat?: number[];
}
export interface SlabInfo {
  version: string | undefined;
  allocator: 'slub' | 'slab' | 'unknown';
  caches: SlabCache[];
}

/** /proc/zoneinfo zone block. Values the kernel may not print are undefined. */
export interface ZoneInfoZone extends ZoneKey {
  pagesFree: number | undefined;
  watermarkMinPages: number | undefined;
  watermarkLowPages: number | undefined;
  watermarkHighPages: number | undefined;
  watermarkPromoPages?: number;
  boostPages?: number;
  spannedPages?: number;
  /** The zone's first page frame number (`start_pfn:`, printed since 2.6.3x). */
  startPfn?: number;
  presentPages?: number;
  managedPages?: number;
  cmaPages?: number;
  /** lowmem_reserve[] as printed after `protection:`. */
  protection: number[];
  /** Zone counters (`nr_free_pages`, `nr_free_cma`, ...). */
  stats: Record<string, number>;
  /** False for the short blocks of unpopulated zones (4.12+). */
  populated: boolean;
}
export interface ZoneInfo {
  zones: ZoneInfoZone[];
  /** The `per-node stats` block (4.8+), by node id. */
  nodeStats: Record<number, Record<string, number>>;
}

/** /proc/vmstat and /proc/meminfo: name -> number (meminfo values in kB as printed). */
export type Counters = Record<string, number>;
