// `fragtop check`: the node-problem-detector custom-plugin contract, one line and an exit code
// (0 ok, 1 problem, 2 unknown), from one snapshot.
import { diagnoseSnapshot } from '../analyze/diagnose-snapshot.js';
import { usableBlocks } from '../analyze/remediation-effect.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { reasonText } from '../render/diagnosis-text.js';

export interface CheckResult {
  exitCode: 0 | 1 | 2;
  line: string;
}

/** node-problem-detector truncates long messages; keep the line short enough to read in `kubectl describe node`. */
const MAX_LINE = 300;

/**
 * `check` reads no report, but must not let its line pass for "no failures" when the kernel log could not be
 * read: the problem is appended to the line, which the verdict (exit code) does not change.
 */
export function withKernelLogProblem(result: CheckResult, kernelLog: KernelLogState): CheckResult {
  if (kernelLog.state !== 'unreadable') return result;
  const problem = ` · problem: kernel log not read (${kernelLog.reason ?? 'unreadable'}), allocation failures unknown`;
  const line = result.line + problem;
  return { ...result, line: line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line };
}

export function checkSnapshot(snapshot: Snapshot, order: number, minBlocks: number): CheckResult {
  const finish = (exitCode: CheckResult['exitCode'], line: string): CheckResult => ({
    exitCode,
    line: line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line,
  });
  if (snapshot.zones.length === 0)
    return finish(2, `unknown: ${snapshot.unavailable.buddyinfo ?? 'buddyinfo lists no zones'}`);
  if (order >= snapshot.orderCount)
    return finish(
      2,
      `unknown: order ${order} does not exist on this kernel (orders 0-${snapshot.orderCount - 1})`,
    );
  const usable = usableBlocks(snapshot, order);
  const diagnosis = diagnoseSnapshot(snapshot, order);
  const why = diagnosis ? reasonText(diagnosis) : '';
  if (usable >= minBlocks)
    return finish(0, `ok: ${usable} order-${order} blocks available (at least ${minBlocks} wanted)`);
  return finish(1, `order-${order} blocks ${usable} < ${minBlocks}: ${why}`);
}
