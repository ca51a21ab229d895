// `fragtop snapshot`: one frame (with the kernel log so far) printed as text or JSON, then exit; live, or one
// frame of a recording with --replay FILE --at TIME.
import { ProcSource } from '../sources/proc-source.js';
import type { Recording } from '../sources/recording-reader.js';
import { createFragtopStore, type FragtopStore } from '../store/create-store.js';
import { formatFrame, frameInput, nothingReadable, type ExtraProblem } from './frame-output.js';
import { parseJumpTime } from './jump-time.js';
import type { Options } from './parse-args.js';
import { kernelLogFor, kernelLogStateOf } from './kernel-log-for.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { openRecordingOrExplain } from './recording-open.js';
import { withPageblockMap } from './map-read.js';

function print(
  store: FragtopStore,
  options: Options,
  stdout: NodeJS.WritableStream,
  extraProblems: ExtraProblem[],
  ascii: boolean,
  kernelLog: KernelLogState | null = null,
): number {
  const input = frameInput(store, extraProblems, options.slabSort, kernelLog);
  if (!input) throw new Error('no frame was captured');
  stdout.write(formatFrame(input, options.json ? 'json' : 'text', ascii));
  const nothing = nothingReadable(input);
  // The frame says what could not be read; scripts also need to know that nothing was.
  if (nothing) process.stderr.write(`fragtop: ${nothing}\n`);
  return nothing ? 1 : 0;
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
  ascii: boolean,
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
    return print(
      store,
      options,
      stdout,
      recording.warnings.map((message) => ({ source: 'recording', message })),
      ascii,
      // What the recorder knew of its kernel log; older recordings do not say.
      recording.header.kernelLog ? { source: 'recording', ...recording.header.kernelLog } : null,
    );
  } finally {
    recording.close();
  }
}

export async function runSnapshot(
  options: Options,
  stdout: NodeJS.WritableStream,
  ascii = false,
): Promise<number> {
  if (options.replay !== null) return snapshotOfRecording(options, options.replay, stdout, ascii);
  const source = new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null });
  const { log, note, state } = await kernelLogFor(options, { follow: false });
  try {
    const store = createFragtopStore({ order: options.order, intervalMs: options.intervalMs });
    const { actions } = store.getState();
    actions.setLogTimeReference(log?.status.mtimeMs ?? null);
    // With --interval D, a first sample D earlier makes the rates real (vmstat counters per second).
    if (options.intervalGiven) {
      actions.ingest(await source.read());
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
    const sampled = await source.read();
    const frame = options.map ? await withPageblockMap(sampled, options.procRoot) : sampled;
    actions.ingest({ ...frame, kmsg: log?.drain() ?? [] });
    const status = source.status();
    return print(
      store,
      options,
      stdout,
      [
        ...(note ? [{ source: 'kmsg', message: note }] : []),
        ...(status.pageSizeNote ? [{ source: 'page size', message: status.pageSizeNote }] : []),
        ...(status.identityNote ? [{ source: 'identity', message: status.identityNote }] : []),
      ],
      ascii,
      kernelLogStateOf(log, state),
    );
  } finally {
    log?.close();
  }
}
