// Can an order-N allocation be served anywhere now, and if not: fragmentation or lack of memory, and what to do.

import type {
  BuddyZone,
  Counters,
  PageTypeBlockRow,
  PageTypeFreeRow,
  ZoneInfoZone,
  ZoneKey,
} from '../parse/types.js';
import { sameZone } from '../parse/zone-key.js';
import {
  contigPageInfo,
  fragmentationIndex,
  unusableIndex,
  type ContigPageInfo,
} from './fragmentation-index.js';
import { highAtomicFreePages, migrateTypesByZone, usableFreeBlocksByOrder } from './migrate-types.js';
import {
  canAllocate,
  watermarkAlgorithm,
  type CanAllocateInput,
  type WatermarkAlgorithm,
} from './watermark-check.js';

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
  /**
   * The watermark check's per-order answers as an exporter computed them on the host (the fleet sees hosts only
   * through their metrics); used for zones zoneinfo does not cover here.
   */
  exportedChecks?: readonly ExportedCheck[];
  /** What is wrong with buddyinfo when it is not what a kernel prints (cut short, a duplicated zone): no verdict then. */
  buddyDamage?: string;
  /**
   * The zones at the target order only, instead of `buddy` (which is then empty): the fleet reads these few sums
   * from Prometheus rather than every order of every zone. No watermark check runs on them; `exportedChecks` does.
   */
  zonesAtOrder?: readonly ZoneAtOrder[];
}

/** One zone as the diagnosis needs it at the target order: fill_contig_page_info()'s sums and both indices. */
export interface ZoneAtOrder extends ZoneKey {
  /** Free lists the zone has (buddyinfo's columns); null when not known (the fleet reads only order N). */
  orderCount: number | null;
  /** False when the kernel's orders end below the target order. */
  hasOrder: boolean;
  info: Pick<ContigPageInfo, 'freePages' | 'freeBlocksSuitable'>;
  /** Kernel integers (thousandths). */
  fragmentationIndex: number;
  unusableIndex: number;
}

/** A buddyinfo row at one order. */
export function zoneAtOrder(buddy: BuddyZone, order: number): ZoneAtOrder {
  const free = buddy.freeBlocksByOrder;
  return {
    node: buddy.node,
    zone: buddy.zone,
    orderCount: free.length,
    hasOrder: order < free.length,
    info: contigPageInfo(free, order),
    fragmentationIndex: fragmentationIndex(free, order),
    unusableIndex: unusableIndex(free, order),
  };
}

/** `canAllocate[o]`: did order o pass the zone's min watermark on the host; undefined where not exported. */
export interface ExportedCheck extends ZoneKey {
  canAllocate: readonly (boolean | undefined)[];
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

/** Why the verdict is what it is, with the numbers a sentence needs (render/diagnosis-text says it). */
export type DiagnosisReason =
  | { kind: 'no-zones' }
  | { kind: 'buddyinfo-damaged'; message: string }
  | { kind: 'no-eligible-zone'; requestZone: string }
  /** `largestOrder` is null when only the target order's absence is known (the fleet). */
  | { kind: 'order-missing'; largestOrder: number | null }
  | { kind: 'ok' }
  | { kind: 'watermarks-unknown'; zones: ZoneKey[] }
  | { kind: 'none-can-serve'; focus: FocusZone | null };

/** The zone that explains a failing verdict best (the largest of the fragmented ones, else of all). */
export type FocusZone = ZoneKey & { freePages: number; suitableBlocks: number } & (
    | { why: 'large-blocks-unusable'; algorithm: WatermarkAlgorithm }
    | { why: 'no-large-block' | 'too-little-free'; fragmentationIndex: number; threshold: number }
    | { why: 'below-min'; watermarkMinPages: number }
  );

/** A share of memory worth dropping, in kB as meminfo prints it. */
export interface DroppablePart {
  what: 'page-cache' | 'reclaimable-slab';
  kb: number;
  share: number;
}

export type Advice =
  | { id: 'compact'; order: number }
  | { id: 'unmovable-pageblocks'; zone: ZoneKey; share: number }
  | { id: 'drop-caches'; parts: DroppablePart[]; thenCompact: boolean }
  | { id: 'find-what-holds-memory' }
  | { id: 'free-memory-meminfo-unknown' }
  | { id: 'culprit'; text: string };

export interface Diagnosis {
  targetOrder: number;
  pageSizeBytes: number;
  verdict: Verdict;
  reason: DiagnosisReason;
  advice: Advice[];
  zonesOk: ZoneKey[];
  /** Σ over eligible zones of Σ_{o≥N} nr_free[o]·2^(o−N). */
  suitableBlocks: number;
  /** The same over the zones that pass the watermark check (zonesOk): the room the request really has. */
  servableBlocks: number;
  zones: ZoneDiagnosis[];
}

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

  const facts = input.zonesAtOrder ?? input.buddy.map((buddy) => zoneAtOrder(buddy, order));
  const zones: ZoneDiagnosis[] = facts.map((fact, i) => {
    const { info, fragmentationIndex: frag } = fact;
    const buddy = input.zonesAtOrder ? undefined : input.buddy[i];
    const base = buddy ? watermarkInputFor(buddy, input) : null;
    let ok: boolean | null = null;
    let belowMin: boolean | null = null;
    const exported = base ? undefined : input.exportedChecks?.find((z) => sameZone(z, fact));
    if (base) {
      ok = canAllocate({ ...base, order });
      belowMin = !canAllocate({ ...base, order: 0 });
    } else if (exported?.canAllocate[order] !== undefined) {
      ok = exported.canAllocate[order];
      const orderZero = exported.canAllocate[0];
      belowMin = orderZero === undefined ? null : !orderZero;
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
      node: fact.node,
      zone: fact.zone,
      eligible: isEligible(fact.zone, requestZone),
      freePages: info.freePages,
      suitableBlocks: info.freeBlocksSuitable,
      fragmentationIndex: frag,
      unusableIndex: fact.unusableIndex,
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
  const result = (verdict: Verdict, reason: DiagnosisReason, advice: Advice[] = []): Diagnosis => ({
    targetOrder: order,
    pageSizeBytes: pageSize,
    verdict,
    reason,
    advice,
    zonesOk,
    suitableBlocks,
    servableBlocks,
    zones,
  });

  // A damaged file can hide or double blocks: any verdict from it could be wrong either way.
  if (input.buddyDamage !== undefined)
    return result('unknown', { kind: 'buddyinfo-damaged', message: input.buddyDamage });
  if (eligible.length === 0)
    return result(
      'unknown',
      zones.length === 0 ? { kind: 'no-zones' } : { kind: 'no-eligible-zone', requestZone },
    );
  // No compaction can build a block the allocator does not have: not fragmentation, a request that cannot exist.
  if (!facts.some((fact) => fact.hasOrder)) {
    const counts = facts.map((fact) => fact.orderCount);
    const largestOrder = counts.every((c) => c !== null) ? Math.max(...(counts as number[])) - 1 : null;
    return result('unknown', { kind: 'order-missing', largestOrder });
  }
  if (zonesOk.length > 0) return result('ok', { kind: 'ok' });
  const unknown = eligible.filter((z) => z.canAllocate === null);
  if (unknown.length > 0)
    return result('unknown', {
      kind: 'watermarks-unknown',
      zones: unknown.map((z) => ({ node: z.node, zone: z.zone })),
    });

  const largest = (list: ZoneDiagnosis[]): ZoneDiagnosis | undefined =>
    list.reduce<ZoneDiagnosis | undefined>(
      (best, z) => (best === undefined || z.freePages > best.freePages ? z : best),
      undefined,
    );
  const fragmented = eligible.filter((z) => z.cause === 'fragmentation');
  const verdict: Verdict = fragmented.length > 0 ? 'fragmentation' : 'low-memory';
  const focus = largest(fragmented.length > 0 ? fragmented : eligible);
  return result(
    verdict,
    { kind: 'none-can-serve', focus: focus ? focusOf(focus, verdict, input, algorithm, threshold) : null },
    advise(input, verdict, fragmented, order),
  );
}

function focusOf(
  focus: ZoneDiagnosis,
  verdict: Verdict,
  input: DiagnoseInput,
  algorithm: WatermarkAlgorithm,
  threshold: number,
): FocusZone {
  const base = {
    node: focus.node,
    zone: focus.zone,
    freePages: focus.freePages,
    suitableBlocks: focus.suitableBlocks,
  };
  const index = { fragmentationIndex: focus.fragmentationIndex, threshold };
  const zi = input.zoneinfo?.find((z) => sameZone(z, focus));
  if (verdict === 'fragmentation' && focus.suitableBlocks > 0)
    return { ...base, why: 'large-blocks-unusable', algorithm };
  if (verdict === 'fragmentation') return { ...base, why: 'no-large-block', ...index };
  if (focus.belowMin === true && zi?.watermarkMinPages !== undefined && zi.pagesFree !== undefined)
    return { ...base, freePages: zi.pagesFree, why: 'below-min', watermarkMinPages: zi.watermarkMinPages };
  return { ...base, why: 'too-little-free', ...index };
}

function advise(
  input: DiagnoseInput,
  verdict: Verdict,
  fragmented: ZoneDiagnosis[],
  order: number,
): Advice[] {
  const advice: Advice[] = [];
  const mem = input.meminfo ?? {};
  const totalKb = mem['MemTotal'];
  // Shmem is counted in Cached but dropping caches cannot free it.
  const cacheKb = mem['Cached'] !== undefined ? Math.max(0, mem['Cached'] - (mem['Shmem'] ?? 0)) : undefined;
  const slabKb = mem['SReclaimable'];
  const share = (kb: number | undefined): number =>
    kb !== undefined && totalKb !== undefined && totalKb > 0 ? kb / totalKb : 0;
  const parts: DroppablePart[] = [];
  if (share(cacheKb) >= CACHE_SHARE_ADVICE && cacheKb !== undefined)
    parts.push({ what: 'page-cache', kb: cacheKb, share: share(cacheKb) });
  if (share(slabKb) >= CACHE_SHARE_ADVICE && slabKb !== undefined)
    parts.push({ what: 'reclaimable-slab', kb: slabKb, share: share(slabKb) });

  if (verdict === 'fragmentation') {
    advice.push({ id: 'compact', order });
    const blockRows = input.pagetypeBlocks ?? [];
    if (blockRows.length > 0) {
      for (const mt of migrateTypesByZone(input.pagetypeFree ?? [], blockRows, order)) {
        if (mt.unmovableWarning && mt.unmovableShare !== null && fragmented.some((z) => sameZone(z, mt)))
          advice.push({
            id: 'unmovable-pageblocks',
            zone: { node: mt.node, zone: mt.zone },
            share: mt.unmovableShare,
          });
      }
    }
    if (parts.length > 0) advice.push({ id: 'drop-caches', parts, thenCompact: true });
  } else if (parts.length > 0) advice.push({ id: 'drop-caches', parts, thenCompact: false });
  else if (totalKb !== undefined && cacheKb !== undefined) advice.push({ id: 'find-what-holds-memory' });
  else advice.push({ id: 'free-memory-meminfo-unknown' });
  if (input.culpritAdvice) advice.push({ id: 'culprit', text: input.culpritAdvice });
  return advice;
}
