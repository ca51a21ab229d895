// Tests the recording format: codec, writer and reader, including damaged files and a killed writer.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PROC_FILES, PROC_PATHS, type FileRead, type RawFrame } from '../../src/model/raw-frame.js';
import {
  RECORD_HEADER_BYTES,
  applyLineOps,
  crc32,
  decodeFramePayload,
  decodeRecordHead,
  diffLines,
  encodeFrameRecord,
  encodePreamble,
} from '../../src/sources/recording-codec.js';
import { openRecording, type Recording } from '../../src/sources/recording-reader.js';
import { openRecordingWriter, type RecordingHeaderInput } from '../../src/sources/recording-writer.js';
import { START_TIME_MS, loadSampleTexts, makeFrames, makeSmallFrames } from './recording-frames.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const samplesDir = join(repoRoot, 'fixtures/samples');
const workDir = mkdtempSync(join(tmpdir(), 'fragtop-recording-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCounter = 0;
const freshPath = (): string => join(workDir, `rec-${fileCounter++}.frag`);

const HEADER: RecordingHeaderInput = {
  host: 'node-7',
  kernel: '6.18.44-fc-v595',
  pageSize: 4096,
  intervalMs: 1000,
  startTimeMs: START_TIME_MS,
};

/** Writes frames and returns the file plus the byte offset where each frame record ends. */
async function record(
  frames: RawFrame[],
  keyframeEvery?: number,
): Promise<{ path: string; headerEnd: number; frameEnds: number[] }> {
  const path = freshPath();
  const writer = await openRecordingWriter(
    path,
    HEADER,
    keyframeEvery === undefined ? {} : { keyframeEvery },
  );
  const headerEnd = writer.stats().bytes;
  const frameEnds: number[] = [];
  for (const frame of frames) {
    await writer.append(frame);
    frameEnds.push(writer.stats().bytes);
  }
  await writer.close();
  return { path, headerEnd, frameEnds };
}

function allFrames(recording: Recording): RawFrame[] {
  return Array.from({ length: recording.frameCount }, (_, i) => recording.frameAt(i));
}

async function withRecording<T>(path: string, use: (recording: Recording) => T): Promise<T> {
  const recording = await openRecording(path);
  try {
    return use(recording);
  } finally {
    recording.close();
  }
}

describe('recording codec', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('starts a file with a readable preamble line', () => {
    expect(encodePreamble().toString('ascii')).toBe('fragtop-recording 1\n');
  });

  it('encodes a changed number as a shift of the previous line', () => {
    // line 0 copied, line 1 "b 2" -> "b 5" is +3, line 2 copied.
    expect(diffLines('a 1\nb 2\nc', 'a 1\nb 5\nc')).toEqual([1, [3], 1]);
    // two numbers in one line, one going down.
    expect(diffLines('x 10 20', 'x 7 20')).toEqual([[-3, 0]]);
  });

  it('encodes inserted and removed lines', () => {
    expect(diffLines('x\ny\nz', 'x\nnew\ny\nz')).toEqual([1, 'new', 2]);
    expect(diffLines('x\ny\nz', 'x\nz')).toEqual([1, -1, 1]);
    // Previous lines left after the last operation are dropped.
    expect(diffLines('a\nb', '')).toEqual(['']);
  });

  it('stores lines whose numbers would not round-trip as text', () => {
    // A leading zero or a number past 2^53 is replaced, not shifted.
    expect(diffLines('v 007', 'v 008')).toEqual([-1, 'v 008']);
    expect(diffLines('n 12345678901234567', 'n 12345678901234568')).toEqual([-1, 'n 12345678901234568']);
  });

  it('rebuilds any text from any previous text', () => {
    const line = fc.constantFrom(
      'a 1',
      'a 2',
      'b 10 20',
      '007',
      '',
      'x',
      ' 99 ',
      'n 123456789012345678',
      'c 0',
    );
    const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, text, (previous, next) => {
        expect(applyLineOps(previous, diffLines(previous, next))).toBe(next);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (previous, next) => {
        expect(applyLineOps(previous, diffLines(previous, next))).toBe(next);
      }),
    );
  });

  it('round-trips arbitrary frames as keyframes and as deltas', () => {
    // JSON has no negative zero; the format stores -0 read times as 0 (documented). Times are what a Date holds
    // and read durations are not negative: the reader refuses anything else as damage.
    const time = fc.double({ noNaN: true, min: -8.64e15, max: 8.64e15 }).map((ms) => (ms === 0 ? 0 : ms));
    const duration = fc.double({ noNaN: true, min: 0, max: 1e9 }).map((ms) => (ms === 0 ? 0 : ms));
    const fileRead: fc.Arbitrary<FileRead> = fc.oneof(
      fc.record(
        {
          ok: fc.constant(true as const),
          text: fc.string({ unit: 'binary' }),
          readMs: duration,
          readAtMs: time,
        },
        { noNullPrototype: true },
      ),
      fc.record(
        {
          ok: fc.constant(false as const),
          reason: fc.constantFrom('missing' as const, 'permission' as const, 'error' as const),
          message: fc.string(),
        },
        { noNullPrototype: true },
      ),
    );
    const frame: fc.Arbitrary<RawFrame> = fc.record(
      {
        timeMs: time,
        host: fc.option(fc.string(), { nil: null }),
        kernel: fc.option(fc.string(), { nil: null }),
        pageSizeBytes: fc.constantFrom(4096, 16384, 65536),
        files: fc.record(
          { buddyinfo: fileRead, slabinfo: fileRead, vmstat: fileRead },
          { requiredKeys: [], noNullPrototype: true },
        ),
        kmsg: fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }),
      },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(frame, frame, (first, second) => {
        for (const [current, previous] of [
          [first, null],
          [second, first],
        ] as const) {
          const bytes = encodeFrameRecord(current, previous);
          const head = decodeRecordHead(bytes);
          expect(head?.kind).toBe(previous === null ? 'keyframe' : 'delta');
          if (head === null || head.kind === 'header') return;
          expect(head.timeMs).toBe(current.timeMs);
          const decoded = decodeFramePayload(
            head.kind,
            head.timeMs,
            bytes.subarray(RECORD_HEADER_BYTES),
            previous,
          );
          expect(decoded).toStrictEqual(current);
        }
      }),
    );
  });
});

describe('recording round trip', () => {
  const frames = makeFrames(loadSampleTexts(samplesDir), 150);

  it('reads back every frame exactly, text byte for byte', async () => {
    const { path } = await record(frames);
    await withRecording(path, (recording) => {
      expect(recording.warnings).toEqual([]);
      expect(recording.header).toEqual({ format: 'fragtop-recording', version: 1, ...HEADER });
      expect(recording.frameCount).toBe(150);
      const read = allFrames(recording);
      expect(read).toStrictEqual(frames);
      for (let i = 0; i < frames.length; i++) {
        for (const name of PROC_FILES) {
          const original = frames[i]?.files[name];
          const back = read[i]?.files[name];
          if (original?.ok === true && back?.ok === true) {
            expect(Buffer.from(back.text).equals(Buffer.from(original.text))).toBe(true);
          }
        }
      }
    });
  });

  it('stores the sample frames in well under 2 KB each', async () => {
    const { frameEnds, headerEnd } = await record(frames);
    const bytesPerFrame = ((frameEnds.at(-1) ?? 0) - headerEnd) / frames.length;
    // Every frame here changes about 3% of all numbers, more than a real second does.
    expect(bytesPerFrame).toBeLessThan(2048);
  });

  it('seeks to any frame in any order', async () => {
    const { path } = await record(frames, 10);
    const order = fc.sample(fc.nat({ max: frames.length - 1 }), { numRuns: 60, seed: 42 });
    await withRecording(path, (recording) => {
      for (const i of [...order, 149, 0, 59, 60, 61, 60, 149]) {
        expect(recording.frameAt(i)).toStrictEqual(frames[i]);
      }
    });
  });

  it('keeps its own copy, so a caller mutating a frame does not change the next one', async () => {
    const { path } = await record(frames.slice(0, 3));
    await withRecording(path, (recording) => {
      const first = recording.frameAt(0);
      first.files.buddyinfo = { ok: true, text: 'changed', readMs: 0, readAtMs: 0 };
      first.host = 'other';
      expect(recording.frameAt(1)).toStrictEqual(frames[1]);
    });
  });

  it('knows every frame time and finds the frame at or before a time', async () => {
    const { path } = await record(frames.slice(0, 5));
    await withRecording(path, (recording) => {
      // frames are 1000 ms apart starting at START_TIME_MS + 0.25
      expect(recording.timeOf(0)).toBe(START_TIME_MS + 0.25);
      expect(recording.timeOf(4)).toBe(START_TIME_MS + 4000.25);
      expect(recording.indexAtOrBefore(START_TIME_MS)).toBe(-1);
      expect(recording.indexAtOrBefore(START_TIME_MS + 0.25)).toBe(0);
      expect(recording.indexAtOrBefore(START_TIME_MS + 2999)).toBe(2);
      expect(recording.indexAtOrBefore(START_TIME_MS + 3000.25)).toBe(3);
      expect(recording.indexAtOrBefore(START_TIME_MS + 1e9)).toBe(4);
      expect(() => recording.frameAt(5)).toThrow(RangeError);
      expect(() => recording.timeOf(-1)).toThrow(RangeError);
    });
  });

  it('round-trips frames read from this machine /proc', async () => {
    const readable = PROC_FILES.filter((name) => existsSync(`/proc/${PROC_PATHS[name]}`));
    const live: RawFrame[] = [];
    for (let i = 0; i < 5; i++) {
      const files: RawFrame['files'] = {};
      for (const name of readable) {
        const started = performance.now();
        try {
          const text = readFileSync(`/proc/${PROC_PATHS[name]}`, 'utf8');
          files[name] = { ok: true, text, readMs: performance.now() - started, readAtMs: Date.now() };
        } catch (error) {
          files[name] = { ok: false, reason: 'error', message: (error as Error).message };
        }
      }
      live.push({ timeMs: Date.now(), host: 'live', kernel: null, pageSizeBytes: 4096, files, kmsg: [] });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { path } = await record(live);
    await withRecording(path, (recording) => expect(allFrames(recording)).toStrictEqual(live));
  });
});

describe('recording writer', () => {
  it('never overwrites an existing file', async () => {
    const { path } = await record([]);
    await expect(openRecordingWriter(path, HEADER)).rejects.toThrow(`${path} already exists`);
  });

  it('counts frames and bytes, and refuses frames after close', async () => {
    const path = freshPath();
    const writer = await openRecordingWriter(path, HEADER);
    for (const frame of makeSmallFrames(3)) await writer.append(frame);
    await writer.close();
    expect(writer.stats()).toEqual({ frames: 3, bytes: readFileSync(path).length });
    await expect(writer.append(makeSmallFrames(1)[0] as RawFrame)).rejects.toThrow('is closed');
  });
});

describe('damaged and foreign files', () => {
  const small = makeSmallFrames(7);

  it('yields the frames before the end at every truncation point', async () => {
    const { path, headerEnd, frameEnds } = await record(small, 3);
    const bytes = readFileSync(path);
    const cut = freshPath();
    for (let size = 0; size <= bytes.length; size++) {
      writeFileSync(cut, bytes.subarray(0, size));
      if (size < headerEnd) {
        await expect(openRecording(cut), `cut at ${size}`).rejects.toThrow('recording is empty');
        continue;
      }
      const whole = frameEnds.filter((end) => end <= size).length;
      await withRecording(cut, (recording) => {
        expect(recording.frameCount, `cut at ${size}`).toBe(whole);
        expect(allFrames(recording)).toStrictEqual(small.slice(0, whole));
        const tornAt = whole === 0 ? headerEnd : frameEnds[whole - 1];
        if (frameEnds.includes(size)) expect(recording.warnings).toEqual([]);
        else if (size === headerEnd)
          expect(recording.warnings).toEqual([`${cut}: recording is empty (no frames)`]);
        else
          expect(recording.warnings).toEqual([
            expect.stringContaining(`ends inside a frame at byte ${tornAt}`),
          ]);
      });
    }
  });

  it('yields the frames before a damaged byte, wherever it is, with its record offset', async () => {
    const { path, headerEnd, frameEnds } = await record(small, 3);
    const bytes = readFileSync(path);
    const damaged = freshPath();
    for (let at = headerEnd; at < bytes.length; at++) {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 0xff;
      writeFileSync(damaged, copy);
      const before = frameEnds.filter((end) => end <= at).length;
      const recordStart = before === 0 ? headerEnd : frameEnds[before - 1];
      await withRecording(damaged, (recording) => {
        expect(recording.frameCount, `byte ${at}`).toBe(before);
        expect(allFrames(recording)).toStrictEqual(small.slice(0, before));
        expect(recording.warnings).toEqual([expect.stringMatching(new RegExp(`at byte ${recordStart}\\b`))]);
      });
    }
  });

  it('reports a checksum mismatch in the middle of a realistic recording', async () => {
    const frames = makeFrames(loadSampleTexts(samplesDir), 20);
    const { path, frameEnds } = await record(frames);
    const bytes = readFileSync(path);
    const recordStart = frameEnds[9] ?? 0; // record of frame 10
    const target = recordStart + RECORD_HEADER_BYTES + 3;
    bytes.writeUInt8(bytes.readUInt8(target) ^ 0x01, target);
    writeFileSync(path, bytes);
    await withRecording(path, (recording) => {
      expect(recording.frameCount).toBe(10);
      expect(allFrames(recording)).toStrictEqual(frames.slice(0, 10));
      expect(recording.warnings).toEqual([
        `${path}: recording is damaged at byte ${recordStart} (checksum mismatch); ` +
          `the 10 frames before it are readable, the last ${bytes.length - recordStart} bytes are skipped`,
      ]);
    });
  });

  it('rejects files of other formats', async () => {
    const cases = [
      'hello world\n',
      '{"frames": []}\n',
      'fragtop-recording one\n',
      'fragtop-recording 0\n',
      'x'.repeat(100),
    ];
    for (const content of cases) {
      const path = freshPath();
      writeFileSync(path, content);
      await expect(openRecording(path), content).rejects.toThrow(`${path} is not a fragtop recording`);
    }
    const gzip = freshPath();
    writeFileSync(gzip, zlib.gzipSync('fragtop-recording 1\n'));
    await expect(openRecording(gzip)).rejects.toThrow('is not a fragtop recording');
  });

  it('names both versions for a newer recording', async () => {
    const path = freshPath();
    writeFileSync(path, 'fragtop-recording 2\nwhatever comes in version 2');
    await expect(openRecording(path)).rejects.toThrow(
      `${path} is a fragtop recording of format version 2; this fragtop reads version 1 only`,
    );
  });

  it('says an empty file is empty', async () => {
    const path = freshPath();
    writeFileSync(path, '');
    await expect(openRecording(path)).rejects.toThrow(`${path}: recording is empty`);
  });

  it('says a missing file is missing', async () => {
    const path = join(workDir, 'nope.frag');
    await expect(openRecording(path)).rejects.toThrow(`cannot open recording ${path}: no such file`);
  });
});

describe('a writer killed with SIGKILL', () => {
  it('leaves a file that opens with every frame whose append had returned', async () => {
    // The child runs the real writer, bundled from its TypeScript source.
    const childPath = join(workDir, 'child.mjs');
    const writerSource = join(repoRoot, 'src/sources/recording-writer.ts');
    const framesSource = join(repoRoot, 'test/sources/recording-frames.ts');
    await build({
      stdin: {
        contents: `
          import { openRecordingWriter } from ${JSON.stringify(writerSource)};
          import { loadSampleTexts, makeFrames } from ${JSON.stringify(framesSource)};
          const frames = makeFrames(loadSampleTexts(${JSON.stringify(samplesDir)}), 100);
          const writer = await openRecordingWriter(process.argv[2], JSON.parse(process.argv[3]), { keyframeEvery: 10 });
          for (let i = 0; ; i++) {
            await writer.append({ ...frames[i % 100], timeMs: frames[0].timeMs + i * 1000 });
            process.stdout.write(i + 1 + '\\n');
            if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        `,
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: childPath,
      logLevel: 'silent',
    });
    const path = freshPath();
    const child = spawn(process.execPath, [childPath, path, JSON.stringify(HEADER)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let appended = 0;
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      child.on('error', reject);
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`exit ${code}`)),
      );
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        const last = Number(lines.at(-1));
        if (Number.isFinite(last)) appended = Math.max(appended, last);
        if (appended >= 150 && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(appended).toBeGreaterThanOrEqual(150);
    const expected = makeFrames(loadSampleTexts(samplesDir), 100);
    await withRecording(path, (recording) => {
      expect(recording.frameCount).toBeGreaterThanOrEqual(appended);
      // A record cut short by the kill is reported, never fatal.
      expect(recording.warnings.every((w) => w.includes('ends inside a frame'))).toBe(true);
      for (let i = 0; i < recording.frameCount; i++) {
        const original = expected[i % 100] as RawFrame;
        expect(recording.frameAt(i)).toStrictEqual({
          ...original,
          timeMs: (expected[0]?.timeMs ?? 0) + i * 1000,
        });
      }
    });
  });
});
