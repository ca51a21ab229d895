// Builds RawFrames from fixture trees for store, UI and export tests.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROC_FILES, type FileRead, type ProcFileName, type RawFrame } from '../../src/model/raw-frame.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return [REPO_ROOT.replace(/\/$/, ''), 'fixtures', ...parts].join('/');
}

export function fixtureFrame(name: string, overrides: Partial<RawFrame> = {}): RawFrame {
  const files: Partial<Record<ProcFileName, FileRead>> = {};
  for (const file of PROC_FILES) {
    const path = fixturePath(name, 'proc', file);
    files[file] = existsSync(path)
      ? { ok: true, text: readFileSync(path, 'utf8'), readMs: 0.1, readAtMs: 1_700_000_000_000 }
      : { ok: false, reason: 'missing', message: `${path} does not exist` };
  }
  const osrelease = fixturePath(name, 'proc/sys/kernel/osrelease');
  const hostname = fixturePath(name, 'proc/sys/kernel/hostname');
  return {
    timeMs: 1_700_000_000_000,
    host: existsSync(hostname) ? readFileSync(hostname, 'utf8').trim() : null,
    kernel: existsSync(osrelease) ? readFileSync(osrelease, 'utf8').trim() : null,
    pageSizeBytes: 4096,
    files,
    kmsg: [],
    ...overrides,
  };
}

/** A copy of `frame` whose buddyinfo text is replaced, `timeMs` later. */
export function withBuddyinfo(frame: RawFrame, text: string, laterMs = 1000): RawFrame {
  return {
    ...frame,
    timeMs: frame.timeMs + laterMs,
    files: { ...frame.files, buddyinfo: { ok: true, text, readMs: 0.1, readAtMs: frame.timeMs + laterMs } },
  };
}
