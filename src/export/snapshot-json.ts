// The JSON snapshot, schema 1 (docs/json.md, docs/snapshot.schema.json). Field names are a contract: add fields, never rename or drop one.
import type { SlabRow, Snapshot } from '../analyze/snapshot-types.js';
import { sortSlabs, type SlabSortKey } from '../store/slab-sort.js';
import type { Diagnosis } from '../analyze/diagnosis.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import type { Problem } from '../parse/types.js';
import { adviceTexts, reasonText } from '../render/diagnosis-text.js';
import { pageblockJson } from './pageblock-json.js';

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
  /** Whether the kernel log could be read; absent or null when unknown (a replay). */
  kernelLog?: KernelLogState | null;
  /** Every report read, also those whose details were dropped; defaults to failures.length. */
  failureTotal?: number;
  /** Reports counted in failureTotal but not listed in failures (the oldest). */
  failuresDropped?: number;
  /** Lines read whose text was no longer kept. */
  logLinesDropped?: number;
  /** Odd kernel-log lines (impossible orders, unreadable headers, interleaved traces). */
  logProblems?: readonly Problem[];
}

/** The slab rows in the order asked for. */
export function sortedSlabs(input: SnapshotJsonInput): SlabRow[] {
  return input.slabSort && input.slabSort !== 'size'
    ? sortSlabs(input.snapshot.slabs, input.slabSort)
    : input.snapshot.slabs;
}

/** The problem line of a kernel log that could not be read, or null. */
export function kernelLogProblem(kernelLog: KernelLogState | null | undefined): string | null {
  if (!kernelLog || kernelLog.state === 'read') return null;
  const why = kernelLog.reason ?? 'the kernel log could not be read';
  return `allocation failures unknown: ${why}`;
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
    ...(input.logProblems ?? []).map((p) => ({
      source: 'kernel log',
      ...(p.line !== undefined ? { line: p.line } : {}),
      message: p.message,
    })),
    ...(snapshot.pageblocks && !snapshot.pageblocks.ok
      ? [{ source: 'kpageflags', message: snapshot.pageblocks.message }]
      : []),
    ...(snapshot.events && !snapshot.events.ok
      ? [{ source: 'tracefs', message: snapshot.events.message }]
      : []),
  ];
  const logProblem = kernelLogProblem(input.kernelLog);
  // The reason may already be there as a --kmsg note; say it once.
  if (logProblem && !problems.some((p) => logProblem.endsWith(p.message)))
    problems.push({ source: 'kernel log', message: logProblem });
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
    failureCount:
      input.kernelLog && input.kernelLog.state !== 'read'
        ? null
        : (input.failureTotal ?? input.failures.length),
    failuresDropped: input.failuresDropped ?? 0,
    kernelLog: input.kernelLog
      ? {
          state: input.kernelLog.state,
          source: input.kernelLog.source,
          reason: input.kernelLog.reason,
          linesDropped: input.logLinesDropped ?? 0,
        }
      : null,
    diagnosis: input.diagnosis && diagnosisJson(input.diagnosis),
    rates: input.rates,
    // The pageblock map's summary and the compaction ceiling per zone and order; null when no map was read.
    pageblocks: snapshot.pageblocks?.ok ? pageblockJson(snapshot.pageblocks.map, snapshot, false) : null,
    events: snapshot.events?.ok ? { ...snapshot.events.tallies, note: snapshot.events.note } : null,
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
