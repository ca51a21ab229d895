// What a remediation changed: target-order blocks, free memory, verdicts and kernel counters, before vs after.
import type { ZoneKey } from '../parse/types.js';
import { zoneId } from '../parse/zone-key.js';
import { diagnoseSnapshot } from './diagnose-snapshot.js';
import type { Verdict } from './diagnosis.js';
import type { Snapshot, ZoneSnapshot } from './snapshot-types.js';

export interface ZoneEffect extends ZoneKey {
  /** Order-N blocks obtainable from free blocks of order ≥ N: Σ_{o≥N} nr_free[o]·2^(o−N); null when the zone is absent. */
  blocksBefore: number | null;
  blocksAfter: number | null;
  freePagesBefore: number | null;
  freePagesAfter: number | null;
  /** Would an order-N request pass the zone's min watermark; null without zoneinfo or without the zone. */
  canAllocateBefore: boolean | null;
  canAllocateAfter: boolean | null;
}

export interface ValueChange {
  before: number | null;
  after: number | null;
  /** after − before; null when either side is unknown. */
  delta: number | null;
}

export interface RemediationEffect {
  targetOrder: number;
  pageSizeBytes: number;
  elapsedMs: number;
  zones: ZoneEffect[];
  totals: {
    /** Summed over the zones present in each snapshot. */
    blocks: ValueChange;
    /** Summed over the zones that can serve order N now (or whose watermarks are unknown): what a request can get. */
    usableBlocks: ValueChange;
    freePages: ValueChange;
    /** Zones that pass the watermark check at the target order; null when no zone has zoneinfo watermarks. */
    zonesOk: ValueChange;
    zoneCount: { before: number; after: number };
  };
  /** diagnose() over each snapshot; 'unknown' without buddyinfo. */
  verdict: { before: Verdict; after: Verdict };
  /** compact_*, pgmigrate_*, drop_pagecache and drop_slab deltas, for counters present in both and not gone backwards. */
  counterDeltas: Record<string, number>;
  memory: { freeBytes: ValueChange; cachedBytes: ValueChange };
}

const COUNTER_PATTERN = /^(compact_|pgmigrate_|drop_pagecache$|drop_slab$)/;

/** Σ_{o≥N} nr_free[o]·2^(o−N). */
export function blocksAtOrder(freeBlocksByOrder: readonly number[], order: number): number {
  let blocks = 0;
  for (let o = order; o < freeBlocksByOrder.length; o++)
    blocks += (freeBlocksByOrder[o] ?? 0) * 2 ** (o - order);
  return blocks;
}

function change(before: number | null, after: number | null): ValueChange {
  return { before, after, delta: before === null || after === null ? null : after - before };
}

/** Whether a zone's blocks count as obtainable at `order`: it passes the watermark check, or there is no zoneinfo to tell. */
export function countsForOrder(zone: ZoneSnapshot, order: number): boolean {
  return zone.canAllocate === null || zone.canAllocate[order] === true;
}

/** Order-N blocks in the zones that pass the watermark check (all zones without zoneinfo): what a request can get. */
export function usableBlocks(snapshot: Snapshot, order: number): number {
  return sum(
    snapshot.zones
      .filter((z) => countsForOrder(z, order))
      .map((z) => blocksAtOrder(z.freeBlocksByOrder, order)),
  );
}

function canServe(zone: ZoneSnapshot | undefined, order: number): boolean | null {
  return zone?.canAllocate ? (zone.canAllocate[order] ?? false) : null;
}

function zonesOk(snapshot: Snapshot, order: number): number | null {
  const known = snapshot.zones.filter((zone) => zone.canAllocate !== null);
  return known.length ? known.filter((zone) => canServe(zone, order) === true).length : null;
}

function verdictOf(snapshot: Snapshot, order: number): Verdict {
  return diagnoseSnapshot(snapshot, order)?.verdict ?? 'unknown';
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function remediationEffect(before: Snapshot, after: Snapshot, targetOrder: number): RemediationEffect {
  const order = Math.max(0, Math.trunc(targetOrder));
  const beforeByKey = new Map(before.zones.map((zone) => [zoneId(zone), zone]));
  const afterByKey = new Map(after.zones.map((zone) => [zoneId(zone), zone]));
  // Zones in the order the kernel lists them: those of `after`, then any that vanished.
  const keys = [...afterByKey.keys(), ...[...beforeByKey.keys()].filter((key) => !afterByKey.has(key))];
  const zones = keys.map((key): ZoneEffect => {
    const b = beforeByKey.get(key);
    const a = afterByKey.get(key);
    const { node, zone } = (a ?? b)!;
    return {
      node,
      zone,
      blocksBefore: b ? blocksAtOrder(b.freeBlocksByOrder, order) : null,
      blocksAfter: a ? blocksAtOrder(a.freeBlocksByOrder, order) : null,
      freePagesBefore: b ? b.freePages : null,
      freePagesAfter: a ? a.freePages : null,
      canAllocateBefore: canServe(b, order),
      canAllocateAfter: canServe(a, order),
    };
  });

  const counterDeltas: Record<string, number> = {};
  for (const [name, value] of Object.entries(after.vmstat)) {
    const previous = before.vmstat[name];
    // A counter that went backwards (reboot, wrap) has no meaningful delta.
    if (COUNTER_PATTERN.test(name) && previous !== undefined && value >= previous)
      counterDeltas[name] = value - previous;
  }

  return {
    targetOrder: order,
    pageSizeBytes: after.pageSizeBytes,
    elapsedMs: after.timeMs - before.timeMs,
    zones,
    totals: {
      blocks: change(
        sum(before.zones.map((z) => blocksAtOrder(z.freeBlocksByOrder, order))),
        sum(after.zones.map((z) => blocksAtOrder(z.freeBlocksByOrder, order))),
      ),
      usableBlocks: change(usableBlocks(before, order), usableBlocks(after, order)),
      freePages: change(sum(before.zones.map((z) => z.freePages)), sum(after.zones.map((z) => z.freePages))),
      zonesOk: change(zonesOk(before, order), zonesOk(after, order)),
      zoneCount: { before: before.zones.length, after: after.zones.length },
    },
    verdict: { before: verdictOf(before, order), after: verdictOf(after, order) },
    counterDeltas,
    memory: {
      freeBytes: change(before.memory.freeBytes, after.memory.freeBytes),
      cachedBytes: change(before.memory.cachedBytes, after.memory.cachedBytes),
    },
  };
}
