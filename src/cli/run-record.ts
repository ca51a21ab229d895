// `fragtop record`: captures frames (with the kernel-log lines that arrived) into a recording file, without a UI.
import { formatBytes } from '../render/format.js';
import { defaultRecordingName } from '../sources/recording-name.js';
import { resolve } from 'node:path';
import type { RawFrame } from '../model/raw-frame.js';
import { ProcSource } from '../sources/proc-source.js';
import { openRecordingWriter, type RecordingWriter } from '../sources/recording-writer.js';
import { kernelLogFor, kernelLogStateOf } from './kernel-log-for.js';
import type { Options } from './parse-args.js';

export interface RecordIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Stops the recording like SIGINT does. */
  signal?: AbortSignal;
}

/** A stall longer than this (a suspended process, a hung read) skips the missed ticks instead of catching up. */
const MAX_CATCH_UP_MS = 1000;
/** Repaint the progress line at most this often when frames come fast. */
const PROGRESS_EVERY_MS = 200;

/** Progress in KiB and MiB with one decimal, so the line grows steadily instead of jumping units. */
const progressBytes = (bytes: number): string =>
  formatBytes(bytes, { units: 'iec', decimals: 'one', maxUnit: 'M' });

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}h${pad2(minutes)}m${pad2(seconds)}s` : `${minutes}m${pad2(seconds)}s`;
}

function whyNotWritable(code: string | undefined, message: string): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EROFS') return 'read-only file system';
  return message;
}

/** Resolves after `ms`, or at once when `stopped` fires. */
function sleep(ms: number, stopped: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((done) => (timer = setTimeout(done, ms))), stopped]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * Records until --duration has passed, SIGINT or SIGTERM arrives, or `io.signal` aborts; the file
 * is complete after every frame, and closed (fsynced) on stop. Returns the exit code: 0 when
 * recorded, 1 when the file cannot be written, 2 when it already exists.
 */
export async function runRecord(options: Options, io: RecordIo): Promise<number> {
  const { stderr } = io;
  const say = (line: string): void => void stderr.write(`fragtop record: ${line}\n`);
  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs,
  });

  let stop: () => void = () => undefined;
  let stopRequested = false;
  const stopped = new Promise<void>((done) => {
    stop = () => {
      stopRequested = true;
      done();
    };
  });
  const onSignal = (): void => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.signal?.addEventListener('abort', onSignal, { once: true });
  if (io.signal?.aborted) stop();

  const { log, note, state } = await kernelLogFor(options);
  let writer: RecordingWriter | undefined;
  let path = '';
  try {
    if (note !== null) say(note);
    const take = async (): Promise<RawFrame> => {
      const frame = await source.read();
      // As the live sampler does: the lines that arrived by the time the frame was read.
      const lines = log?.drain() ?? [];
      return lines.length > 0 ? { ...frame, kmsg: lines } : frame;
    };

    const startMs = Date.now();
    let frame = await take();
    path = options.out ?? defaultRecordingName(frame.host, startMs);
    try {
      writer = await openRecordingWriter(path, {
        host: frame.host,
        kernel: frame.kernel,
        pageSize: frame.pageSizeBytes,
        intervalMs: options.intervalMs,
        startTimeMs: startMs,
        // A replay must say "unknown" for failures it could not have seen.
        kernelLog: { state: kernelLogStateOf(log, state).state, reason: kernelLogStateOf(log, state).reason },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        say(`${path} already exists; recordings are never overwritten, choose another --out FILE`);
        return 2;
      }
      say(`cannot create ${resolve(path)}: ${whyNotWritable(code, (error as Error).message)}`);
      return 1;
    }

    const tty = stderr.isTTY === true;
    let paintedMs = 0;
    const progress = (final: boolean): string => {
      const { frames, bytes } = writer?.stats() ?? { frames: 0, bytes: 0 };
      const perFrame = frames > 0 ? `, ${progressBytes(Math.round(bytes / frames))} a frame` : '';
      return `${final ? 'wrote' : 'recording'} ${frames} frames (${progressBytes(bytes)}${perFrame}) in ${formatElapsed(Date.now() - startMs)} to ${path}`;
    };
    const paint = (): void => {
      paintedMs = Date.now();
      stderr.write(`\r\u001b[2K${progress(false)}${stopRequested ? '' : ' (Ctrl-C stops)'}`);
    };

    let failure: string | null = null;
    // Frames are due on a fixed grid from the start time, so slow reads do not make the recording drift.
    for (let tick = 0; ;) {
      try {
        await writer.append(frame);
      } catch (error) {
        failure = (error as Error).message;
        break;
      }
      if (tty && Date.now() - paintedMs >= PROGRESS_EVERY_MS) paint();
      tick++;
      let dueMs = startMs + tick * options.intervalMs;
      const behindMs = Date.now() - dueMs;
      if (behindMs > Math.max(options.intervalMs, MAX_CATCH_UP_MS))
        tick += Math.floor(behindMs / options.intervalMs);
      dueMs = startMs + tick * options.intervalMs;
      if (options.durationMs !== null && dueMs - startMs >= options.durationMs) break;
      if (stopRequested) break;
      await sleep(dueMs - Date.now(), stopped);
      if (stopRequested) break;
      frame = await take();
    }

    await writer.close();
    if (tty) stderr.write('\r\u001b[2K');
    if (failure !== null) {
      say(`${failure}; stopped, the frames before it are in the file`);
      return 1;
    }
    say(progress(true));
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.signal?.removeEventListener('abort', onSignal);
    log?.close();
    if (writer !== undefined) await writer.close().catch(() => undefined);
  }
}
