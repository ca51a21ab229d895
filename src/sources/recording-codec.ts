// Encodes and decodes the bytes of a recording (preamble, header and frame records); no file access.
import * as zlib from 'node:zlib';
import {
  PROC_FILES,
  type FileRead,
  type ProcFileName,
  type RawFrame,
  type ReadFailure,
} from '../model/raw-frame.js';
import type { KernelLogReadState } from '../model/kernel-log-state.js';
import { eventsFromRecording, pageblocksFromRecording } from './recording-extras.js';

export const RECORDING_FORMAT = 'fragtop-recording';
export const RECORDING_VERSION = 1;

/** What the writer is told about a recording when it starts. */
export interface RecordingHeaderInput {
  host: string | null;
  kernel: string | null;
  /** The recording's page size, as its header names it. */
  pageSize: number;
  /** The sampling period the recording was taken at. */
  intervalMs: number;
  /** Epoch ms when recording started. */
  startTimeMs: number;
  /**
   * Whether the kernel log could be read while recording; absent in recordings made before it was kept. A replay
   * of a recording whose log was not read says the failures are unknown, never "none".
   */
  kernelLog?: { state: KernelLogReadState; reason: string | null };
}

export interface RecordingHeader extends RecordingHeaderInput {
  format: typeof RECORDING_FORMAT;
  version: number;
}

export type RecordKind = 'header' | 'keyframe' | 'delta';

/** Fixed-size part of every record: length, kind, time and checksum. */
export const RECORD_HEADER_BYTES = 17;
/** Bigger than any sane record; a larger length field means the length itself is damaged. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/**
 * The most a frame record may inflate to. A frame holds at most the proc reader's caps (about 39 MiB of text,
 * see READ_CAP_BYTES) and the kernel-log lines of one interval; real frames are a few KiB (deltas) to a few
 * hundred KiB (keyframes). More is a deflate bomb (a few MB of zeros inflating to gigabytes), not a frame.
 */
export const MAX_FRAME_JSON_BYTES = 64 * 1024 * 1024;
/** Host names and kernel releases are at most 64 characters (__NEW_UTS_LEN); the proc reader reads 1 KiB of them. */
const MAX_IDENTITY_CHARS = 1024;
/** Epoch ms a Date can hold (±100,000,000 days); past it toISOString() throws "Invalid time value". */
const MAX_TIME_MS = 8.64e15;
/** The longest sampling period a recording can have been taken at (the command line allows 1 day). */
const MAX_INTERVAL_MS = 365 * 86_400_000;

/** A page size some Linux architecture uses: a power of two from 1 KiB to 1 MiB (4K, 8K, 16K, 64K, 256K). */
export function isPageSize(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1024 &&
    value <= 1024 * 1024 &&
    (value & (value - 1)) === 0
  );
}

/** A time a Date can hold (epoch ms): anything else makes toISOString() throw downstream. */
export function isRecordTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_TIME_MS;
}

function isIdentity(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && value.length <= MAX_IDENTITY_CHARS);
}

const KIND_BYTES: Record<RecordKind, number> = { header: 0x48, keyframe: 0x4b, delta: 0x44 };
const KINDS_BY_BYTE = new Map<number, RecordKind>(
  (Object.entries(KIND_BYTES) as [RecordKind, number][]).map(([kind, byte]) => [byte, kind]),
);
const PREAMBLE_PREFIX = `${RECORDING_FORMAT} `;
/** The preamble is one short ASCII line; anything longer is not ours. */
const MAX_PREAMBLE_BYTES = 32;

/** One line operation of a text delta, applied with a cursor over the previous text's lines. */
type LineOp =
  /** n > 0: copy n previous lines; n < 0: drop -n previous lines. */
  | number
  /** A new line, taken as is. */
  | string
  /** The next previous line with each decimal number shifted by the given amount. */
  | number[];

/** How one file is stored inside a frame record (short keys keep records small). */
interface StoredFile {
  /** Full text. */
  t?: string;
  /** Line operations against the previous frame's text of the same file. */
  d?: LineOp[];
  /** readMs. */
  r?: number;
  /** readAtMs - timeMs, when adding it back is exact. */
  a?: number;
  /** readAtMs itself, when the difference would not round-trip. */
  A?: number;
  /** Failure reason and message. */
  x?: ReadFailure;
  m?: string;
}

interface StoredFrame {
  /** host, kernel, pageSize: always in keyframes; in deltas only when they changed. */
  h?: string | null;
  k?: string | null;
  p?: number;
  f: Partial<Record<ProcFileName, StoredFile>>;
  /** Kernel log lines; omitted when none. */
  l?: string[];
  /** The pageblock map and the trace tallies: stored when they changed; a delta without them keeps the last ones. */
  b?: unknown;
  e?: unknown;
}

// --- checksum -------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zlib polynomial); zlib.crc32 only exists from Node 20.15, so keep a fallback. */
export function crc32(data: Uint8Array, initial = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data, initial);
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = (initial ^ 0xffffffff) >>> 0;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// --- preamble -------------------------------------------------------------------------------

export function encodePreamble(version = RECORDING_VERSION): Buffer {
  return Buffer.from(`${PREAMBLE_PREFIX}${version}\n`, 'ascii');
}

export type PreambleResult =
  | { kind: 'ok'; version: number; bytes: number }
  /** The bytes so far match a preamble but it has not ended yet. */
  | { kind: 'incomplete' }
  | { kind: 'foreign' };

/** Reads the first line of a file: "fragtop-recording <version>\n". */
export function decodePreamble(start: Uint8Array): PreambleResult {
  const head = Buffer.from(start.buffer, start.byteOffset, Math.min(start.length, MAX_PREAMBLE_BYTES));
  const newline = head.indexOf(0x0a);
  const line = head.toString('latin1', 0, newline < 0 ? head.length : newline);
  if (newline < 0) {
    const partial = /^fragtop-recording( \d*)?$/.test(line) || PREAMBLE_PREFIX.startsWith(line);
    return partial && head.length < MAX_PREAMBLE_BYTES ? { kind: 'incomplete' } : { kind: 'foreign' };
  }
  const match = /^fragtop-recording ([1-9]\d{0,8})$/.exec(line);
  if (match?.[1] === undefined) return { kind: 'foreign' };
  return { kind: 'ok', version: Number(match[1]), bytes: newline + 1 };
}

// --- record framing -------------------------------------------------------------------------

/*
 * Record layout (little endian):
 *   0  u32  CRC-32 of bytes 4 .. end of record
 *   4  u32  payload length in bytes
 *   8  u8   kind: 'H' header, 'K' keyframe, 'D' delta
 *   9  f64  time, epoch ms (frame capture time; start time for the header)
 *  17  payload
 */
function frameRecord(kind: RecordKind, timeMs: number, payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 4);
  record.writeUInt8(KIND_BYTES[kind], 8);
  record.writeDoubleLE(timeMs, 9);
  payload.copy(record, RECORD_HEADER_BYTES);
  record.writeUInt32LE(crc32(record.subarray(4)), 0);
  return record;
}

export interface RecordHead {
  kind: RecordKind;
  timeMs: number;
  payloadBytes: number;
  crc: number;
}

/** Parses the fixed part of the record at `at`; null when those bytes cannot be a record of ours. */
export function decodeRecordHead(bytes: Buffer, at = 0): RecordHead | null {
  if (bytes.length - at < RECORD_HEADER_BYTES) return null;
  const payloadBytes = bytes.readUInt32LE(at + 4);
  const kind = KINDS_BY_BYTE.get(bytes.readUInt8(at + 8));
  const timeMs = bytes.readDoubleLE(at + 9);
  if (kind === undefined || payloadBytes > MAX_PAYLOAD_BYTES || !isRecordTime(timeMs)) return null;
  return { kind, timeMs, payloadBytes, crc: bytes.readUInt32LE(at) };
}

/** True when the whole record at `at` (fixed part and payload, both in `bytes`) matches its checksum. */
export function recordChecksumOk(bytes: Buffer, at: number, head: RecordHead): boolean {
  const end = at + RECORD_HEADER_BYTES + head.payloadBytes;
  return end <= bytes.length && crc32(bytes.subarray(at + 4, end)) === head.crc;
}

// --- header record --------------------------------------------------------------------------

/** The header payload is plain JSON so that the first bytes of a recording are readable as text. */
export function encodeHeaderRecord(input: RecordingHeaderInput): Buffer {
  const header: RecordingHeader & { logMarks: true } = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    host: input.host,
    kernel: input.kernel,
    pageSize: input.pageSize,
    intervalMs: input.intervalMs,
    startTimeMs: input.startTimeMs,
    ...(input.kernelLog ? { kernelLog: input.kernelLog } : {}),
    // Every frame record with kernel-log lines starts with LOG_MARK (see encodeFrameRecord).
    logMarks: true,
  };
  return frameRecord('header', input.startTimeMs, Buffer.from(JSON.stringify(header), 'utf8'));
}

export interface DecodedHeader {
  header: RecordingHeader;
  /** True when the writer marked every frame record carrying kernel-log lines (key `logMarks`). */
  logMarks: boolean;
}

const LOG_STATES: readonly KernelLogReadState[] = ['read', 'unreadable', 'not-requested'];

/** The kernel-log state a header carries, when it is one of ours; anything else is left out (unknown). */
function kernelLogOf(value: unknown): Pick<RecordingHeaderInput, 'kernelLog'> {
  if (typeof value !== 'object' || value === null) return {};
  const { state, reason } = value as Record<string, unknown>;
  if (!LOG_STATES.includes(state as KernelLogReadState)) return {};
  return {
    kernelLog: {
      state: state as KernelLogReadState,
      reason: typeof reason === 'string' ? reason.slice(0, MAX_IDENTITY_CHARS) : null,
    },
  };
}

export function decodeHeaderPayload(payload: Uint8Array): DecodedHeader {
  const value: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
  if (typeof value !== 'object' || value === null) throw new Error('header is not an object');
  const h = value as Record<string, unknown>;
  if (
    h.format !== RECORDING_FORMAT ||
    typeof h.version !== 'number' ||
    !isIdentity(h.host) ||
    !isIdentity(h.kernel) ||
    typeof h.pageSize !== 'number' ||
    typeof h.intervalMs !== 'number' ||
    typeof h.startTimeMs !== 'number'
  ) {
    throw new Error('header lacks a required field');
  }
  if (!isPageSize(h.pageSize)) throw new Error(`page size ${h.pageSize} is not one Linux uses`);
  if (!(h.intervalMs > 0 && h.intervalMs <= MAX_INTERVAL_MS)) throw new Error(`interval ${h.intervalMs} ms`);
  if (!isRecordTime(h.startTimeMs)) throw new Error(`start time ${h.startTimeMs} is not a time`);
  return {
    header: {
      format: RECORDING_FORMAT,
      version: h.version,
      host: h.host,
      kernel: h.kernel,
      pageSize: h.pageSize,
      intervalMs: h.intervalMs,
      startTimeMs: h.startTimeMs,
      ...kernelLogOf(h.kernelLog),
    },
    logMarks: h.logMarks === true,
  };
}

// --- text deltas ----------------------------------------------------------------------------

const CANONICAL_NUMBER = /^(0|[1-9]\d{0,14})$/;

/** The text between digit runs; two lines with equal skeletons differ only in their numbers. */
function skeletonKey(line: string): string {
  return line.split(/\d+/).join('\u0000');
}

/** Per-number shifts turning `from` into `to`, or null when that would not rebuild `to` exactly. */
function numberShifts(from: string, to: string): number[] | null {
  const fromParts = from.split(/(\d+)/);
  const toParts = to.split(/(\d+)/);
  if (fromParts.length !== toParts.length) return null;
  const shifts: number[] = [];
  for (let k = 0; k < fromParts.length; k++) {
    const a = fromParts[k] ?? '';
    const b = toParts[k] ?? '';
    if (k % 2 === 0) {
      if (a !== b) return null;
    } else {
      // Leading zeros or numbers past 2^53 would not survive Number -> String.
      if (!CANONICAL_NUMBER.test(a) || !CANONICAL_NUMBER.test(b)) return null;
      shifts.push(Number(b) - Number(a));
    }
  }
  return shifts;
}

function applyShifts(line: string, shifts: readonly number[]): string {
  let k = 0;
  const out = line.replace(/\d+/g, (digits) => {
    const shift = shifts[k++];
    if (shift === undefined) throw new Error('a number edit has too few values');
    if (typeof shift !== 'number' || !Number.isFinite(shift))
      throw new Error('a number edit is not a number');
    return String(Number(digits) + shift);
  });
  if (k !== shifts.length) throw new Error('a number edit has too many values');
  return out;
}

/** Finds, for increasing positions, the next line at or after a position with a given key. */
class NextIndex {
  private readonly positions = new Map<string, number[]>();
  private readonly cursors = new Map<string, number>();
  constructor(keys: readonly string[]) {
    keys.forEach((key, index) => {
      const list = this.positions.get(key);
      if (list === undefined) this.positions.set(key, [index]);
      else list.push(index);
    });
  }
  /** Callers ask with non-decreasing `from`, so each list is walked once. */
  atOrAfter(key: string, from: number): number {
    const list = this.positions.get(key);
    if (list === undefined) return -1;
    let cursor = this.cursors.get(key) ?? 0;
    while (cursor < list.length && (list[cursor] ?? 0) < from) cursor++;
    this.cursors.set(key, cursor);
    return list[cursor] ?? -1;
  }
}

/** Line operations that turn `previous` into `next`; any alignment decodes exactly, a good one is small. */
export function diffLines(previous: string, next: string): LineOp[] {
  const prevLines = previous.split('\n');
  const nextLines = next.split('\n');
  // Most lines are equal or differ only in numbers; shapes and look-ahead indexes are built only if needed.
  let lookahead: { prevKeys: string[]; nextKeys: string[]; inPrev: NextIndex; inNext: NextIndex } | undefined;
  const ops: LineOp[] = [];
  const push = (op: LineOp): void => {
    const last = ops[ops.length - 1];
    // Merge runs of copies and of drops.
    if (typeof op === 'number' && typeof last === 'number' && Math.sign(op) === Math.sign(last)) {
      ops[ops.length - 1] = last + op;
    } else {
      ops.push(op);
    }
  };
  let i = 0;
  let j = 0;
  while (i < nextLines.length) {
    const line = nextLines[i] ?? '';
    const old = prevLines[j];
    if (old !== undefined) {
      const shifts = old === line ? null : numberShifts(old, line);
      if (old === line || shifts !== null) {
        push(shifts ?? 1);
        i++;
        j++;
        continue;
      }
    }
    if (lookahead === undefined) {
      const prevKeys = prevLines.map(skeletonKey);
      const nextKeys = nextLines.map(skeletonKey);
      lookahead = { prevKeys, nextKeys, inPrev: new NextIndex(prevKeys), inNext: new NextIndex(nextKeys) };
    }
    const key = lookahead.nextKeys[i] ?? '';
    if (old !== undefined && lookahead.prevKeys[j] === key) {
      // Same shape, but numbers that would not round-trip as shifts.
      push(-1);
      push(line);
      i++;
      j++;
      continue;
    }
    const foundInPrev = lookahead.inPrev.atOrAfter(key, j);
    const foundInNext =
      old !== undefined ? lookahead.inNext.atOrAfter(lookahead.prevKeys[j] ?? '', i + 1) : -1;
    if (foundInPrev < 0) {
      push(line); // a line with a new shape
      i++;
    } else if (foundInNext < 0 || foundInPrev - j <= foundInNext - i) {
      push(-(foundInPrev - j)); // previous lines that are gone
      j = foundInPrev;
    } else {
      push(line); // inserted before a line that comes later
      i++;
    }
  }
  return ops;
}

/** Rough serialized size of line operations, to compare with storing the text itself. */
function opsSizeEstimate(ops: readonly LineOp[]): number {
  let size = 0;
  for (const op of ops)
    size += typeof op === 'string' ? op.length + 3 : typeof op === 'number' ? 4 : 4 * op.length;
  return size;
}

export function applyLineOps(previous: string, ops: readonly LineOp[]): string {
  const prevLines = previous.split('\n');
  const out: string[] = [];
  let j = 0;
  for (const op of ops) {
    if (typeof op === 'string') out.push(op);
    else if (typeof op === 'number') {
      if (!Number.isInteger(op) || op === 0) throw new Error(`bad line count ${op}`);
      const count = Math.abs(op);
      if (j + count > prevLines.length) throw new Error('a line edit runs past the previous text');
      if (op > 0) for (let k = 0; k < count; k++) out.push(prevLines[j + k] ?? '');
      j += count;
    } else if (Array.isArray(op)) {
      const old = prevLines[j];
      if (old === undefined) throw new Error('a number edit runs past the previous text');
      out.push(applyShifts(old, op));
      j++;
    } else {
      throw new Error('unknown line edit');
    }
  }
  return out.join('\n');
}

// --- frame records --------------------------------------------------------------------------

/**
 * Put before the deflate stream of a frame that carries kernel-log lines: an empty, non-final
 * stored deflate block (BFINAL 0, BTYPE 00, LEN 0, NLEN 0xFFFF). Inflating skips it, so readers
 * that do not know it read the frame as before, and a reader can find the frames with log lines
 * without inflating anything. zlib never starts a non-empty stream with it (a stored block it
 * writes first has LEN > 0).
 */
export const LOG_MARK = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** True when the payload starting at `at` begins with LOG_MARK. */
export function payloadHasLogMark(bytes: Uint8Array, at: number, payloadBytes: number): boolean {
  if (payloadBytes < LOG_MARK.length) return false;
  for (let k = 0; k < LOG_MARK.length; k++) if (bytes[at + k] !== LOG_MARK[k]) return false;
  return true;
}

function storeFile(
  read: FileRead,
  timeMs: number,
  previous: FileRead | undefined,
  keyframe: boolean,
): StoredFile {
  if (!read.ok) return { x: read.reason, m: read.message };
  const stored: StoredFile = { r: read.readMs };
  const offsetMs = read.readAtMs - timeMs;
  if (timeMs + offsetMs === read.readAtMs) stored.a = offsetMs;
  else stored.A = read.readAtMs;
  if (keyframe || previous === undefined || !previous.ok) {
    stored.t = read.text;
  } else {
    const ops = diffLines(previous.text, read.text);
    // Text that changed shape entirely is smaller as itself.
    if (opsSizeEstimate(ops) < read.text.length) stored.d = ops;
    else stored.t = read.text;
  }
  return stored;
}

/**
 * Encodes one frame as a record: a keyframe (all texts) when `previous` is null, otherwise a
 * delta against `previous`, which must be the frame recorded just before this one.
 */
export function encodeFrameRecord(frame: RawFrame, previous: RawFrame | null): Buffer {
  const keyframe = previous === null;
  const stored: StoredFrame = { f: {} };
  if (keyframe || frame.host !== previous.host) stored.h = frame.host;
  if (keyframe || frame.kernel !== previous.kernel) stored.k = frame.kernel;
  if (keyframe || frame.pageSizeBytes !== previous.pageSizeBytes) stored.p = frame.pageSizeBytes;
  for (const [name, read] of Object.entries(frame.files) as [ProcFileName, FileRead | undefined][]) {
    if (read === undefined) continue;
    stored.f[name] = storeFile(read, frame.timeMs, previous?.files[name], keyframe);
  }
  if (frame.kmsg.length > 0) stored.l = frame.kmsg;
  if (frame.pageblocks && (keyframe || frame.pageblocks !== previous.pageblocks)) stored.b = frame.pageblocks;
  if (frame.events && (keyframe || frame.events !== previous.events)) stored.e = frame.events;
  const json = Buffer.from(JSON.stringify(stored), 'utf8');
  // Level 9 makes keyframes only 2% smaller for five times the CPU.
  const deflated = zlib.deflateRawSync(json, { level: 6 });
  const payload = frame.kmsg.length > 0 ? Buffer.concat([LOG_MARK, deflated]) : deflated;
  return frameRecord(keyframe ? 'keyframe' : 'delta', frame.timeMs, payload);
}

const FAILURES: readonly ReadFailure[] = ['missing', 'permission', 'error'];

function loadFile(
  stored: StoredFile,
  timeMs: number,
  previous: FileRead | undefined,
  name: string,
): FileRead {
  if (typeof stored !== 'object' || stored === null) throw new Error(`${name}: not a file record`);
  if (stored.x !== undefined) {
    if (!FAILURES.includes(stored.x) || typeof stored.m !== 'string') throw new Error(`${name}: bad failure`);
    return { ok: false, reason: stored.x, message: stored.m };
  }
  let text: string;
  if (stored.t !== undefined) {
    if (typeof stored.t !== 'string') throw new Error(`${name}: text is not a string`);
    text = stored.t;
  } else if (Array.isArray(stored.d)) {
    if (previous === undefined || !previous.ok) throw new Error(`${name}: a delta without a previous text`);
    text = applyLineOps(previous.text, stored.d);
  } else throw new Error(`${name}: no text`);
  const readAtMs = typeof stored.a === 'number' ? timeMs + stored.a : stored.A;
  if (typeof stored.r !== 'number' || !Number.isFinite(stored.r) || stored.r < 0 || !isRecordTime(readAtMs))
    throw new Error(`${name}: no read times`);
  return { ok: true, text, readMs: stored.r, readAtMs };
}

function inflateFrame(payload: Uint8Array): StoredFrame {
  let json: Buffer;
  try {
    json = zlib.inflateRawSync(payload, { maxOutputLength: MAX_FRAME_JSON_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`it inflates past ${MAX_FRAME_JSON_BYTES / 1024 / 1024} MiB, more than any real frame`);
    throw error;
  }
  const stored = JSON.parse(json.toString('utf8')) as StoredFrame;
  if (
    typeof stored !== 'object' ||
    stored === null ||
    Array.isArray(stored) ||
    typeof stored.f !== 'object' ||
    stored.f === null ||
    Array.isArray(stored.f)
  ) {
    throw new Error('frame record has no files');
  }
  return stored;
}

function logLinesOf(stored: StoredFrame): string[] {
  const kmsg = stored.l ?? [];
  if (!Array.isArray(kmsg) || !kmsg.every((line) => typeof line === 'string'))
    throw new Error('bad kernel log');
  return kmsg;
}

/** Only the kernel-log lines of a frame record's payload; works on deltas without the frame before. */
export function decodeFrameLogLines(payload: Uint8Array): string[] {
  return logLinesOf(inflateFrame(payload));
}

/** Decodes a frame record's payload; `previous` is required for a delta. Throws on bad input. */
export function decodeFramePayload(
  kind: 'keyframe' | 'delta',
  timeMs: number,
  payload: Uint8Array,
  previous: RawFrame | null,
): RawFrame {
  if (kind === 'delta' && previous === null) throw new Error('a delta record without a previous frame');
  const stored = inflateFrame(payload);
  const base = kind === 'delta' ? previous : null;
  const host = stored.h !== undefined ? stored.h : base?.host;
  const kernel = stored.k !== undefined ? stored.k : base?.kernel;
  const pageSize = stored.p ?? base?.pageSizeBytes;
  if (host === undefined || kernel === undefined || typeof pageSize !== 'number') {
    throw new Error('frame record lacks host, kernel or page size');
  }
  // Content with a valid checksum can still be wrong (a crafted file): what analysis relies on is checked here.
  if (!isIdentity(host) || !isIdentity(kernel)) throw new Error('host or kernel is not a short string');
  if (!isPageSize(pageSize)) throw new Error(`page size ${String(pageSize)} is not one Linux uses`);
  const files: RawFrame['files'] = {};
  for (const [name, file] of Object.entries(stored.f) as [ProcFileName, StoredFile][]) {
    if (!(PROC_FILES as readonly string[]).includes(name))
      throw new Error(`unknown file ${name.slice(0, 40)}`);
    files[name] = loadFile(file, timeMs, base?.files[name], name);
  }
  const pageblocks = stored.b !== undefined ? pageblocksFromRecording(stored.b) : base?.pageblocks;
  const events = stored.e !== undefined ? eventsFromRecording(stored.e) : base?.events;
  return {
    timeMs,
    host,
    kernel,
    pageSizeBytes: pageSize,
    files,
    kmsg: logLinesOf(stored),
    ...(pageblocks ? { pageblocks } : {}),
    ...(events ? { events } : {}),
  };
}
