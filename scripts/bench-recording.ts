// Recording bench: bytes per frame against gzip of JSON lines, open and seek times of a one-day file, memory while replaying.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, accessSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { PROC_FILES, type ProcFileName, type RawFrame } from '../src/model/raw-frame.js';
import { ProcSource } from '../src/sources/proc-source.js';
import { openRecording } from '../src/sources/recording-reader.js';
import { openRecordingWriter } from '../src/sources/recording-writer.js';
import { fragmenterUnavailable, startFragmenter, type Fragmenter } from '../test/helpers/fragmenter.js';

const HOUR_FRAMES = 3600;
const DAY_FRAMES = 86_400;
/** How fast the "hour" is recorded; FRAGTOP_BENCH_RECORD_INTERVAL_MS overrides (the hour takes 3600 times this). */
const RECORD_INTERVAL_MS = Number(process.env['FRAGTOP_BENCH_RECORD_INTERVAL_MS'] ?? 100);
/** The fragmenter holds memory for this part of the hour, so the buddy lists change as they would in an incident. */
const FRAGMENTER_FRAMES = { start: 900, stop: 2400 };
const FRAGMENTER_MIB = 1024;
const MEMORY_SAMPLE_EVERY = 5000;

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

/** Counts the bytes gzip (level 6, as `gzip` itself) makes of the lines written to it. */
function gzipCounter(): { write(line: string): Promise<void>; end(): Promise<number> } {
  const gzip = createGzip({ level: 6 });
  let bytes = 0;
  gzip.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const ended = new Promise<number>((done) => gzip.on('end', () => done(bytes)));
  return {
    write: (line) =>
      new Promise((done) => {
        if (gzip.write(line)) done();
        else gzip.once('drain', () => done());
      }),
    end: () => {
      gzip.end();
      return ended;
    },
  };
}

function procReadable(): boolean {
  try {
    accessSync('/proc/buddyinfo', constants.R_OK);
    accessSync('/proc/zoneinfo', constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** A small linear congruential generator, so the synthesised frames are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Frames from the 6.18 captures in fixtures/samples, a few numbers nudged each frame, for machines without /proc. */
function sampleFrames(): () => RawFrame {
  const texts = {} as Record<ProcFileName, string>;
  for (const name of PROC_FILES)
    texts[name] = readFileSync(join('fixtures/samples', `${name}-6.18-x86-local-capture.txt`), 'utf8');
  const next = random(6);
  return () => {
    for (const name of PROC_FILES) {
      texts[name] = texts[name].replace(/\d+/g, (digits) =>
        next() < 0.98 ? digits : String(Math.max(0, Number(digits) + Math.floor(next() * 41) - 20)),
      );
    }
    const timeMs = Date.now();
    const files: RawFrame['files'] = {};
    for (const name of PROC_FILES)
      files[name] = { ok: true, text: texts[name], readMs: 0.1, readAtMs: timeMs };
    return { timeMs, host: 'sample', kernel: '6.18.44-fc-v595', pageSizeBytes: 4096, files, kmsg: [] };
  };
}

const sleep = (delayMs: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.max(0, delayMs)));

/** Records the hour: HOUR_FRAMES frames every RECORD_INTERVAL_MS, and the same frames as gzipped JSON lines. */
async function recordHour(path: string, log: (line: string) => void): Promise<void> {
  const live = procReadable();
  const source = live ? new ProcSource({ procRoot: '/proc' }) : null;
  const synthetic = live ? null : sampleFrames();
  const take = async (): Promise<RawFrame> => (source ? source.read() : (synthetic?.() as RawFrame));
  const noFragmenter = live ? fragmenterUnavailable() : 'not reading this machine';
  log(
    live
      ? `recording bench: ${HOUR_FRAMES} frames of this machine's /proc every ${RECORD_INTERVAL_MS} ms (no kernel log)` +
          (noFragmenter === null
            ? `, fragmenter holding ${FRAGMENTER_MIB} MiB from frame ${FRAGMENTER_FRAMES.start} to ${FRAGMENTER_FRAMES.stop}`
            : ` (no fragmenter: ${noFragmenter})`)
      : `recording bench: /proc is not readable; ${HOUR_FRAMES} frames synthesised from fixtures/samples/*-6.18-x86-local-capture.txt with 2% of numbers nudged each frame`,
  );
  const first = await take();
  const writer = await openRecordingWriter(path, {
    host: first.host,
    kernel: first.kernel,
    pageSize: first.pageSizeBytes,
    intervalMs: 1000,
    startTimeMs: first.timeMs,
  });
  const gzip = gzipCounter();
  let jsonBytes = 0;
  let fragmenter: Fragmenter | null = null;
  const startMs = Date.now();
  try {
    let frame = first;
    for (let i = 0; i < HOUR_FRAMES; i++) {
      if (i > 0) {
        if (live) await sleep(startMs + i * RECORD_INTERVAL_MS - Date.now());
        frame = await take();
      }
      await writer.append(frame);
      const line = `${JSON.stringify(frame)}\n`;
      jsonBytes += Buffer.byteLength(line);
      await gzip.write(line);
      if (noFragmenter === null && i === FRAGMENTER_FRAMES.start)
        fragmenter = await startFragmenter(FRAGMENTER_MIB);
      if (fragmenter !== null && i === FRAGMENTER_FRAMES.stop) {
        await fragmenter.stop();
        fragmenter = null;
      }
    }
  } finally {
    await fragmenter?.stop();
    await writer.close();
  }
  const gzipBytes = await gzip.end();
  const fileBytes = statSync(path).size;
  log(
    `  one hour at 1 Hz: recording ${mb(fileBytes)}, ${(fileBytes / HOUR_FRAMES).toFixed(0)} bytes a frame · ` +
      `JSON lines ${mb(jsonBytes)} (${(jsonBytes / HOUR_FRAMES).toFixed(0)} a frame), gzip -6 of them ${mb(gzipBytes)} ` +
      `(${(gzipBytes / HOUR_FRAMES).toFixed(0)} a frame): the recording is ${(gzipBytes / fileBytes).toFixed(1)}× smaller than gzip ` +
      `and ${(jsonBytes / fileBytes).toFixed(0)}× smaller than the JSON · took ${((Date.now() - startMs) / 1000).toFixed(0)} s`,
  );
}

/** Real kernel-log lines for the synthesised day: one allocation failure report an hour. */
function reportLines(): string[] {
  const path = 'fixtures/centos7-numa-k8s/dmesg.txt';
  return existsSync(path)
    ? readFileSync(path, 'utf8').replace(/\n$/, '').split('\n')
    : ['<4>[1.0] x: page allocation failure: order:6, mode:0x10c0d0'];
}

/** The day: the recorded hour 24 times over, each copy an hour later, with a failure report in frame 1800 of every hour. */
async function writeDay(hourPath: string, dayPath: string, log: (line: string) => void): Promise<void> {
  const hour = await openRecording(hourPath);
  const report = reportLines();
  const startedMs = performance.now();
  const writer = await openRecordingWriter(dayPath, { ...hour.header, intervalMs: 1000 });
  try {
    for (let copy = 0; copy < DAY_FRAMES / HOUR_FRAMES; copy++) {
      for (let i = 0; i < hour.frameCount; i++) {
        const frame = hour.frameAt(i);
        const shiftMs = copy * 3_600_000 + i * 1000 - (frame.timeMs - hour.header.startTimeMs);
        const files: RawFrame['files'] = {};
        for (const [name, read] of Object.entries(frame.files) as [
          ProcFileName,
          RawFrame['files'][ProcFileName],
        ][])
          files[name] = read?.ok ? { ...read, readAtMs: read.readAtMs + shiftMs } : read;
        await writer.append({
          ...frame,
          timeMs: frame.timeMs + shiftMs,
          files,
          kmsg: i === 1800 ? report : [],
        });
      }
    }
  } finally {
    await writer.close();
    hour.close();
  }
  const bytes = statSync(dayPath).size;
  log(
    `  one day synthesised (${DAY_FRAMES} frames: the hour 24 times, one failure report an hour): ${mb(bytes)}, ` +
      `${(bytes / DAY_FRAMES).toFixed(0)} bytes a frame, written in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`,
  );
}

async function openAndSeek(dayPath: string, log: (line: string) => void): Promise<void> {
  let t = performance.now();
  const recording = await openRecording(dayPath);
  const openMs = performance.now() - t;
  try {
    const seek = (i: number): string => {
      const started = performance.now();
      recording.frameAt(i);
      const frameMs = performance.now() - started;
      const lines = recording.logLinesUpTo(i).length;
      const totalMs = performance.now() - started;
      return `frameAt ${ms(frameMs)} + logLinesUpTo ${ms(totalMs - frameMs)} (${lines} lines)`;
    };
    // Both are the last frame before a keyframe: the most deltas a seek decodes (keyframes every 60 frames).
    const middle = seek(DAY_FRAMES / 2 - 1);
    const end = seek(DAY_FRAMES - 1);
    t = performance.now();
    recording.indexAtOrBefore(recording.timeOf(0) + 12.5 * 3_600_000);
    const byTimeMs = performance.now() - t;
    log(
      `  open ${ms(openMs)} · seek to the middle (frame ${DAY_FRAMES / 2 - 1}): ${middle} · to the end: ${end} · indexAtOrBefore ${ms(byTimeMs)}` +
        ` · warnings ${recording.warnings.length}`,
    );
  } finally {
    recording.close();
  }
}

async function replayMemory(dayPath: string, log: (line: string) => void): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const recording = await openRecording(dayPath);
  const samples: { frame: number; rssBytes: number; heapBytes: number }[] = [];
  const startedMs = performance.now();
  try {
    for (let i = 0; i < recording.frameCount; i++) {
      recording.frameAt(i);
      if (i % MEMORY_SAMPLE_EVERY === 0 || i === recording.frameCount - 1) {
        const usage = process.memoryUsage();
        samples.push({ frame: i, rssBytes: usage.rss, heapBytes: usage.heapUsed });
      }
    }
  } finally {
    recording.close();
  }
  const elapsedMs = performance.now() - startedMs;
  const rss = samples.map((s) => s.rssBytes);
  const heap = samples.map((s) => s.heapBytes);
  log(
    `  replay at full speed: ${DAY_FRAMES} frames in ${(elapsedMs / 1000).toFixed(1)} s (${((elapsedMs * 1000) / DAY_FRAMES).toFixed(0)} µs a frame) · ` +
      `RSS before open ${mb(before.rss)}, during ${mb(Math.min(...rss))}-${mb(Math.max(...rss))} · ` +
      `heap before ${mb(before.heapUsed)}, during ${mb(Math.min(...heap))}-${mb(Math.max(...heap))} ` +
      `(${samples.length} samples, one every ${MEMORY_SAMPLE_EVERY} frames)`,
  );
}

/** Prints the recording numbers; temp files go under os.tmpdir() and are deleted. Takes about 3600 × 100 ms plus a minute. */
export async function benchRecording(log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fragtop-bench-recording-'));
  try {
    const hourPath = join(dir, 'hour.ftr');
    const dayPath = join(dir, 'day.ftr');
    await recordHour(hourPath, log);
    await writeDay(hourPath, dayPath, log);
    rmSync(hourPath);
    await openAndSeek(dayPath, log);
    await replayMemory(dayPath, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
