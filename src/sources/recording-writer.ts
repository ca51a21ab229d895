// Appends RawFrames to a new recording file, one write() per frame so a crash loses at most the last one.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { FileRead, ProcFileName, RawFrame } from '../model/raw-frame.js';
import {
  encodeFrameRecord,
  encodeHeaderRecord,
  encodePreamble,
  type RecordingHeaderInput,
} from './recording-codec.js';

export type { RecordingHeaderInput } from './recording-codec.js';

export interface RecordingWriter {
  /** Encodes the frame now and writes it; calls are written in call order even when not awaited. */
  append(frame: RawFrame): Promise<void>;
  /** Waits for pending writes, flushes the file to disk and closes it. */
  close(): Promise<void>;
  /** Frames and bytes (including the header) written so far. */
  stats(): { frames: number; bytes: number };
}

export interface RecordingWriterOptions {
  /** A keyframe (all texts in full) every this many frames; seeking decodes at most this many records. */
  keyframeEvery?: number;
}

export const DEFAULT_KEYFRAME_EVERY = 60;

/** Writes all of `bytes` with as few write() calls as the kernel allows (one, for a regular file). */
function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** A copy of what the next delta needs, so callers may reuse or mutate the frame they appended. */
function snapshotOf(frame: RawFrame): RawFrame {
  const files: RawFrame['files'] = {};
  for (const [name, read] of Object.entries(frame.files) as [ProcFileName, FileRead | undefined][]) {
    if (read !== undefined) files[name] = { ...read };
  }
  return { ...frame, files, kmsg: [] };
}

/**
 * Creates `path` (it must not exist) and writes the preamble and header. Writes are synchronous
 * (a few hundred bytes to the page cache), so a frame is in the file once append() returns, and a
 * kill -9 cannot tear it. There is no fsync per frame, only on close: a process crash loses
 * nothing written, a power failure may lose the last seconds.
 */
export async function openRecordingWriter(
  path: string,
  header: RecordingHeaderInput,
  options: RecordingWriterOptions = {},
): Promise<RecordingWriter> {
  const keyframeEvery = Math.max(1, Math.floor(options.keyframeEvery ?? DEFAULT_KEYFRAME_EVERY));
  let fd: number;
  try {
    // 'wx': never overwrite an earlier recording; 'a' semantics follow from writing only at the end.
    fd = openSync(path, 'wx');
  } catch (error) {
    // The errno code stays on the error so callers can tell "exists" from "cannot write there".
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw Object.assign(new Error(`${path} already exists; choose another file for the recording`), {
        code,
      });
    throw Object.assign(new Error(`cannot create recording ${path}: ${(error as Error).message}`), { code });
  }
  let bytes = 0;
  let frames = 0;
  let previous: RawFrame | null = null;
  let closed = false;
  let failure: Error | undefined;
  try {
    const start = Buffer.concat([encodePreamble(), encodeHeaderRecord(header)]);
    writeAll(fd, start);
    bytes += start.length;
  } catch (error) {
    closeSync(fd);
    throw new Error(`cannot write recording ${path}: ${(error as Error).message}`);
  }

  return {
    append(frame: RawFrame): Promise<void> {
      if (closed) return Promise.reject(new Error(`recording ${path} is closed`));
      // After a failed write the file may end in a torn record; later frames would be unreachable.
      if (failure !== undefined) return Promise.reject(failure);
      try {
        const keyframe = previous === null || frames % keyframeEvery === 0;
        const record = encodeFrameRecord(frame, keyframe ? null : previous);
        writeAll(fd, record);
        bytes += record.length;
        frames++;
        previous = snapshotOf(frame);
        return Promise.resolve();
      } catch (error) {
        failure = new Error(`cannot write recording ${path}: ${(error as Error).message}`);
        return Promise.reject(failure);
      }
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return Promise.resolve();
    },
    stats: () => ({ frames, bytes }),
  };
}
