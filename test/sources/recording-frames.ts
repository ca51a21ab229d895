// Builds deterministic, realistic frame sequences for the recording tests from captured /proc texts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROC_FILES, type ProcFileName, type RawFrame } from '../../src/model/raw-frame.js';

/** The six /proc files captured from one x86 machine running 6.18. */
export function loadSampleTexts(samplesDir: string): Record<ProcFileName, string> {
  const texts = {} as Record<ProcFileName, string>;
  for (const name of PROC_FILES) {
    texts[name] = readFileSync(join(samplesDir, `${name}-6.18-x86-local-capture.txt`), 'utf8');
  }
  return texts;
}

/** A small linear congruential generator, so every run (and the child process) sees the same frames. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Shifts a few numbers, as a live machine does between two ticks; now and then one grows a digit. */
function nudgeNumbers(text: string, next: () => number): string {
  return text.replace(/\d+/g, (digits) => {
    const roll = next();
    if (roll < 0.97) return digits;
    if (roll < 0.975) return `${digits}0`;
    return String(Math.max(0, Number(digits) + Math.floor(next() * 101) - 50));
  });
}

function insertLine(text: string, at: number, line: string): string {
  const lines = text.split('\n');
  lines.splice(at, 0, line);
  return lines.join('\n');
}

function removeLine(text: string, at: number): string {
  const lines = text.split('\n');
  lines.splice(at, 1);
  return lines.join('\n');
}

export const START_TIME_MS = 1_764_284_400_000;

/**
 * `count` frames one second apart, each derived from the one before: numbers drift, slab caches
 * come and go, a file fails to read for a while, another is missing, kernel log lines arrive,
 * the host name changes once, and read times are awkward floating-point values.
 */
export function makeFrames(base: Record<ProcFileName, string>, count: number, seed = 7): RawFrame[] {
  const next = random(seed);
  const texts = { ...base };
  const frames: RawFrame[] = [];
  for (let i = 0; i < count; i++) {
    for (const name of PROC_FILES) texts[name] = nudgeNumbers(texts[name], next);
    if (i % 7 === 3)
      texts.slabinfo = insertLine(texts.slabinfo, 5, `fragtop_test_${i}  ${i} ${i} 64 64 1 : x`);
    if (i % 11 === 5) texts.slabinfo = removeLine(texts.slabinfo, 9);
    const timeMs = START_TIME_MS + i * 1000 + 0.25;
    const files: RawFrame['files'] = {};
    for (const name of PROC_FILES) {
      if (name === 'zoneinfo' && i % 20 === 19) continue; // missing from this frame altogether
      if (name === 'pagetypeinfo' && i % 13 >= 11) {
        files[name] = {
          ok: false,
          reason: 'permission',
          message: 'permission denied reading /proc/pagetypeinfo',
        };
        continue;
      }
      files[name] = {
        ok: true,
        text: texts[name],
        readMs: 0.1 + next() / 3,
        // Every tenth frame a readAtMs whose offset from timeMs does not add back exactly.
        readAtMs: i % 10 === 9 ? 1e-9 : timeMs + Math.floor(next() * 4),
      };
    }
    const kmsg =
      i % 5 === 2
        ? [
            `<4>[${i}.5] runc:[1:CHILD]: page allocation failure: order:6, mode:0x10c0d0`,
            'tab\there "quoted" é 𝄞',
          ]
        : [];
    frames.push({
      timeMs,
      host: i < 40 ? 'node-7' : 'node-8',
      kernel: i % 50 === 49 ? null : '6.18.44-fc-v595',
      pageSizeBytes: 4096,
      files,
      kmsg,
    });
  }
  return frames;
}

/** Frames from tiny texts, for tests that open a recording once per byte of it. */
export function makeSmallFrames(count: number): RawFrame[] {
  const frames: RawFrame[] = [];
  for (let i = 0; i < count; i++) {
    const timeMs = START_TIME_MS + i * 500;
    frames.push({
      timeMs,
      host: 'h',
      kernel: '6.1',
      pageSizeBytes: 4096,
      files: {
        buddyinfo: {
          ok: true,
          text: `Node 0, zone   Normal ${100 + i} ${50 - i} ${i % 3}\n`,
          readMs: 0.5,
          readAtMs: timeMs,
        },
        slabinfo: { ok: false, reason: 'permission', message: 'no' },
      },
      kmsg: i === 2 ? ['<3>oops'] : [],
    });
  }
  return frames;
}
