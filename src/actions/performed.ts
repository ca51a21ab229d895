// What one remediation did: the write's outcome, the measured effect and the audit line.
import type { RemediationEffect } from '../analyze/remediation-effect.js';
import type { AuditResult } from './audit-log.js';
import type { RemediationOutcome } from './remediation.js';

export interface Performed {
  label: string;
  outcome: RemediationOutcome;
  /** Null when the write failed. */
  effect: RemediationEffect | null;
  summary: string | null;
  audit: AuditResult;
}
