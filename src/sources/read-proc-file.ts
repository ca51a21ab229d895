// Reads one text file and turns the usual failures into a FileRead instead of an exception; never blocks, never
// reads more than a cap.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileRead, ProcFileName, ReadFailure } from '../model/raw-frame.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * The most fragtop reads of each file: several times the largest real one, so a file past it is not a kernel's
 * (a corrupted or hostile tree) and is refused rather than parsed in part. Real sizes: buddyinfo ~100 bytes a
 * zone; pagetypeinfo ~1.5 KiB a zone; slabinfo tens of KiB (MBs with per-memcg caches on 3.x-4.x kernels);
 * zoneinfo a few hundred KiB on big machines (its per-CPU pagesets grow with CPUs × zones); vmstat and meminfo
 * a few KiB; osrelease and hostname at most 64 characters (__NEW_UTS_LEN).
 */
export const READ_CAP_BYTES: Record<ProcFileName | 'osrelease' | 'hostname', number> = {
  buddyinfo: 1 * MIB,
  pagetypeinfo: 4 * MIB,
  slabinfo: 16 * MIB,
  zoneinfo: 16 * MIB,
  vmstat: 1 * MIB,
  meminfo: 1 * MIB,
  osrelease: 1 * KIB,
  hostname: 1 * KIB,
};

/** 1 KiB, 16 MiB: how a cap is named in a problem line. */
export function capText(bytes: number): string {
  return bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / KIB} KiB`;
}

const CHUNK_BYTES = 64 * KIB;

function failureReason(code: string | undefined): ReadFailure {
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  return 'error';
}

/** Reads at most capBytes + 1 bytes: one more than the cap tells a file that is too large. */
async function readCapped(path: string, capBytes: number): Promise<Buffer | 'not-a-file' | 'too-large'> {
  // O_NONBLOCK: a FIFO or device in place of a /proc file must not hang the monitor in open().
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    // /proc files are regular files; anything else (a FIFO, a device, a socket) is not what fragtop reads.
    if (!(await handle.stat()).isFile()) return 'not-a-file';
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, capBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // A file that keeps growing while it is read stops here too.
      if (total > capBytes) return 'too-large';
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

export async function readProcFile(
  path: string,
  now: () => number = Date.now,
  capBytes: number = 16 * MIB,
  /** The file's name in problem lines ("zoneinfo"); defaults to the path. */
  name: string = path,
): Promise<FileRead> {
  const started = performance.now();
  try {
    return finishedRead(path, await readCapped(path, capBytes), capBytes, name, started, now);
  } catch (error) {
    return failedRead(path, error);
  }
}

/**
 * The same (capped, never opening a FIFO or device for long), without the thread pool: a /proc file the kernel
 * prints in microseconds costs a third of the CPU read this way (bench: 0.4 against 1.1 ms a tick for five
 * files). Not for a file that can hold a lock for long (pagetypeinfo).
 */
export function readProcFileSync(
  path: string,
  now: () => number = Date.now,
  capBytes: number = 16 * MIB,
  name: string = path,
): FileRead {
  const started = performance.now();
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let bytes: Buffer | 'not-a-file' | 'too-large';
    try {
      bytes = fstatSync(fd).isFile() ? readCappedSync(fd, capBytes) : 'not-a-file';
    } finally {
      closeSync(fd);
    }
    return finishedRead(path, bytes, capBytes, name, started, now);
  } catch (error) {
    return failedRead(path, error);
  }
}

function readCappedSync(fd: number, capBytes: number): Buffer | 'too-large' {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, capBytes + 1 - total));
    const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > capBytes) return 'too-large';
  }
  return Buffer.concat(chunks, total);
}

function finishedRead(
  path: string,
  bytes: Buffer | 'not-a-file' | 'too-large',
  capBytes: number,
  name: string,
  started: number,
  now: () => number,
): FileRead {
  if (bytes === 'not-a-file')
    return { ok: false, reason: 'error', message: `${path} is not a regular file: not read` };
  if (bytes === 'too-large')
    return {
      ok: false,
      reason: 'error',
      message: `${path} is larger than ${capText(capBytes)}, more than any real ${name}: not read`,
    };
  return { ok: true, text: bytes.toString('utf8'), readMs: performance.now() - started, readAtMs: now() };
}

function failedRead(path: string, error: unknown): FileRead {
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
