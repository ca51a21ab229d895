// Turns a parsed kernel report into an explained failure: flags decoded for the report's kernel, cause and culprit.
import type { FailureReport, ParsedFailureReports } from '../parse/alloc-failure.js';
import type { Parsed } from '../parse/types.js';
import { explainFailure, type Culprit, type FailureCause } from './explain-failure.js';
import { decodeGfp } from './gfp-decode.js';

export interface AllocFailure extends Omit<FailureReport, 'printedFlags'> {
  flags: string[];
  flagsSource: 'kernel' | 'decoded' | 'unknown';
  /** How the flags were decoded, when the kernel printed only hex. */
  flagsNote?: string;
  cause: FailureCause;
  culprit: Culprit;
}

export interface FailureReadout {
  failures: AllocFailure[];
  /** Sum of all allocation-failure `callbacks suppressed` counts seen. */
  suppressedTotal: number;
}

export function enrichFailure(report: FailureReport): AllocFailure {
  const { printedFlags, ...rest } = report;
  const decoded =
    printedFlags !== null
      ? { flags: printedFlags, source: 'kernel' as const, note: undefined }
      : decodeGfp(parseInt(report.mode, 16), report.kernel);
  const { cause, culprit } = explainFailure(report);
  const failure: AllocFailure = {
    ...rest,
    flags: decoded.flags,
    flagsSource: decoded.source,
    cause,
    culprit,
  };
  if (decoded.note !== undefined) failure.flagsNote = decoded.note;
  return failure;
}

/** Every report in the parse, explained; the problems pass through. */
export function enrichFailures(parsed: Parsed<ParsedFailureReports>): Parsed<FailureReadout> {
  return {
    value: {
      failures: parsed.value.failures.map(enrichFailure),
      suppressedTotal: parsed.value.suppressedTotal,
    },
    problems: parsed.problems,
  };
}
