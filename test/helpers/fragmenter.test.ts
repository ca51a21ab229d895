// Tests the fragmenter helper: it builds, holds its memory until stdin closes, and refuses bad sizes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fragmenterUnavailable, startFragmenter } from './fragmenter.js';

const unavailable = fragmenterUnavailable();

/** Resident memory of a process in KiB, from /proc/PID/status. */
function residentKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN);
}

describe.skipIf(unavailable !== null)(`fragmenter${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('holds every other page of the region once ready, and exits 0 when stdin closes', async () => {
    const fragmenter = await startFragmenter(64);
    // 64 MiB touched, then every other page given back: about 32 MiB stays resident.
    const kib = residentKib(fragmenter.pid);
    expect(kib).toBeGreaterThan(32 * 1024);
    expect(kib).toBeLessThan(40 * 1024);
    expect(await fragmenter.stop()).toBe(0);
  });

  it('frees everything and exits 0 on SIGTERM', async () => {
    const fragmenter = await startFragmenter(16);
    process.kill(fragmenter.pid, 'SIGTERM');
    // stdin stays open: only the signal can end it.
    expect(await fragmenter.exited).toBe(0);
    await fragmenter.stop();
  });

  it('refuses a size above 2048 MiB before touching any memory', async () => {
    await expect(startFragmenter(4096)).rejects.toThrow(
      'fragmenter exited with 2 before it was ready: fragmenter: MIB must be a whole number from 1 to 2048, got "4096"',
    );
  });
});
