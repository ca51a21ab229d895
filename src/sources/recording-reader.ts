// Opens a recording: indexes its records without inflating them, then decodes any frame on demand.
import { constants, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PROC_FILES, type FileRead, type ProcFileName, type RawFrame } from '../model/raw-frame.js';
import {
  RECORD_HEADER_BYTES,
  RECORDING_VERSION,
  decodeFrameLogLines,
  decodeFramePayload,
  decodeHeaderPayload,
  decodePreamble,
  decodeRecordHead,
  payloadHasLogMark,
  recordChecksumOk,
  type RecordingHeader,
} from './recording-codec.js';

export type { RecordingHeader } from './recording-codec.js';

export interface Recording {
  header: RecordingHeader;
  /** Frames readable from the file: all of them, or those before the first damage. */
  frameCount: number;
  /** Why some of the file could not be read (with the byte offset), or that it holds no frames. */
  warnings: string[];
  /** Capture time of frame i, epoch ms, without decoding it; never earlier than the frame before's. */
  timeOf(i: number): number;
  /**
   * Frame i; fast for i+1 after i (one delta) and for any i (at most one keyframe interval). A frame whose
   * record cannot be decoded (or depends on one that cannot) comes back with every file failed, saying why, and
   * a line in `warnings`: it never throws for an index inside the recording.
   */
  frameAt(i: number): RawFrame;
  /**
   * The kernel-log lines of frames 0..i, oldest first. Only frames that carry lines are decoded
   * (found at open from their mark), so a seek costs as many inflates as there are such frames.
   */
  logLinesUpTo(i: number): string[];
  /** The last frame captured at or before timeMs; -1 when the first frame is later (or there is none). */
  indexAtOrBefore(timeMs: number): number;
  close(): void;
}

/** Damaged frames are each named in the warnings up to this many; the rest are counted. */
const MAX_DAMAGE_WARNINGS = 5;

/** Index reads go through this buffer; large enough that a one-day file takes few reads. */
const SCAN_CHUNK_BYTES = 1 << 20;

/** Keeps a window of the file in memory; records are parsed in place to keep open cheap. */
class Scanner {
  buffer = Buffer.alloc(0);
  private bufferStart = 0;
  constructor(
    private readonly handle: FileHandle,
    private readonly sizeBytes: number,
  ) {}
  /** Where `offset` is in `buffer`, after making [offset, offset + length) present (up to the end of file). */
  async position(offset: number, length: number): Promise<number> {
    const end = Math.min(offset + length, this.sizeBytes);
    if (offset >= this.bufferStart && end <= this.bufferStart + this.buffer.length)
      return offset - this.bufferStart;
    const want = Math.max(0, Math.min(Math.max(length, SCAN_CHUNK_BYTES), this.sizeBytes - offset));
    const chunk = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.handle.read(chunk, got, want - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.buffer = chunk.subarray(0, got);
    this.bufferStart = offset;
    return 0;
  }
  /** Like position(), but without a promise when the bytes are already there. */
  positionNow(offset: number, length: number): number | undefined {
    const end = Math.min(offset + length, this.sizeBytes);
    if (offset >= this.bufferStart && end <= this.bufferStart + this.buffer.length)
      return offset - this.bufferStart;
    return undefined;
  }
}

/** A shallow copy: the reader keeps its own frame for the next delta, whatever the caller does with this one. */
function copyFrame(frame: RawFrame): RawFrame {
  const files: RawFrame['files'] = {};
  for (const [name, read] of Object.entries(frame.files) as [ProcFileName, FileRead | undefined][]) {
    if (read !== undefined) files[name] = { ...read };
  }
  return { ...frame, files, kmsg: [...frame.kmsg] };
}

/**
 * Opens and indexes a recording. Open reads the whole file once in 1 MiB chunks, checking every
 * record's checksum but inflating none; afterwards only the index stays in memory (about 32 bytes
 * per frame) and frames are read from the file by offset.
 */
export async function openRecording(path: string): Promise<Recording> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO given as the recording must not hang open() until some writer appears.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot open recording ${path}: no such file`);
    throw new Error(`cannot open recording ${path}: ${(error as Error).message}`);
  }
  try {
    return await indexRecording(path, handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function indexRecording(path: string, handle: FileHandle): Promise<Recording> {
  const stats = await handle.stat();
  if (!stats.isFile()) throw new Error(`${path} is not a regular file, so not a recording`);
  const sizeBytes = stats.size;
  if (sizeBytes === 0) throw new Error(`${path}: recording is empty`);
  const scanner = new Scanner(handle, sizeBytes);

  const start = await scanner.position(0, 64);
  const preamble = decodePreamble(scanner.buffer.subarray(start, start + 64));
  const endsInHeader = `${path}: recording is empty (the file ends inside its header, at byte ${sizeBytes})`;
  if (preamble.kind === 'foreign') throw new Error(`${path} is not a fragtop recording`);
  if (preamble.kind === 'incomplete') throw new Error(endsInHeader);
  if (preamble.version > RECORDING_VERSION) {
    throw new Error(
      `${path} is a fragtop recording of format version ${preamble.version}; ` +
        `this fragtop reads version ${RECORDING_VERSION} only: open it with a newer fragtop`,
    );
  }

  // The header record.
  let offset = preamble.bytes;
  if (sizeBytes - offset < RECORD_HEADER_BYTES) throw new Error(endsInHeader);
  const headerHead = decodeRecordHead(scanner.buffer, await scanner.position(offset, RECORD_HEADER_BYTES));
  if (headerHead?.kind !== 'header')
    throw new Error(`${path}: recording header is damaged at byte ${offset}`);
  const headerBytes = RECORD_HEADER_BYTES + headerHead.payloadBytes;
  if (offset + headerBytes > sizeBytes) throw new Error(endsInHeader);
  const headerAt = await scanner.position(offset, headerBytes);
  let header: RecordingHeader;
  let logMarks: boolean;
  try {
    if (!recordChecksumOk(scanner.buffer, headerAt, headerHead)) throw new Error('checksum mismatch');
    const payloadAt = headerAt + RECORD_HEADER_BYTES;
    ({ header, logMarks } = decodeHeaderPayload(
      scanner.buffer.subarray(payloadAt, payloadAt + headerHead.payloadBytes),
    ));
    if (header.version !== preamble.version) throw new Error('version differs from the first line');
  } catch (error) {
    throw new Error(`${path}: recording header is damaged at byte ${offset} (${(error as Error).message})`);
  }
  offset += headerBytes;

  // Frame records: only their fixed part and checksum are read here.
  const offsets: number[] = [];
  const recordBytes: number[] = [];
  const times: number[] = [];
  /** Capture times made non-decreasing, for seeking: a clock stepped back must not break the binary search. */
  const seekTimes: number[] = [];
  let backwardsAt: number | null = null;
  const keyframeOf: number[] = [];
  /** Frames whose record carries kernel-log lines, ascending; complete only when the writer marked them. */
  const logFrames: number[] = [];
  const warnings: string[] = [];
  const damaged = (at: number, why: string): void => {
    warnings.push(
      `${path}: recording is damaged at byte ${at} (${why}); ` +
        `the ${offsets.length} frames before it are readable, the last ${sizeBytes - at} bytes are skipped`,
    );
  };
  const torn = (at: number): void => {
    warnings.push(
      `${path}: recording ends inside a frame at byte ${at} (writing was interrupted); ` +
        `the ${offsets.length} frames before it are readable`,
    );
  };
  while (offset < sizeBytes) {
    if (sizeBytes - offset < RECORD_HEADER_BYTES) {
      torn(offset);
      break;
    }
    const at =
      scanner.positionNow(offset, RECORD_HEADER_BYTES) ??
      (await scanner.position(offset, RECORD_HEADER_BYTES));
    const head = decodeRecordHead(scanner.buffer, at);
    if (head === null) {
      damaged(offset, 'not a record');
      break;
    }
    const length = RECORD_HEADER_BYTES + head.payloadBytes;
    if (offset + length > sizeBytes) {
      torn(offset);
      break;
    }
    const recordAt = scanner.positionNow(offset, length) ?? (await scanner.position(offset, length));
    if (!recordChecksumOk(scanner.buffer, recordAt, head)) {
      damaged(offset, 'checksum mismatch');
      break;
    }
    if (head.kind === 'header' || (head.kind === 'delta' && offsets.length === 0)) {
      damaged(offset, `unexpected ${head.kind} record`);
      break;
    }
    if (logMarks && payloadHasLogMark(scanner.buffer, recordAt + RECORD_HEADER_BYTES, head.payloadBytes))
      logFrames.push(offsets.length);
    keyframeOf.push(head.kind === 'keyframe' ? offsets.length : (keyframeOf[offsets.length - 1] ?? 0));
    const latest = seekTimes[seekTimes.length - 1] ?? -Infinity;
    if (head.timeMs < latest && backwardsAt === null) backwardsAt = offsets.length;
    offsets.push(offset);
    recordBytes.push(length);
    times.push(head.timeMs);
    seekTimes.push(Math.max(latest, head.timeMs));
    offset += length;
  }
  const frameCount = offsets.length;
  if (frameCount === 0 && warnings.length === 0) warnings.push(`${path}: recording is empty (no frames)`);
  if (backwardsAt !== null)
    warnings.push(
      `${path}: capture times go backwards at frame ${backwardsAt + 1} (a clock stepped back, or damage); ` +
        'seeking by time uses the latest time before each frame',
    );

  let closed = false;
  const fd = handle.fd;
  let cached: { index: number; frame: RawFrame } | undefined;

  const checkIndex = (i: number): void => {
    if (!Number.isInteger(i) || i < 0 || i >= frameCount) {
      throw new RangeError(`frame ${i} is outside the recording (0..${frameCount - 1})`);
    }
  };
  const readRecord = (i: number): Buffer => {
    const at = offsets[i] ?? 0;
    const length = recordBytes[i] ?? 0;
    const record = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, record, got, length - got, at + got);
      if (n === 0) throw new Error(`${path}: frame ${i} at byte ${at} is no longer in the file`);
      got += n;
    }
    return record;
  };
  /** Frames that could not be decoded, each with why; a delta after one cannot be decoded either. */
  const damagedFrames = new Set<number>();
  let damageWarnings = 0;
  const noteDamage = (i: number, why: string): void => {
    if (damagedFrames.has(i)) return;
    damagedFrames.add(i);
    if (damageWarnings < MAX_DAMAGE_WARNINGS)
      warnings.push(`${why}; it and the frames that depend on it show as unreadable`);
    damageWarnings++;
  };
  /** A frame whose files all say why they are missing: what replay and snapshot show for a damaged frame. */
  const damagedFrame = (i: number, why: string): RawFrame => {
    const files: RawFrame['files'] = {};
    for (const name of PROC_FILES) files[name] = { ok: false, reason: 'error', message: why };
    return {
      timeMs: times[i] ?? header.startTimeMs,
      host: header.host,
      kernel: header.kernel,
      pageSizeBytes: header.pageSize,
      files,
      kmsg: [],
    };
  };
  const decodeAt = (i: number, previous: RawFrame | null): { frame: RawFrame; damaged: boolean } => {
    const at = offsets[i] ?? 0;
    const kind = keyframeOf[i] === i ? 'keyframe' : 'delta';
    try {
      if (kind === 'delta' && previous !== null && damagedFrames.has(i - 1))
        throw new Error(`frame ${i} before it is unreadable`);
      const record = readRecord(i);
      return {
        frame: decodeFramePayload(kind, times[i] ?? 0, record.subarray(RECORD_HEADER_BYTES), previous),
        damaged: false,
      };
    } catch (error) {
      const why = `${path}: frame ${i + 1} at byte ${at} cannot be decoded (${(error as Error).message})`;
      noteDamage(i, why);
      return { frame: damagedFrame(i, why), damaged: true };
    }
  };

  // Lines of the frames in logFrames, decoded on first use; a recording holds few such frames.
  const logLinesOf = new Map<number, string[]>();
  const decodeLogLines = (i: number): string[] => {
    let lines = logLinesOf.get(i);
    if (lines === undefined) {
      try {
        lines = decodeFrameLogLines(readRecord(i).subarray(RECORD_HEADER_BYTES));
      } catch (error) {
        noteDamage(
          i,
          `${path}: frame ${i + 1} at byte ${offsets[i] ?? 0} cannot be decoded (${(error as Error).message})`,
        );
        lines = [];
      }
      logLinesOf.set(i, lines);
    }
    return lines;
  };
  // Files from a writer that did not mark its frames: look at each frame once, as far as asked.
  let scannedThrough = logMarks ? frameCount - 1 : -1;
  const scanForLogLines = (i: number): void => {
    while (scannedThrough < i) {
      const next = scannedThrough + 1;
      if (decodeLogLines(next).length > 0) logFrames.push(next);
      else logLinesOf.delete(next);
      scannedThrough = next;
    }
  };

  return {
    header,
    frameCount,
    warnings,
    timeOf(i: number): number {
      checkIndex(i);
      // Non-decreasing, so positions, gaps and seeking agree even where the recorded clock stepped back.
      return seekTimes[i] ?? 0;
    },
    frameAt(i: number): RawFrame {
      checkIndex(i);
      if (closed) throw new Error(`recording ${path} is closed`);
      const keyframe = keyframeOf[i] ?? 0;
      let frame: RawFrame | null = null;
      let next = keyframe;
      // Continue from the cached frame when it lies between the keyframe and i.
      if (cached !== undefined && cached.index <= i && cached.index >= keyframe) {
        frame = cached.frame;
        next = cached.index + 1;
      }
      let damaged = false;
      for (; next <= i; next++) ({ frame, damaged } = decodeAt(next, frame));
      if (frame === null) return damagedFrame(i, `${path}: frame ${i + 1} could not be decoded`);
      // A damaged frame is no base for the next delta: the next call starts again from the keyframe.
      cached = damaged ? undefined : { index: i, frame };
      return copyFrame(frame);
    },
    logLinesUpTo(i: number): string[] {
      checkIndex(i);
      if (closed) throw new Error(`recording ${path} is closed`);
      scanForLogLines(i);
      const lines: string[] = [];
      for (const frame of logFrames) {
        if (frame > i) break;
        for (const line of decodeLogLines(frame)) lines.push(line);
      }
      return lines;
    },
    indexAtOrBefore(timeMs: number): number {
      // Binary search: times are in capture order.
      let low = 0;
      let high = frameCount - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >>> 1;
        if ((seekTimes[mid] ?? Infinity) <= timeMs) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      return found;
    },
    close(): void {
      if (closed) return;
      closed = true;
      cached = undefined;
      logLinesOf.clear();
      void handle.close().catch(() => undefined);
    },
  };
}
