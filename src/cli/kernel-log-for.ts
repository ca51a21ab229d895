// Picks the kernel log for a run: --kmsg FILE, else this machine's log when reading its own /proc, else none;
// and says whether it could be read, so that "no failures" is never shown for a log nobody could read.
import { resolve } from 'node:path';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { openKernelLog, probeKernelLog, type KernelLog } from '../sources/kernel-log-source.js';
import type { CommonOptions } from './parse-args.js';

export interface KernelLogChoice {
  log: KernelLog | null;
  /** A line for the user when the log cannot be read; null when it can. */
  note: string | null;
  state: KernelLogState;
}

/** The state of an open log now (journalctl may start showing lines after it was opened). */
export function kernelLogStateOf(log: KernelLog | null, fallback: KernelLogState): KernelLogState {
  if (log === null) return fallback;
  const { status } = log;
  const source = status.mode === 'journal' ? 'journalctl -k' : (fallback.source ?? null);
  return { state: status.state, source, reason: status.reason };
}

export async function kernelLogFor(
  options: CommonOptions,
  how: { follow?: boolean } = {},
): Promise<KernelLogChoice> {
  const follow = how.follow ?? true;
  if (options.kmsg !== null) {
    const log = await openKernelLog({
      file: options.kmsg,
      follow,
      notice: (message) => process.stderr.write(`fragtop: ${message}\n`),
    });
    const state = kernelLogStateOf(log, {
      state: 'read',
      source: options.kmsg === '-' ? 'stdin' : options.kmsg,
      reason: null,
    });
    return { log, note: state.state === 'read' ? null : log.status.message, state };
  }
  if (resolve(options.procRoot) !== '/proc') {
    const reason = 'no kernel log: --proc-root given without --kmsg FILE';
    return { log: null, note: reason, state: { state: 'not-requested', source: null, reason } };
  }
  const log = await openKernelLog({ follow });
  const state = kernelLogStateOf(log, { state: 'read', source: '/dev/kmsg', reason: null });
  return { log, note: state.state === 'read' ? null : (state.reason ?? log.status.message), state };
}

/** For `check`, which reads no report: whether the log could be read, without reading it. */
export function kernelLogProbeFor(options: CommonOptions): KernelLogState {
  if (options.kmsg === '-') return { state: 'read', source: 'stdin', reason: null };
  if (options.kmsg !== null) return { source: options.kmsg, ...probeKernelLog(options.kmsg) };
  if (resolve(options.procRoot) !== '/proc')
    return { state: 'not-requested', source: null, reason: '--proc-root given without --kmsg FILE' };
  return { source: '/dev/kmsg', ...probeKernelLog() };
}
