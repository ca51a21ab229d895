// One frame of the store as snapshot and batch print it: text, pretty JSON, or one JSON line.
import { snapshotJson, type SnapshotJsonInput } from '../export/snapshot-json.js';
import { snapshotText } from '../export/snapshot-text.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { toAscii } from '../render/ascii.js';
import { targetOrderOf, type FragtopStore } from '../store/create-store.js';
import { selectDiagnosis } from '../store/select-diagnosis.js';
import type { SlabSortKey } from '../store/slab-sort.js';

export type ExtraProblem = { source: string; message: string };

export function frameInput(
  store: FragtopStore,
  extraProblems: ExtraProblem[],
  slabSort: SlabSortKey | null,
  kernelLog: KernelLogState | null = null,
): SnapshotJsonInput | null {
  const state = store.getState();
  const { latest: snapshot, failureLog, rates } = state.sample;
  if (!snapshot) return null;
  return {
    snapshot,
    targetOrder: targetOrderOf(state),
    failures: failureLog.failures,
    suppressedFailures: failureLog.suppressed,
    diagnosis: selectDiagnosis(state),
    rates,
    extraProblems,
    kernelLog,
    failureTotal: failureLog.total,
    failuresDropped: failureLog.droppedFailures,
    logLinesDropped: failureLog.droppedLines,
    logProblems: failureLog.problems,
    ...(slabSort ? { slabSort } : {}),
  };
}

export type FrameFormat = 'text' | 'json' | 'ndjson';

/** JSON escapes everything outside ASCII itself; text is transliterated when the terminal wants ASCII. */
export function formatFrame(input: SnapshotJsonInput, format: FrameFormat, ascii: boolean): string {
  if (format === 'json') return `${JSON.stringify(snapshotJson(input), null, 2)}\n`;
  if (format === 'ndjson') return `${JSON.stringify(snapshotJson(input))}\n`;
  const text = snapshotText(input);
  return ascii ? toAscii(text) : text;
}

/** Why a frame answers nothing (no zone could be read from buddyinfo), or null when it has an answer. */
export function nothingReadable(input: SnapshotJsonInput): string | null {
  const { snapshot } = input;
  if (snapshot.zones.length > 0) return null;
  return `no memory state could be read: ${snapshot.unavailable.buddyinfo ?? 'buddyinfo lists no zones'}`;
}
