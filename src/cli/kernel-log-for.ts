// Picks the kernel log for a run: --kmsg FILE, else this machine's log when reading its own /proc, else none.
import { resolve } from 'node:path';
import { openKernelLog, type KernelLog } from '../sources/kernel-log-source.js';
import type { CommonOptions } from './parse-args.js';

export async function kernelLogFor(
  options: CommonOptions,
): Promise<{ log: KernelLog | null; note: string | null }> {
  if (options.kmsg !== null) {
    const log = await openKernelLog({ file: options.kmsg });
    return { log, note: log.status.mode === 'none' ? log.status.message : null };
  }
  if (resolve(options.procRoot) !== '/proc')
    return { log: null, note: 'no kernel log: --proc-root given without --kmsg FILE' };
  const log = await openKernelLog({});
  return { log, note: log.status.mode === 'none' ? log.status.message : null };
}
