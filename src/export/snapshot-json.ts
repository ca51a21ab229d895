// The JSON snapshot, schema 1 (docs/json.md, docs/snapshot.schema.json). Field names are a contract: add fields, never rename or drop one.
import type { SlabRow, Snapshot } from '../analyze/snapshot-types.js';
import { sortSlabs, type SlabSortKey } from '../store/slab-sort.js';
import type { Diagnosis } from '../analyze/diagnosis.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import type { Problem } from '../parse/types.js';
import { adviceTexts, reasonText } from '../render/diagnosis-text.js';
import { pageblockJson } from './pageblock-json.js';
import type { LinkedPod, PodLinkSummary } from '../analyze/pod-impact.js';
import { podOfSlubCgroup, safePod, safeText } from '../analyze/explain-memory-event.js';
import type { KernelMemoryEvent } from '../parse/kernel-memory-events.js';
import type { ContainerPod, PodRef } from '../parse/pod-start-line.js';
import { memoryEventAdvice, memoryEventSummary, podLabel } from '../render/pod-impact-text.js';

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
  /** How kubelet / runtime pod start failures were linked to the reports; absent when not read. */
  podLink?: PodLinkSummary;
  /** Pod starts not linked to any report. */
  unlinkedPods?: readonly LinkedPod[];
  /** SLUB failures, allocation stalls, vmalloc failures, and pod starts refused a memory cgroup. */
  memoryEvents?: readonly KernelMemoryEvent[];
  memoryEventTotals?: Record<KernelMemoryEvent['kind'], number>;
  /** Containers tied to pods, to name the pod of a SLUB report. */
  containerPods?: readonly ContainerPod[];
  /** Pod start failures whose runtime error was `mkdir …/memory/…: cannot allocate memory`. */
  memcgRefusals?: readonly LinkedPod[];
}

export interface MemoryEventJson {
  kind: KernelMemoryEvent['kind'] | 'memcg-ids';
  time: number | string | null;
  summary: string;
  explanation: string;
  advice: string;
  /** The container and pod a SLUB report's cgroup belongs to, when the kubelet's lines named it. */
  container: string | null;
  pod: PodRef | null;
  event: KernelMemoryEvent | LinkedPod;
}

/** Every neighbouring memory event, explained, oldest first; a SLUB report names its pod where it can. */
export function memoryEventsJson(input: SnapshotJsonInput): MemoryEventJson[] {
  const kernel = (input.memoryEvents ?? []).map((event): MemoryEventJson => {
    const tie = event.kind === 'slub' ? podOfSlubCgroup(event.cgroupName, input.containerPods ?? []) : null;
    const pod = tie ? safePod(tie.pod) : null;
    const [explanation, advice] = memoryEventAdvice(event.kind);
    const safe = {
      ...event,
      ...('process' in event && event.process !== null ? { process: safeText(event.process) } : {}),
      ...(event.kind === 'slub'
        ? {
            cache: event.cache === null ? null : safeText(event.cache),
            cgroupName: event.cgroupName === null ? null : safeText(event.cgroupName),
          }
        : {}),
    } as KernelMemoryEvent;
    return {
      kind: event.kind,
      time: typeof event.time === 'string' ? safeText(event.time) : event.time,
      summary: memoryEventSummary(safe, pod),
      explanation,
      advice,
      container: tie ? tie.containerId : null,
      pod,
      event: safe,
    };
  });
  const refusals = (input.memcgRefusals ?? []).map((pod): MemoryEventJson => {
    const [explanation, advice] = memoryEventAdvice('memcg-ids');
    return {
      kind: 'memcg-ids',
      time: pod.time,
      summary: `${pod.time ?? '-'} ${podLabel(pod)}: ${pod.error}`,
      explanation,
      advice,
      container: pod.containerId,
      pod: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
      event: pod,
    };
  });
  return [...kernel, ...refusals];
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
    // Pod starts the kubelet and runtime logged as failed, and how they were linked to the reports (each report's
    // own are in failures[].pods); null when no kubelet or runtime line was read.
    podStartFailures: input.podLink
      ? {
          ...input.podLink,
          unlinkedPods: input.unlinkedPods ?? [],
          note:
            input.podLink.podStartFailures === 0
              ? 'no kubelet or runtime start failure in the log read'
              : null,
        }
      : null,
    memoryEvents: memoryEventsJson(input),
    memoryEventCounts: input.memoryEventTotals ?? null,
    memoryCgroups: snapshot.memoryCgroups ?? null,
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
