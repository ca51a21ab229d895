// Can an order-N allocation be served anywhere now, and if not: fragmentation or lack of memory, and what to do.

import type {
  BuddyZone,
  Counters,
  PageTypeBlockRow,
  PageTypeFreeRow,
  ZoneInfoZone,
  ZoneKey,
} from '../parse/types.js';
import { contigPageInfo, fragmentationIndex, toDebugfs, unusableIndex } from './fragmentation-index.js';
import { highAtomicFreePages, migrateTypesByZone, usableFreeBlocksByOrder } from './migrate-types.js';
import { canAllocate, watermarkAlgorithm, type CanAllocateInput } from './watermark-check.js';

/** vm.extfrag_threshold's default: compaction treats a fragmentation index above it as fragmentation. */
export const EXTFRAG_THRESHOLD = 500;

/** Droppable page cache or reclaimable slab at or above this share of MemTotal makes dropping caches worth it. */
export const CACHE_SHARE_ADVICE = 0.2;

/** Zone types in kernel zone-index order; a request may use its own zone type and those before it. */
const ZONE_ORDER: readonly string[] = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'];

export interface DiagnoseInput {
  kernel: string | null;
  targetOrder: number;
  /** Defaults to 4096. */
  pageSizeBytes?: number;
  buddy: readonly BuddyZone[];
  /** Without it the watermark check cannot run. */
  zoneinfo?: readonly ZoneInfoZone[];
  /** pagetypeinfo free rows: which lists hold the blocks (4.4+), and the high-atomic reserve. */
  pagetypeFree?: readonly PageTypeFreeRow[];
  /** pagetypeinfo block rows: warns when unmovable pageblocks leave compaction little to work with. */
  pagetypeBlocks?: readonly PageTypeBlockRow[];
  /** /proc/meminfo (kB). */
  meminfo?: Counters;
  /** Highest zone the request may use (gfp_zone()); GFP_KERNEL → Normal, the default. */
  requestZone?: string;
  /** vm.extfrag_threshold; defaults to 500. */
  extfragThreshold?: number;
  /** Advice about what is eating large blocks, when the caller knows (e.g. from the failure reports). */
  culpritAdvice?: string;
}

export type Verdict = 'ok' | 'fragmentation' | 'low-memory' | 'unknown';

export interface ZoneDiagnosis extends ZoneKey {
  /** False for zones the request may not use (above `requestZone`). */
  eligible: boolean;
  freePages: number;
  /** Order-N blocks obtainable from free blocks of order ≥ N. */
  suitableBlocks: number;
  fragmentationIndex: number;
  unusableIndex: number;
  /** Passes the zone's min watermark for the target order; null without zoneinfo watermarks. */
  canAllocate: boolean | null;
  /** Fails even the order-0 part of the check; null without zoneinfo watermarks. */
  belowMin: boolean | null;
  /** Why the zone cannot serve the request; null when it can or it is unknown. */
  cause: 'fragmentation' | 'low-memory' | null;
}

export interface Diagnosis {
  targetOrder: number;
  verdict: Verdict;
  reason: string;
  advice: string[];
  zonesOk: ZoneKey[];
  /** Σ over eligible zones of Σ_{o≥N} nr_free[o]·2^(o−N). */
  suitableBlocks: number;
  /** The same over the zones that pass the watermark check (zonesOk): the room the request really has. */
  servableBlocks: number;
  zones: ZoneDiagnosis[];
}

const sameZone = (a: ZoneKey, b: ZoneKey): boolean => a.node === b.node && a.zone === b.zone;
const zoneLabel = (z: ZoneKey): string => `${z.zone}#${z.node}`;

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 && unit > 0 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}

const formatIndex = (index: number): string => toDebugfs(index).toFixed(3);

/** Protection (lowmem_reserve) a lower zone keeps from requests of class `requestZone`. */
function lowmemReserve(zone: ZoneInfoZone, all: readonly ZoneInfoZone[], requestZone: string): number {
  const listed = all.filter((z) => z.node === zone.node).map((z) => z.zone);
  const classIndex = listed.indexOf(requestZone);
  if (classIndex >= 0) {
    const reserve = zone.protection[classIndex];
    if (reserve !== undefined) return reserve;
  }
  // Older kernels do not list empty zones, so the class index is unknown: assume the largest reserve.
  return zone.protection.length > 0 ? Math.max(...zone.protection) : 0;
}

function isEligible(zone: string, requestZone: string): boolean {
  const rank = ZONE_ORDER.indexOf(zone);
  const limit = ZONE_ORDER.indexOf(requestZone);
  return rank < 0 || limit < 0 || rank <= limit;
}

export type WatermarkInputSources = Pick<
  DiagnoseInput,
  'kernel' | 'zoneinfo' | 'pagetypeFree' | 'requestZone'
>;

/**
 * Everything the watermark check needs for one zone except the order, from zoneinfo (watermark, free,
 * CMA, lowmem reserve) and pagetypeinfo (usable lists, high-atomic reserve); null without zoneinfo watermarks.
 * The per-order verdicts on screen and the diagnosis both come from here, so they always agree.
 */
export function watermarkInputFor(
  buddy: BuddyZone,
  sources: WatermarkInputSources,
): Omit<CanAllocateInput, 'order'> | null {
  const zi = sources.zoneinfo?.find((z) => sameZone(z, buddy));
  if (!zi || zi.pagesFree === undefined || zi.watermarkMinPages === undefined) return null;
  const rows = sources.pagetypeFree ?? [];
  return {
    kernel: sources.kernel,
    freePages: zi.pagesFree,
    watermarkMinPages: zi.watermarkMinPages,
    cmaFreePages: zi.stats['nr_free_cma'] ?? 0,
    freeBlocksByOrder: buddy.freeBlocksByOrder,
    usableFreeBlocksByOrder: usableFreeBlocksByOrder(rows, buddy),
    lowmemReservePages: lowmemReserve(zi, sources.zoneinfo ?? [], sources.requestZone ?? 'Normal'),
    highAtomicReservePages: highAtomicFreePages(rows, buddy),
  };
}

/** Diagnoses the target order over every zone in buddyinfo. */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const order = Math.max(0, Math.trunc(input.targetOrder));
  const pageSize = input.pageSizeBytes ?? 4096;
  const requestZone = input.requestZone ?? 'Normal';
  const threshold = input.extfragThreshold ?? EXTFRAG_THRESHOLD;
  const algorithm = watermarkAlgorithm(input.kernel);
  const orderText = `order ${order} (${formatBytes(2 ** order * pageSize)})`;

  const zones: ZoneDiagnosis[] = input.buddy.map((buddy) => {
    const free = buddy.freeBlocksByOrder;
    const info = contigPageInfo(free, order);
    const frag = fragmentationIndex(free, order);
    const base = watermarkInputFor(buddy, input);
    let ok: boolean | null = null;
    let belowMin: boolean | null = null;
    if (base) {
      ok = canAllocate({ ...base, order });
      belowMin = !canAllocate({ ...base, order: 0 });
    } else if (info.freeBlocksSuitable === 0) {
      // Neither version of the check passes without a free block of order ≥ N.
      ok = false;
    }
    let cause: ZoneDiagnosis['cause'] = null;
    if (ok === false) {
      if (belowMin === true) cause = 'low-memory';
      else if (frag === -1000 || frag >= threshold) cause = 'fragmentation';
      else cause = 'low-memory';
    }
    return {
      node: buddy.node,
      zone: buddy.zone,
      eligible: isEligible(buddy.zone, requestZone),
      freePages: info.freePages,
      suitableBlocks: info.freeBlocksSuitable,
      fragmentationIndex: frag,
      unusableIndex: unusableIndex(free, order),
      canAllocate: ok,
      belowMin,
      cause,
    };
  });

  const eligible = zones.filter((z) => z.eligible);
  const suitableBlocks = eligible.reduce((sum, z) => sum + z.suitableBlocks, 0);
  const serving = eligible.filter((z) => z.canAllocate === true);
  const zonesOk: ZoneKey[] = serving.map((z) => ({ node: z.node, zone: z.zone }));
  // Blocks in a zone that fails the check (a DMA zone behind its lowmem reserve) are no room for the request.
  const servableBlocks = serving.reduce((sum, z) => sum + z.suitableBlocks, 0);
  const result = (verdict: Verdict, reason: string, advice: string[]): Diagnosis => ({
    targetOrder: order,
    verdict,
    reason,
    advice,
    zonesOk,
    suitableBlocks,
    servableBlocks,
    zones,
  });

  if (eligible.length === 0) {
    const why = zones.length === 0 ? 'no buddyinfo zones' : `no zone at or below ${requestZone}`;
    return result('unknown', `Cannot judge ${orderText}: ${why}.`, []);
  }
  const orderCount = Math.max(...input.buddy.map((zone) => zone.freeBlocksByOrder.length));
  if (order >= orderCount)
    // No compaction can build a block the allocator does not have: not fragmentation, a request that cannot exist.
    return result(
      'unknown',
      `This kernel has no order ${order}: its largest blocks are order ${orderCount - 1}.`,
      [],
    );
  if (zonesOk.length > 0) {
    const names = zonesOk.map(zoneLabel).join(', ');
    return result(
      'ok',
      `${cap(orderText)} can be served by ${names}: room for ${servableBlocks} order-${order} blocks.`,
      [],
    );
  }
  const unknown = eligible.filter((z) => z.canAllocate === null);
  if (unknown.length > 0) {
    const names = unknown.map(zoneLabel).join(', ');
    return result(
      'unknown',
      `Room for ${suitableBlocks} order-${order} blocks (${names}), but without zoneinfo watermarks the check cannot run.`,
      [],
    );
  }

  const largest = (list: ZoneDiagnosis[]): ZoneDiagnosis | undefined =>
    list.reduce<ZoneDiagnosis | undefined>(
      (best, z) => (best === undefined || z.freePages > best.freePages ? z : best),
      undefined,
    );
  const fragmented = eligible.filter((z) => z.cause === 'fragmentation');
  const verdict: Verdict = fragmented.length > 0 ? 'fragmentation' : 'low-memory';
  const focus = largest(fragmented.length > 0 ? fragmented : eligible);
  const freeText = (z: ZoneDiagnosis): string => formatBytes(z.freePages * pageSize);

  let detail = '';
  if (focus !== undefined) {
    const label = zoneLabel(focus);
    const zi = input.zoneinfo?.find((z) => sameZone(z, focus));
    if (verdict === 'fragmentation' && focus.suitableBlocks > 0) {
      detail =
        algorithm === 'pre-4.4'
          ? `${label} has ${freeText(focus)} free and ${focus.suitableBlocks} blocks of order ≥ ${order}, but too little of its free memory sits in large blocks for the pre-4.4 watermark check.`
          : `${label} has ${freeText(focus)} free and ${focus.suitableBlocks} blocks of order ≥ ${order}, but none on a list an ordinary allocation may use (they are HighAtomic or CMA).`;
    } else if (verdict === 'fragmentation') {
      detail = `${label} has ${freeText(focus)} free but no block of order ≥ ${order}; fragmentation index ${formatIndex(focus.fragmentationIndex)} ≥ ${formatIndex(threshold)}.`;
    } else if (focus.belowMin === true && zi?.watermarkMinPages !== undefined && zi.pagesFree !== undefined) {
      detail = `${label} has ${formatBytes(zi.pagesFree * pageSize)} free, at or below its min watermark of ${formatBytes(zi.watermarkMinPages * pageSize)}.`;
    } else {
      detail = `${label} has ${freeText(focus)} free; fragmentation index ${formatIndex(focus.fragmentationIndex)} < ${formatIndex(threshold)}: too little free memory, not fragmentation.`;
    }
  }
  const head = verdict === 'fragmentation' ? 'fragmentation' : 'low memory';
  const reason = `No zone can serve ${orderText} (${head}). ${detail}`.trim();
  return result(verdict, reason, advise(input, verdict, fragmented, order));
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function advise(
  input: DiagnoseInput,
  verdict: Verdict,
  fragmented: ZoneDiagnosis[],
  order: number,
): string[] {
  const advice: string[] = [];
  const mem = input.meminfo ?? {};
  const totalKb = mem['MemTotal'];
  // Shmem is counted in Cached but dropping caches cannot free it.
  const cacheKb = mem['Cached'] !== undefined ? Math.max(0, mem['Cached'] - (mem['Shmem'] ?? 0)) : undefined;
  const slabKb = mem['SReclaimable'];
  const share = (kb: number | undefined): number =>
    kb !== undefined && totalKb !== undefined && totalKb > 0 ? kb / totalKb : 0;
  const bigParts: string[] = [];
  if (share(cacheKb) >= CACHE_SHARE_ADVICE && cacheKb !== undefined)
    bigParts.push(
      `page cache ${formatBytes(cacheKb * 1024)} (${Math.round(share(cacheKb) * 100)}% of memory)`,
    );
  if (share(slabKb) >= CACHE_SHARE_ADVICE && slabKb !== undefined)
    bigParts.push(`reclaimable slab ${formatBytes(slabKb * 1024)} (${Math.round(share(slabKb) * 100)}%)`);
  const drop =
    bigParts.length > 0
      ? `Drop caches (sync; echo 3 > /proc/sys/vm/drop_caches): ${bigParts.join(' and ')} can be freed.`
      : undefined;

  if (verdict === 'fragmentation') {
    advice.push(
      `Compact memory first (echo 1 > /proc/sys/vm/compact_memory) to merge free pages into order-${order} blocks.`,
    );
    const blockRows = input.pagetypeBlocks ?? [];
    if (blockRows.length > 0) {
      for (const mt of migrateTypesByZone(input.pagetypeFree ?? [], blockRows, order)) {
        if (mt.unmovableWarning && mt.unmovableShare !== null && fragmented.some((z) => sameZone(z, mt))) {
          advice.push(
            `${zoneLabel(mt)}: ${Math.round(mt.unmovableShare * 100)}% of pageblocks are Unmovable or Reclaimable, so compaction may not help much.`,
          );
        }
      }
    }
    if (drop) advice.push(`${drop} Then compact again.`);
  } else {
    if (drop) advice.push(drop);
    else if (totalKb !== undefined && cacheKb !== undefined)
      advice.push(
        'Little memory is cache: find what holds it (processes, slab caches) and free or limit it.',
      );
    else
      advice.push(
        'Free memory: drop caches or stop what holds it (meminfo was not available to tell which).',
      );
  }
  if (input.culpritAdvice) advice.push(input.culpritAdvice);
  return advice;
}
