// Reads one text file and turns the usual failures into a FileRead instead of an exception.
import { readFile } from 'node:fs/promises';
import type { FileRead, ReadFailure } from '../model/raw-frame.js';

function failureReason(code: string | undefined): ReadFailure {
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  return 'error';
}

export async function readProcFile(path: string, now: () => number = Date.now): Promise<FileRead> {
  const started = performance.now();
  try {
    const text = await readFile(path, 'utf8');
    return { ok: true, text, readMs: performance.now() - started, readAtMs: now() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = failureReason(code);
    const message =
      reason === 'missing'
        ? `${path} does not exist`
        : reason === 'permission'
          ? `permission denied reading ${path}: run as root`
          : `cannot read ${path}: ${(error as Error).message}`;
    return { ok: false, reason, message };
  }
}
