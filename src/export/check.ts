// `fragtop check`: the node-problem-detector custom-plugin contract, one line and an exit code
// (0 ok, 1 problem, 2 unknown), from one snapshot.
import { orderVerdict } from '../analyze/order-verdict.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { reasonText } from '../render/diagnosis-text.js';
import { unknownText } from '../render/order-verdict-text.js';

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
  const verdict = orderVerdict(snapshot, order, minBlocks);
  switch (verdict.status) {
    case 'unknown':
      return finish(2, `unknown: ${unknownText(verdict)}`);
    case 'ok':
      return finish(
        0,
        `ok: ${verdict.blocks} order-${order} blocks available (at least ${minBlocks} wanted)`,
      );
    case 'short':
      return finish(
        1,
        `order-${order} blocks ${verdict.blocks} < ${minBlocks}: ${verdict.diagnosis ? reasonText(verdict.diagnosis) : ''}`,
      );
  }
}
