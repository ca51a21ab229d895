// Tests `fragtop record`: frames from a fixture tree into a file that reads back exactly, and its refusals.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROC_FILES, PROC_PATHS } from '../../src/model/raw-frame.js';
import { defaultOptions, type Options } from '../../src/cli/parse-args.js';
import { runRecord } from '../../src/cli/run-record.js';
import { defaultRecordingName } from '../../src/sources/recording-name.js';
import { openRecording } from '../../src/sources/recording-reader.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const procRoot = join(repoRoot, 'fixtures/live-6.18/proc');
const workDir = mkdtempSync(join(tmpdir(), 'fragtop-record-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A stream standing in for stdout/stderr; `text()` is everything written to it. */
function capture(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  Object.assign(stream, { isTTY });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written };
}

function options(overrides: Partial<Options>): Options {
  return { ...defaultOptions(), procRoot, ...overrides };
}

const fixtureText = (name: string): string => readFileSync(join(procRoot, name), 'utf8');

describe('runRecord', () => {
  it('records one frame per interval for --duration, and the file reads back byte-identical', async () => {
    const out = join(workDir, 'ten.ftr');
    const stderr = capture();
    const stdout = capture();
    const before = Date.now();
    const code = await runRecord(options({ out, intervalMs: 50, durationMs: 500 }), {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    const after = Date.now();
    expect(code).toBe(0);

    const recording = await openRecording(out);
    try {
      expect(recording.warnings).toEqual([]);
      // Frames are due at 0, 50, ... 450 ms: 500 / 50 = 10.
      expect(recording.frameCount).toBe(10);
      const { header } = recording;
      expect(header.host).toBe(fixtureText('sys/kernel/hostname').trim());
      expect(header.kernel).toBe('6.18.44-fc-v595');
      expect(header.pageSize).toBe(4096);
      expect(header.intervalMs).toBe(50);
      expect(header.startTimeMs).toBeGreaterThanOrEqual(before);
      expect(header.startTimeMs).toBeLessThanOrEqual(after);
      for (let i = 0; i < recording.frameCount; i++) {
        const frame = recording.frameAt(i);
        // Never early: frame i is due i intervals after the start (timers may round by a millisecond).
        expect(recording.timeOf(i)).toBeGreaterThanOrEqual(header.startTimeMs + i * 50 - 1);
        expect(frame.kmsg).toEqual([]);
        for (const name of PROC_FILES) {
          const read = frame.files[name];
          expect(read?.ok && read.text).toBe(fixtureText(PROC_PATHS[name]));
        }
      }
    } finally {
      recording.close();
    }
    // Not a terminal: one summary line (after the note that there is no kernel log), nothing on stdout.
    const lines = stderr.text().split('\n');
    expect(lines[0]).toBe('fragtop record: no kernel log: --proc-root given without --kmsg FILE');
    const summary =
      /^fragtop record: wrote 10 frames \((\d+\.\d) KiB, (\d+) B a frame\) in 0\.\d s to (.*)$/.exec(
        lines[1] ?? '',
      );
    const size = readFileSync(out).length;
    expect(summary?.[1]).toBe((size / 1024).toFixed(1));
    expect(summary?.[2]).toBe(String(Math.round(size / 10)));
    expect(summary?.[3]).toBe(out);
    expect(lines.slice(2)).toEqual(['']);
    expect(stdout.text()).toBe('');
  });

  it('puts the kernel-log lines that arrived into the frames', async () => {
    const out = join(workDir, 'kmsg.ftr');
    const kmsg = join(repoRoot, 'fixtures/kmsg/dmesg.txt');
    const code = await runRecord(options({ out, kmsg, intervalMs: 20, durationMs: 60 }), {
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(code).toBe(0);
    const recording = await openRecording(out);
    try {
      expect(recording.frameCount).toBe(3);
      const lines = readFileSync(kmsg, 'utf8').replace(/\n$/, '').split('\n');
      // A file is read once: every line arrives with the first frame.
      expect(recording.frameAt(0).kmsg).toEqual(lines);
      expect(recording.frameAt(1).kmsg).toEqual([]);
      expect(recording.logLinesUpTo(2)).toEqual(lines);
    } finally {
      recording.close();
    }
  });

  it('refuses to overwrite an existing file: exit 2, one line, the file untouched', async () => {
    const out = join(workDir, 'exists.ftr');
    writeFileSync(out, 'earlier recording');
    const stderr = capture();
    const code = await runRecord(options({ out, intervalMs: 50, durationMs: 100 }), {
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('earlier recording');
    expect(
      stderr
        .text()
        .split('\n')
        .filter((line) => line.includes('already exists')),
    ).toEqual([
      `fragtop record: ${out} already exists; recordings are never overwritten, choose another --out FILE`,
    ]);
  });

  it('exits 1 with a clear line when the file cannot be created', async () => {
    const out = join(workDir, 'no-such-dir', 'x.ftr');
    const stderr = capture();
    const code = await runRecord(options({ out, intervalMs: 50, durationMs: 100 }), {
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toContain(`fragtop record: cannot create ${out}: no such directory\n`);
  });

  it('stops on the AbortSignal with a complete file', async () => {
    const out = join(workDir, 'aborted.ftr');
    const stderr = capture();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const code = await runRecord(options({ out, intervalMs: 40 }), {
      stdout: capture().stream,
      stderr: stderr.stream,
      signal: controller.signal,
    });
    expect(code).toBe(0);
    const recording = await openRecording(out);
    try {
      expect(recording.warnings).toEqual([]);
      // 300 ms at 40 ms: about 8 frames; the exact count depends on the timers.
      expect(recording.frameCount).toBeGreaterThanOrEqual(2);
      expect(recording.frameCount).toBeLessThanOrEqual(9);
      expect(stderr.text()).toContain(`wrote ${recording.frameCount} frames`);
      const last = recording.frameAt(recording.frameCount - 1).files.buddyinfo;
      expect(last?.ok && last.text).toBe(fixtureText('buddyinfo'));
    } finally {
      recording.close();
    }
  });

  it('paints one updating progress line on a terminal', async () => {
    const out = join(workDir, 'tty.ftr');
    const stderr = capture(true);
    const code = await runRecord(options({ out, intervalMs: 250, durationMs: 500 }), {
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(0);
    // "\r" then ESC [2K (clear the line) before each repaint; shown here as <clear>.
    const text = stderr.text().replaceAll('\r\u001b[2K', '<clear>');
    // No newline until the summary, which replaces the progress line.
    expect(text).toMatch(
      /^fragtop record: no kernel log: --proc-root given without --kmsg FILE\n<clear>recording 1 frames \(\d+\.\d KiB, [\d.]+ (B|KiB) a frame\) in 0\.\d s to .*tty\.ftr \(Ctrl-C stops\)<clear>recording 2 frames .*<clear>fragtop record: wrote 2 frames .* to .*tty\.ftr\n$/,
    );
    expect(text.split('\n')).toHaveLength(3);
  });
});

describe('defaultRecordingName', () => {
  it('names the file after the host and the local start time', () => {
    const startMs = new Date(2026, 10, 28, 0, 5, 46).getTime();
    expect(defaultRecordingName('node-7', startMs)).toBe('fragtop-node-7-20261128-000546.ftr');
  });

  it('keeps odd characters out of the name', () => {
    const startMs = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(defaultRecordingName('a/b c', startMs)).toBe('fragtop-a_b_c-20260102-030405.ftr');
    expect(defaultRecordingName(null, startMs)).toBe('fragtop-unknown-20260102-030405.ftr');
  });
});
