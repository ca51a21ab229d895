// Tests the recording reader against crafted files: deflate bombs, valid checksums over wrong types, times that
// go backwards, truncation, and 10,000 generated mutations, none of which may make it throw.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { PROC_FILES, type RawFrame } from '../../src/model/raw-frame.js';
import {
  RECORD_HEADER_BYTES,
  crc32,
  encodeFrameRecord,
  encodeHeaderRecord,
  encodePreamble,
  isPageSize,
} from '../../src/sources/recording-codec.js';
import { openRecording, type Recording } from '../../src/sources/recording-reader.js';
import { START_TIME_MS, makeSmallFrames } from './recording-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'fragtop-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(dir, `r-${counter++}.ftr`);

const KINDS = { header: 0x48, keyframe: 0x4b, delta: 0x44 } as const;

/** A record with a valid checksum around any payload: what a crafted file looks like to the reader. */
function record(kind: keyof typeof KINDS, timeMs: number, payload: Buffer): Buffer {
  const bytes = Buffer.alloc(RECORD_HEADER_BYTES + payload.length);
  bytes.writeUInt32LE(payload.length, 4);
  bytes.writeUInt8(KINDS[kind], 8);
  bytes.writeDoubleLE(timeMs, 9);
  payload.copy(bytes, RECORD_HEADER_BYTES);
  bytes.writeUInt32LE(crc32(bytes.subarray(4)), 0);
  return bytes;
}

const HEADER_FIELDS = {
  format: 'fragtop-recording',
  version: 1,
  host: 'h',
  kernel: '6.1',
  pageSize: 4096,
  intervalMs: 500,
  startTimeMs: START_TIME_MS,
  logMarks: true,
};
const headerRecord = (fields: Record<string, unknown> = {}): Buffer =>
  record('header', START_TIME_MS, Buffer.from(JSON.stringify({ ...HEADER_FIELDS, ...fields })));
const frameJson = (value: unknown): Buffer => zlib.deflateRawSync(Buffer.from(JSON.stringify(value)));
const GOOD_FRAME = {
  h: 'h',
  k: '6.1',
  p: 4096,
  f: { buddyinfo: { t: 'Node 0, zone   Normal 1 2 3\n', r: 0.5, a: 0 } },
};

function file(...parts: Buffer[]): string {
  const path = fresh();
  writeFileSync(path, Buffer.concat([encodePreamble(), ...parts]));
  return path;
}

/** A deflate stream of `mib` MiB of zeros in about mib KiB: one compressed MiB, repeated, then a final block. */
function deflateBomb(mib: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
}
const BOMB = deflateBomb(1024);

/** What analysis and the screen rely on in every frame the reader hands out. */
function expectWellTyped(frame: RawFrame): void {
  expect(frame.host === null || typeof frame.host === 'string').toBe(true);
  expect(frame.kernel === null || typeof frame.kernel === 'string').toBe(true);
  expect(isPageSize(frame.pageSizeBytes)).toBe(true);
  expect(Number.isFinite(new Date(frame.timeMs).getTime())).toBe(true);
  for (const [name, read] of Object.entries(frame.files)) {
    expect(PROC_FILES).toContain(name);
    if (read.ok) {
      expect(typeof read.text).toBe('string');
      expect(Number.isFinite(new Date(read.readAtMs).getTime())).toBe(true);
    } else expect(typeof read.message).toBe('string');
  }
  expect(frame.kmsg.every((line) => typeof line === 'string')).toBe(true);
}

async function withRecording(path: string, use: (recording: Recording) => void): Promise<void> {
  const recording = await openRecording(path);
  try {
    use(recording);
  } finally {
    recording.close();
  }
}

describe('a deflate bomb', () => {
  it('a 1 MB record inflating to 1 GiB is reported as damage, not inflated', async () => {
    expect(BOMB.length).toBeLessThan(1_100_000);
    const path = file(
      headerRecord(),
      record('keyframe', START_TIME_MS, frameJson(GOOD_FRAME)),
      record('keyframe', START_TIME_MS + 500, BOMB),
    );
    await withRecording(path, (recording) => {
      expect(recording.frameCount).toBe(2);
      expect(recording.frameAt(0).files.buddyinfo?.ok).toBe(true);
      const bomb = recording.frameAt(1);
      expectWellTyped(bomb);
      expect(bomb.files.buddyinfo).toMatchObject({
        ok: false,
        message: expect.stringMatching(
          /frame 2 at byte \d+ cannot be decoded \(it inflates past 64 MiB, more than any real frame\)/,
        ),
      });
      expect(recording.warnings.join('\n')).toMatch(/frame 2 at byte \d+ cannot be decoded/);
    });
  });
});

describe('valid checksums over wrong content', () => {
  it.each([
    [
      'a kernel that is a number ("release.trim is not a function")',
      { ...GOOD_FRAME, k: 5 },
      /host or kernel/,
    ],
    ['a page size of 0', { ...GOOD_FRAME, p: 0 }, /page size 0 is not one Linux uses/],
    ['a negative page size', { ...GOOD_FRAME, p: -4096 }, /page size -4096/],
    [
      'a text that is an object',
      { ...GOOD_FRAME, f: { buddyinfo: { t: { x: 1 }, r: 1, a: 0 } } },
      /text is not a string/,
    ],
    [
      'a read time no Date holds',
      { ...GOOD_FRAME, f: { buddyinfo: { t: '', r: 1, A: 1e300 } } },
      /no read times/,
    ],
    ['an unknown file', { ...GOOD_FRAME, f: { '../../etc/passwd': { t: '' } } }, /unknown file/],
    ['files that are an array', { ...GOOD_FRAME, f: [] }, /no files/],
  ])('%s: the frame is reported as damaged, with the reason', async (_, content, why) => {
    const path = file(headerRecord(), record('keyframe', START_TIME_MS, frameJson(content)));
    await withRecording(path, (recording) => {
      const frame = recording.frameAt(0);
      expectWellTyped(frame);
      expect(frame.files.buddyinfo).toMatchObject({ ok: false, message: expect.stringMatching(why) });
      expect(() => buildSnapshot(frame)).not.toThrow();
    });
  });

  it.each([
    ['a page size of 0', { pageSize: 0 }, /page size 0 is not one Linux uses/],
    ['a kernel that is a number', { kernel: 5 }, /lacks a required field/],
    ['a start time no Date holds ("Invalid time value")', { startTimeMs: 1e300 }, /start time/],
    ['a zero interval', { intervalMs: 0 }, /interval 0 ms/],
  ])('a header with %s is refused at open, saying so', async (_, fields, why) => {
    const path = file(headerRecord(fields), record('keyframe', START_TIME_MS, frameJson(GOOD_FRAME)));
    await expect(openRecording(path)).rejects.toThrow(why);
  });

  it('a frame time no Date holds ends the readable part there', async () => {
    const path = file(
      headerRecord(),
      record('keyframe', START_TIME_MS, frameJson(GOOD_FRAME)),
      record('keyframe', 1e300, frameJson(GOOD_FRAME)),
    );
    await withRecording(path, (recording) => {
      expect(recording.frameCount).toBe(1);
      expect(recording.warnings[0]).toMatch(
        /damaged at byte \d+ \(not a record\); the 1 frames before it are readable/,
      );
    });
  });

  it('times going backwards are reported, and seeking by time stays in capture order', async () => {
    const times = [START_TIME_MS + 3000, START_TIME_MS + 1000, START_TIME_MS + 2000, START_TIME_MS + 4000];
    const path = file(headerRecord(), ...times.map((t) => record('keyframe', t, frameJson(GOOD_FRAME))));
    await withRecording(path, (recording) => {
      expect(recording.warnings).toEqual([expect.stringMatching(/capture times go backwards at frame 2/)]);
      // Each frame is found at its own (latest-so-far) time, and never a later frame for an earlier time.
      expect(recording.indexAtOrBefore(START_TIME_MS + 3000)).toBe(2);
      expect(recording.indexAtOrBefore(START_TIME_MS + 3999)).toBe(2);
      expect(recording.indexAtOrBefore(START_TIME_MS + 4000)).toBe(3);
      expect(recording.indexAtOrBefore(START_TIME_MS + 2500)).toBe(-1);
    });
  });
});

describe('generated mutations (property)', () => {
  // A small real recording: header, a keyframe and two deltas, one carrying kernel-log lines.
  const frames = makeSmallFrames(4);
  const records: Buffer[] = [];
  frames.forEach((frame, i) => records.push(encodeFrameRecord(frame, i === 0 ? null : frames[i - 1]!)));
  const header = encodeHeaderRecord({
    host: 'h',
    kernel: '6.1',
    pageSize: 4096,
    intervalMs: 500,
    startTimeMs: START_TIME_MS,
  });
  const storedOf = (i: number): Record<string, unknown> => {
    const payload = records[i]!.subarray(RECORD_HEADER_BYTES);
    const deflated = payload[0] === 0 && payload[3] === 0xff ? payload.subarray(5) : payload;
    return JSON.parse(zlib.inflateRawSync(deflated).toString('utf8'));
  };
  const kindOf = (i: number) => (i === 0 ? 'keyframe' : 'delta') as 'keyframe' | 'delta';
  const timeOf = (i: number) => frames[i]!.timeMs;

  const json = fc.jsonValue({ maxDepth: 3 });
  const anyValue = fc.oneof(json, fc.double(), fc.constant(undefined));
  const frameIndex = fc.integer({ min: 0, max: records.length - 1 });
  /** One mutation of the recording's records (as buffers), or of the file's bytes. */
  type Parts = { header: Buffer; records: Buffer[] };
  type Mutation = (parts: Parts) => void;
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    // A field of a stored frame replaced by anything JSON can hold, checksum recomputed.
    fc
      .record({ i: frameIndex, key: fc.constantFrom('h', 'k', 'p', 'f', 'l'), value: anyValue })
      .map(({ i, key, value }) => (parts: Parts) => {
        const stored = storedOf(i);
        stored[key] = value;
        parts.records[i] = record(kindOf(i), timeOf(i), frameJson(stored));
      }),
    // A field of one stored file replaced.
    fc
      .record({
        i: frameIndex,
        file: fc.constantFrom('buddyinfo', 'slabinfo'),
        key: fc.constantFrom('t', 'd', 'r', 'a', 'A', 'x', 'm'),
        value: anyValue,
      })
      .map(({ i, file: name, key, value }) => (parts: Parts) => {
        const stored = storedOf(i) as { f: Record<string, Record<string, unknown>> };
        stored.f[name] = { ...(stored.f[name] ?? {}), [key]: value };
        parts.records[i] = record(kindOf(i), timeOf(i), frameJson(stored));
      }),
    // The whole frame replaced by any JSON value.
    fc.record({ i: frameIndex, value: json }).map(({ i, value }) => (parts: Parts) => {
      parts.records[i] = record(kindOf(i), timeOf(i), frameJson(value));
    }),
    // A payload that is not deflate at all, or a bomb (rarely: each costs an inflate up to the cap).
    fc
      .record({ i: frameIndex, bytes: fc.uint8Array({ maxLength: 64 }) })
      .map(({ i, bytes }) => (parts: Parts) => {
        parts.records[i] = record(kindOf(i), timeOf(i), Buffer.from(bytes));
      }),
    fc
      .record({ i: frameIndex, bomb: fc.integer({ min: 0, max: 199 }) })
      .map(({ i, bomb }) => (parts: Parts) => {
        if (bomb === 0) parts.records[i] = record(kindOf(i), timeOf(i), BOMB);
      }),
    // Any record time, kind swaps, header fields.
    fc.record({ i: frameIndex, time: fc.double() }).map(({ i, time }) => (parts: Parts) => {
      parts.records[i] = record(kindOf(i), time, records[i]!.subarray(RECORD_HEADER_BYTES));
    }),
    fc
      .record({
        i: frameIndex,
        kind: fc.constantFrom('header', 'keyframe', 'delta') as fc.Arbitrary<keyof typeof KINDS>,
      })
      .map(({ i, kind }) => (parts: Parts) => {
        parts.records[i] = record(kind, timeOf(i), records[i]!.subarray(RECORD_HEADER_BYTES));
      }),
    fc
      .record({
        key: fc.constantFrom(
          'host',
          'kernel',
          'pageSize',
          'intervalMs',
          'startTimeMs',
          'version',
          'logMarks',
        ),
        value: anyValue,
      })
      .map(({ key, value }) => (parts: Parts) => {
        parts.header = headerRecord({ [key]: value });
      }),
    // A frame's lines of text long and strange (a 5 MB kernel is not needed to show a string length check).
    fc
      .record({ i: frameIndex, text: fc.string({ unit: 'binary', maxLength: 2000 }) })
      .map(({ i, text }) => (parts: Parts) => {
        const stored = storedOf(i);
        stored.k = text;
        parts.records[i] = record(kindOf(i), timeOf(i), frameJson(stored));
      }),
  );
  /** Byte-level damage after the record mutations: truncation or flipped bytes (checksums then fail). */
  const damage = fc.oneof(
    fc.constant((bytes: Buffer) => bytes),
    fc.nat().map((n) => (bytes: Buffer) => bytes.subarray(0, n % (bytes.length + 1))),
    fc
      .record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) })
      .map(({ at, value }) => (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        copy[at % copy.length] = value;
        return copy;
      }),
  );

  it('10,000 mutated recordings: open either explains or gives well-typed frames; nothing throws', async () => {
    const path = join(dir, 'property.ftr');
    let opened = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        damage,
        async (mutations, spoil) => {
          const parts = { header, records: [...records] };
          for (const mutate of mutations) mutate(parts);
          writeFileSync(path, spoil(Buffer.concat([encodePreamble(), parts.header, ...parts.records])));
          let recording: Recording;
          try {
            recording = await openRecording(path);
          } catch (error) {
            // Refusing is allowed, with a message naming the file; a TypeError or RangeError is a bug.
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).constructor).toBe(Error);
            expect((error as Error).message).toContain(path);
            refused++;
            return;
          }
          opened++;
          try {
            expect(recording.header.host === null || typeof recording.header.host === 'string').toBe(true);
            expect(isPageSize(recording.header.pageSize)).toBe(true);
            for (let i = 0; i < recording.frameCount; i++) {
              const frame = recording.frameAt(i);
              expectWellTyped(frame);
              buildSnapshot(frame);
              expect(recording.indexAtOrBefore(recording.timeOf(i))).toBeGreaterThanOrEqual(i);
            }
            if (recording.frameCount > 0) {
              const lines = recording.logLinesUpTo(recording.frameCount - 1);
              expect(lines.every((line) => typeof line === 'string')).toBe(true);
            }
            expect(recording.warnings.every((line) => typeof line === 'string')).toBe(true);
          } finally {
            recording.close();
          }
        },
      ),
      { numRuns: 10_000 },
    );
    // Both outcomes were exercised.
    expect(opened).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(100);
    expect(readFileSync(path).length).toBeGreaterThan(0);
  }, 300_000);
});
