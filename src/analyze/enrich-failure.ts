// Turns a parsed kernel report into an explained failure: flags decoded for the report's kernel, cause and culprit.
import type { FailureReport, ParsedFailureReports } from '../parse/alloc-failure.js';
import { terminalSafe } from '../parse/terminal-text.js';
import type { Parsed } from '../parse/types.js';
import { explainFailure, type Culprit, type FailureCause } from './explain-failure.js';
import { decodeGfp } from './gfp-decode.js';
import type { LinkedPod } from './pod-impact.js';

export interface AllocFailure extends Omit<FailureReport, 'printedFlags'> {
  flags: string[];
  flagsSource: 'kernel' | 'decoded' | 'unknown';
  /** How the flags were decoded, when the kernel printed only hex. */
  flagsNote?: string;
  cause: FailureCause;
  culprit: Culprit;
  /** Pods whose start failed with this report (kubelet / runtime lines linked to it); absent before linking. */
  pods?: LinkedPod[];
}

export interface FailureReadout {
  failures: AllocFailure[];
  /** Sum of all allocation-failure `callbacks suppressed` counts seen. */
  suppressedTotal: number;
}

/** The report's own strings, safe for a terminal: a log line can carry anything. */
function safeReport(report: FailureReport): FailureReport {
  const name = (text: string) => terminalSafe(text, 128);
  return {
    ...report,
    process: name(report.process),
    kernel: report.kernel === null ? null : name(report.kernel),
    mode: name(report.mode),
    printedFlags: report.printedFlags?.map(name) ?? null,
    trace: report.trace.map(name),
    traceModules: report.traceModules.map(name),
    nodemask: report.nodemask === null ? null : name(report.nodemask),
    cpuset: report.cpuset === null ? null : name(report.cpuset),
    memsAllowed: report.memsAllowed === null ? null : name(report.memsAllowed),
    time: typeof report.time === 'string' ? name(report.time) : report.time,
  };
}

export function enrichFailure(raw: FailureReport): AllocFailure {
  const report = safeReport(raw);
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
