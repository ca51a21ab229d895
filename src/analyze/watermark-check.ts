// Would an order-N allocation pass a zone's watermark now? The kernel's __zone_watermark_ok(), by version.

import { isAtLeast, parseKernelVersion } from './kernel-version.js';

export type WatermarkAlgorithm = 'pre-4.4' | '4.4+' | 'unknown-assumed-4.4+';

/** Which __zone_watermark_ok() the kernel runs; an unknown or unparsable release gets the current one. */
export function watermarkAlgorithm(kernel: string | null): WatermarkAlgorithm {
  if (kernel === null) return 'unknown-assumed-4.4+';
  const version = parseKernelVersion(kernel);
  if (version === null) return 'unknown-assumed-4.4+';
  return isAtLeast(version, 4, 4) ? '4.4+' : 'pre-4.4';
}

export interface CanAllocateInput {
  /** Kernel release; null when unknown (the 4.4+ check is then assumed). */
  kernel: string | null;
  order: number;
  /** zoneinfo `pages free` (NR_FREE_PAGES). */
  freePages: number;
  /** The watermark to meet, usually zoneinfo `min` (the slow path after waking kswapd). */
  watermarkMinPages: number;
  /** zoneinfo `nr_free_cma`: free, but ordinary kernel allocations cannot use it. */
  cmaFreePages: number;
  /** buddyinfo row of the zone. */
  freeBlocksByOrder: readonly number[];
  /** Free blocks per order on the Unmovable+Movable+Reclaimable lists (pagetypeinfo); when given, 4.4+ looks only here. */
  usableFreeBlocksByOrder?: readonly number[];
  /** lowmem_reserve[] of the requesting zone class (zoneinfo `protection:`); 0 when the request targets this zone. */
  lowmemReservePages?: number;
  /** 4.4+: the high-atomic reserve ordinary requests may not touch; /proc lacks it, pagetypeinfo HighAtomic free pages approximate it. */
  highAtomicReservePages?: number;
}

const at = (values: readonly number[] | undefined, order: number): number => values?.[order] ?? 0;

/**
 * True when an ordinary (GFP_KERNEL-like: no CMA, no reserves) order-N request passes the zone's
 * watermark now, following the kernel's version of the check (see formulas.md §5).
 */
export function canAllocate(input: CanAllocateInput): boolean {
  const order = Math.max(0, Math.trunc(input.order));
  const reserve = input.lowmemReservePages ?? 0;
  let free = input.freePages - (2 ** order - 1);
  let min = input.watermarkMinPages;

  if (watermarkAlgorithm(input.kernel) === 'pre-4.4') {
    // CMA enters only this first comparison; the loop below keeps counting CMA pages as free.
    if (free - input.cmaFreePages <= min + reserve) return false;
    for (let o = 0; o < order; o++) {
      // Pages in order-o blocks cannot serve a larger request; fewer high-order pages are required.
      free -= at(input.freeBlocksByOrder, o) * 2 ** o;
      min = Math.trunc(min / 2);
      if (free <= min) return false;
    }
    return true;
  }

  free -= input.cmaFreePages + (input.highAtomicReservePages ?? 0);
  if (free <= min + reserve) return false;
  if (order === 0) return true;
  // One free block of order ≥ N on an allowed list is enough.
  const lists = input.usableFreeBlocksByOrder ?? input.freeBlocksByOrder;
  const orders = Math.max(lists.length, input.freeBlocksByOrder.length);
  for (let o = order; o < orders; o++) {
    if (at(lists, o) > 0) return true;
  }
  return false;
}
