// `fragtop snapshot`: one frame (with the kernel log so far) printed as text or JSON, then exit; live, or one
// frame of a recording with --replay FILE --at TIME.
import { ProcSource } from '../sources/proc-source.js';
import type { Recording } from '../sources/recording-reader.js';
import { createFragtopStore, targetOrderOf, type FragtopStore } from '../store/create-store.js';
import { selectDiagnosis } from '../store/select-diagnosis.js';
import { snapshotJson } from '../export/snapshot-json.js';
import { snapshotText } from '../export/snapshot-text.js';
import { parseJumpTime } from './jump-time.js';
import type { Options } from './parse-args.js';
import { kernelLogFor } from './kernel-log-for.js';
import { openRecordingOrExplain } from './recording-open.js';
import { withPageblockMap } from './map-read.js';

type ExtraProblem = { source: string; message: string };

function print(
  store: FragtopStore,
  options: Options,
  stdout: NodeJS.WritableStream,
  extraProblems: ExtraProblem[],
) {
  const state = store.getState();
  const { latest: snapshot, failureLog, rates } = state.sample;
  if (!snapshot) throw new Error('no frame was captured');
  const input = {
    snapshot,
    targetOrder: targetOrderOf(state),
    failures: failureLog.failures,
    suppressedFailures: failureLog.suppressed,
    diagnosis: selectDiagnosis(state),
    rates,
    extraProblems,
  };
  stdout.write(options.json ? `${JSON.stringify(snapshotJson(input), null, 2)}\n` : snapshotText(input));
}

/**
 * The frame `--at` names: a relative time counts back from the end (-5m) or on from the start (+30s); a clock time
 * or ISO date is absolute; without --at, the last frame.
 */
export function frameIndexAt(recording: Recording, at: string | null): { index: number } | { error: string } {
  const last = recording.frameCount - 1;
  if (at === null) return { index: last };
  const startMs = recording.timeOf(0);
  const endMs = recording.timeOf(last);
  const jump = parseJumpTime(at, { fromMs: at.trim().startsWith('+') ? startMs : endMs, startMs, endMs });
  if (!jump.ok) return { error: `--at: ${jump.message}` };
  if (jump.timeMs < startMs || jump.timeMs > endMs)
    return {
      error: `--at ${at}: the recording runs from ${new Date(startMs).toISOString()} to ${new Date(endMs).toISOString()}`,
    };
  return { index: recording.indexAtOrBefore(jump.timeMs) };
}

async function snapshotOfRecording(
  options: Options,
  file: string,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const opened = await openRecordingOrExplain(file);
  if ('error' in opened) {
    process.stderr.write(`fragtop: ${opened.error}\n`);
    return 1;
  }
  const { recording } = opened;
  try {
    const at = frameIndexAt(recording, options.at);
    if ('error' in at) {
      process.stderr.write(`fragtop: ${at.error}\n`);
      return 2;
    }
    const store = createFragtopStore({
      mode: 'replay',
      order: options.order,
      intervalMs: recording.header.intervalMs,
    });
    const { actions } = store.getState();
    // The frame before gives the rates; the kernel log is everything recorded up to this frame.
    if (at.index > 0) actions.ingest({ ...recording.frameAt(at.index - 1), kmsg: [] });
    actions.ingest({ ...recording.frameAt(at.index), kmsg: [] });
    actions.setLog(recording.logLinesUpTo(at.index));
    print(
      store,
      options,
      stdout,
      recording.warnings.map((message) => ({ source: 'recording', message })),
    );
    return 0;
  } finally {
    recording.close();
  }
}

export async function runSnapshot(options: Options, stdout: NodeJS.WritableStream): Promise<number> {
  if (options.replay !== null) return snapshotOfRecording(options, options.replay, stdout);
  const source = new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null });
  const { log, note } = await kernelLogFor(options);
  try {
    const sampled = await source.read();
    const frame = options.map ? await withPageblockMap(sampled, options.procRoot) : sampled;
    const store = createFragtopStore({ order: options.order, intervalMs: options.intervalMs });
    store.getState().actions.ingest({ ...frame, kmsg: log?.drain() ?? [] });
    const status = source.status();
    print(store, options, stdout, [
      ...(note ? [{ source: 'kmsg', message: note }] : []),
      ...(status.pageSizeNote ? [{ source: 'page size', message: status.pageSizeNote }] : []),
    ]);
    return 0;
  } finally {
    log?.close();
  }
}
