// Tests Recording.logLinesUpTo: the kernel-log lines of frames 0..i, found from marks at open, and files without marks.
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawFrame } from '../../src/model/raw-frame.js';
import {
  LOG_MARK,
  RECORD_HEADER_BYTES,
  crc32,
  decodeFramePayload,
  decodePreamble,
  decodeRecordHead,
  encodeFrameRecord,
} from '../../src/sources/recording-codec.js';
import { openRecording } from '../../src/sources/recording-reader.js';
import { openRecordingWriter } from '../../src/sources/recording-writer.js';
import { START_TIME_MS, loadSampleTexts, makeFrames } from './recording-frames.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const samplesDir = join(repoRoot, 'fixtures/samples');
const workDir = mkdtempSync(join(tmpdir(), 'fragtop-log-lines-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let counter = 0;
async function write(frames: RawFrame[], keyframeEvery = 10): Promise<string> {
  const path = join(workDir, `rec-${counter++}.ftr`);
  const writer = await openRecordingWriter(
    path,
    {
      host: 'node-7',
      kernel: '6.18.44-fc-v595',
      pageSize: 4096,
      intervalMs: 1000,
      startTimeMs: START_TIME_MS,
    },
    { keyframeEvery },
  );
  for (const frame of frames) await writer.append(frame);
  await writer.close();
  return path;
}

interface RawRecord {
  at: number;
  kindByte: number;
  timeMs: number;
  payload: Buffer;
}

/** Splits a recording into its preamble and records (fixed part as documented in docs/recording-format.md). */
function splitRecords(bytes: Buffer): { preamble: Buffer; records: RawRecord[] } {
  const preamble = decodePreamble(bytes);
  if (preamble.kind !== 'ok') throw new Error('not a recording');
  const records: RawRecord[] = [];
  for (let at = preamble.bytes; at < bytes.length;) {
    const head = decodeRecordHead(bytes, at);
    if (head === null) throw new Error(`no record at ${at}`);
    const start = at + RECORD_HEADER_BYTES;
    records.push({
      at,
      kindByte: bytes.readUInt8(at + 8),
      timeMs: head.timeMs,
      payload: bytes.subarray(start, start + head.payloadBytes),
    });
    at = start + head.payloadBytes;
  }
  return { preamble: bytes.subarray(0, preamble.bytes), records };
}

function joinRecord(record: RawRecord): Buffer {
  const out = Buffer.alloc(RECORD_HEADER_BYTES + record.payload.length);
  out.writeUInt32LE(record.payload.length, 4);
  out.writeUInt8(record.kindByte, 8);
  out.writeDoubleLE(record.timeMs, 9);
  record.payload.copy(out, RECORD_HEADER_BYTES);
  out.writeUInt32LE(crc32(out.subarray(4)), 0);
  return out;
}

/** The same recording as a writer without log marks made it: no `logMarks` header key, no marks. */
function withoutMarks(path: string): string {
  const { preamble, records } = splitRecords(readFileSync(path));
  const rebuilt = records.map((record) => {
    if (record.kindByte === 0x48) {
      const header = JSON.parse(record.payload.toString('utf8')) as Record<string, unknown>;
      delete header['logMarks'];
      return joinRecord({ ...record, payload: Buffer.from(JSON.stringify(header), 'utf8') });
    }
    const marked = record.payload.subarray(0, LOG_MARK.length).equals(LOG_MARK);
    return joinRecord({
      ...record,
      payload: marked ? record.payload.subarray(LOG_MARK.length) : record.payload,
    });
  });
  const out = `${path}.unmarked`;
  writeFileSync(out, Buffer.concat([preamble, ...rebuilt]));
  return out;
}

/** Overwrites a frame record's payload in place with bytes that do not inflate (same length, checked at open only). */
function spoilPayload(path: string, frame: number): void {
  const { records } = splitRecords(readFileSync(path));
  const record = records[frame + 1]; // records[0] is the header
  if (record === undefined) throw new Error(`no frame ${frame}`);
  const fd = openSync(path, 'r+');
  writeSync(
    fd,
    Buffer.alloc(record.payload.length, 0xff),
    0,
    record.payload.length,
    record.at + RECORD_HEADER_BYTES,
  );
  closeSync(fd);
}

const frames = makeFrames(loadSampleTexts(samplesDir), 30);
/** makeFrames gives kernel-log lines to frames 2, 7, 12, ... (i % 5 === 2). */
const framesWithLines = [2, 7, 12, 17, 22, 27];

function expectedUpTo(i: number): string[] {
  return frames.slice(0, i + 1).flatMap((frame) => frame.kmsg);
}

describe('log marks', () => {
  it('the test frames carry lines exactly where this test expects them', () => {
    expect(frames.flatMap((frame, i) => (frame.kmsg.length > 0 ? [i] : []))).toEqual(framesWithLines);
  });

  it('marks the records of frames with lines, and only those', async () => {
    const { records } = splitRecords(readFileSync(await write(frames)));
    const marked = records.slice(1).flatMap((r, i) => (r.payload.subarray(0, 5).equals(LOG_MARK) ? [i] : []));
    expect(marked).toEqual(framesWithLines);
    const header = JSON.parse(records[0]?.payload.toString('utf8') ?? '{}') as Record<string, unknown>;
    expect(header['logMarks']).toBe(true);
  });

  it('a marked payload inflates to the same JSON as without the mark (so version 1 readers read it)', () => {
    const frame = frames[2]!;
    const record = encodeFrameRecord(frame, null);
    const payload = record.subarray(RECORD_HEADER_BYTES);
    expect(payload.subarray(0, 5)).toEqual(LOG_MARK);
    const plain = zlib.inflateRawSync(payload.subarray(LOG_MARK.length)).toString('utf8');
    expect(zlib.inflateRawSync(payload).toString('utf8')).toBe(plain);
    expect(JSON.parse(plain).l).toEqual(frame.kmsg);
    expect(decodeFramePayload('keyframe', frame.timeMs, payload, null).kmsg).toEqual(frame.kmsg);
  });
});

describe('logLinesUpTo', () => {
  it('returns the lines of frames 0..i, oldest first, for every i', async () => {
    const recording = await openRecording(await write(frames));
    try {
      for (let i = 0; i < frames.length; i++) expect(recording.logLinesUpTo(i)).toEqual(expectedUpTo(i));
      // Seeking back gives the shorter list again.
      expect(recording.logLinesUpTo(3)).toEqual([...frames[2]!.kmsg]);
      expect(recording.logLinesUpTo(1)).toEqual([]);
    } finally {
      recording.close();
    }
  });

  it('decodes only the frames that carry lines', async () => {
    const path = await write(frames);
    const recording = await openRecording(path);
    try {
      // Frames 3-6 have no lines; spoiled after open, they can no longer be decoded, but are never needed.
      for (const frame of [3, 4, 5, 6]) spoilPayload(path, frame);
      // A frame that cannot be decoded is reported, not thrown: every file says why, and so do the warnings.
      const damaged = recording.frameAt(5);
      for (const read of Object.values(damaged.files))
        expect(read).toMatchObject({
          ok: false,
          message: expect.stringMatching(
            /frame 6 at byte \d+ cannot be decoded \(frame 5 before it is unreadable\)/,
          ),
        });
      expect(recording.warnings.join('\n')).toMatch(/frame 4 at byte \d+ cannot be decoded/);
      expect(recording.logLinesUpTo(29)).toEqual(expectedUpTo(29));
    } finally {
      recording.close();
    }
  });

  it('reads files written without marks, looking at each frame once', async () => {
    const path = withoutMarks(await write(frames));
    const recording = await openRecording(path);
    try {
      expect(recording.warnings).toEqual([]);
      expect(recording.frameAt(7).kmsg).toEqual(frames[7]!.kmsg);
      expect(recording.logLinesUpTo(12)).toEqual(expectedUpTo(12));
      expect(recording.logLinesUpTo(29)).toEqual(expectedUpTo(29));
      // Frames up to 29 have been looked at; spoiling one now changes nothing.
      spoilPayload(path, 4);
      expect(recording.logLinesUpTo(20)).toEqual(expectedUpTo(20));
    } finally {
      recording.close();
    }
  });

  it('without marks, frames past the ones asked for are not read yet', async () => {
    const path = withoutMarks(await write(frames));
    const recording = await openRecording(path);
    try {
      spoilPayload(path, 15);
      expect(recording.logLinesUpTo(14)).toEqual(expectedUpTo(14));
      // The spoiled frame's lines are missing, and the warnings say which frame.
      expect(recording.logLinesUpTo(15)).toEqual(expectedUpTo(14));
      expect(recording.warnings.join('\n')).toMatch(/frame 16 at byte \d+ cannot be decoded/);
    } finally {
      recording.close();
    }
  });

  it('refuses frames outside the recording', async () => {
    const recording = await openRecording(await write(frames.slice(0, 3)));
    try {
      expect(() => recording.logLinesUpTo(3)).toThrow(RangeError);
      expect(() => recording.logLinesUpTo(-1)).toThrow(RangeError);
      expect(recording.logLinesUpTo(2)).toEqual(frames[2]!.kmsg);
    } finally {
      recording.close();
    }
  });
});
