// One remediation from start to end: write, wait for the kernel to settle, measure again, audit.
// The live screen's hotkeys and the guard both go through here, so they measure and log the same way.
import { remediationEffect } from '../analyze/remediation-effect.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import { appendAudit, type AuditOptions } from '../actions/audit-log.js';
import type { Performed } from '../actions/performed.js';
import {
  actionLabel,
  runRemediation,
  type RemediationAction,
  type RemediationDeps,
  type RemediationRoots,
} from '../actions/remediation.js';
import { effectSummary } from '../render/effect-summary.js';

export interface PerformOptions {
  action: RemediationAction;
  roots: RemediationRoots;
  targetOrder: number;
  /** The state right before the write. */
  before: Snapshot;
  /** A one-line description of `before` for the audit log. */
  beforeSummary: string;
  /** Reads a fresh snapshot after the write. */
  readAfter: () => Promise<Snapshot>;
  settleMs: number;
  source: 'live' | 'guard';
  audit: AuditOptions;
  writeFile?: RemediationDeps['writeFile'];
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function performRemediation(options: PerformOptions): Promise<Performed> {
  const label = actionLabel(options.action);
  const outcome = await runRemediation(options.action, options.roots, { writeFile: options.writeFile });
  if (!outcome.ok) {
    const audit = await appendAudit(
      {
        action: label,
        path: outcome.path,
        value: outcome.value,
        result: 'failed',
        source: options.source,
        code: outcome.code,
        explanation: outcome.explanation,
        before: options.beforeSummary,
      },
      options.audit,
    );
    return { label, outcome, effect: null, summary: null, audit };
  }
  // Compaction and reclaim finish in the write, but counters and free lists settle just after.
  await (options.sleep ?? defaultSleep)(options.settleMs);
  const after = await options.readAfter();
  const effect = remediationEffect(options.before, after, options.targetOrder);
  const summary = effectSummary(effect);
  const audit = await appendAudit(
    {
      action: label,
      path: outcome.path,
      value: outcome.value,
      result: 'ok',
      source: options.source,
      writeMs: outcome.writeMs,
      before: options.beforeSummary,
      after: summary,
    },
    options.audit,
  );
  return { label, outcome, effect, summary, audit };
}
