// The JSON snapshot of DESIGN.md (schema 1). Field names are a contract: add fields, never rename or drop one.
import type { SlabRow, Snapshot } from '../analyze/snapshot-types.js';
import { sortSlabs, type SlabSortKey } from '../store/slab-sort.js';
import type { Diagnosis } from '../analyze/diagnosis.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { adviceTexts, reasonText } from '../render/diagnosis-text.js';

export interface SnapshotJsonInput {
  snapshot: Snapshot;
  targetOrder: number;
  failures: readonly AllocFailure[];
  suppressedFailures: number;
  diagnosis: Diagnosis | null;
  rates: Record<string, number | null>;
  extraProblems?: { source: string; message: string }[];
  /** The slab order asked for (-s); by size otherwise. */
  slabSort?: SlabSortKey;
}

/** The slab rows in the order asked for. */
export function sortedSlabs(input: SnapshotJsonInput): SlabRow[] {
  return input.slabSort && input.slabSort !== 'size'
    ? sortSlabs(input.snapshot.slabs, input.slabSort)
    : input.snapshot.slabs;
}

export function snapshotJson(input: SnapshotJsonInput): Record<string, unknown> {
  const { snapshot, targetOrder } = input;
  const problems = [
    ...Object.entries(snapshot.unavailable).map(([source, message]) => ({ source, message })),
    ...snapshot.problems.map((p) => ({
      source: p.file,
      ...(p.line !== undefined ? { line: p.line } : {}),
      message: p.message,
    })),
    ...(input.extraProblems ?? []),
  ];
  return {
    schema: 1,
    time: new Date(snapshot.timeMs).toISOString(),
    host: snapshot.host,
    kernel: snapshot.kernel,
    pageSize: snapshot.pageSizeBytes,
    targetOrder,
    memory: snapshot.memory,
    zones: snapshot.zones.map((zone) => ({
      node: zone.node,
      zone: zone.zone,
      free: zone.freeBlocksByOrder,
      freePages: zone.freePages,
      highestFreeOrder: zone.highestFreeOrder,
      unusableIndex: zone.unusableIndex,
      fragmentationIndex: zone.fragmentationIndex,
      watermarks: zone.watermarks,
      canAllocate: zone.canAllocate,
      freeByType: zone.freeByType,
      blocksByType: zone.blocksByType,
      managedPages: zone.managedPages,
      cmaFreePages: zone.cmaFreePages,
    })),
    slabAllocator: snapshot.slabAllocator,
    slabs: sortedSlabs(input).map((slab) => ({
      name: slab.name,
      activeObjs: slab.activeObjs,
      numObjs: slab.numObjs,
      objSize: slab.objSizeBytes,
      objPerSlab: slab.objPerSlab,
      pagesPerSlab: slab.pagesPerSlab,
      activeSlabs: slab.activeSlabs,
      numSlabs: slab.numSlabs,
      bytes: slab.bytes,
    })),
    failures: input.failures,
    suppressedFailures: input.suppressedFailures,
    diagnosis: input.diagnosis && diagnosisJson(input.diagnosis),
    rates: input.rates,
    problems,
  };
}

/** `reason` and `advice` stay sentences (the contract); the data behind them comes beside, for scripts. */
function diagnosisJson(diagnosis: Diagnosis): Record<string, unknown> {
  return {
    ...diagnosis,
    reason: reasonText(diagnosis),
    advice: adviceTexts(diagnosis),
    reasonData: diagnosis.reason,
    adviceData: diagnosis.advice,
  };
}
