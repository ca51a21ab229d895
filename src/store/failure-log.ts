// The kernel log kept for allocation-failure reports, re-read incrementally: only the recent tail is parsed
// again when lines arrive, so a chatty kernel log does not cost a full parse every tick. Every line is parsed
// once even when its text is not kept, so the counts stay exact when the kept text and reports are capped.
import { enrichFailures, type AllocFailure } from '../analyze/enrich-failure.js';
import { parseAllocFailures } from '../parse/alloc-failure.js';
import type { Problem } from '../parse/types.js';

export interface FailureLog {
  lines: string[];
  /** The newest reports, oldest first; at most FAILURE_LIMIT. */
  failures: AllocFailure[];
  suppressed: number;
  /** Every report read, including those whose details were dropped to keep memory bounded. */
  total: number;
  /** Reports counted in `total` but no longer in `failures` (the oldest go first). */
  droppedFailures: number;
  /** Lines read whose text is no longer kept (their reports are counted, and kept up to FAILURE_LIMIT). */
  droppedLines: number;
  /** Odd lines of the settled part of the log and of the last re-read, newest last, at most PROBLEM_LIMIT. */
  problems: Problem[];
  settledProblems: Problem[];
  /** Reports that started before the re-read window: counted once, never parsed again. */
  settledTotal: number;
  settledSuppressed: number;
}

/** Lines kept for re-reading; a report is a few hundred lines at most. */
export const LOG_LINE_LIMIT = 20_000;
/** How far back an unfinished report may have started; lines before it are settled and not parsed again. */
export const REPARSE_WINDOW = 2_000;
/** Reports kept, newest last; older ones are dropped (and counted). */
export const FAILURE_LIMIT = 1_000;
/** Parser problems kept. */
export const PROBLEM_LIMIT = 100;

export const EMPTY_FAILURE_LOG: FailureLog = {
  lines: [],
  failures: [],
  suppressed: 0,
  total: 0,
  droppedFailures: 0,
  droppedLines: 0,
  problems: [],
  settledProblems: [],
  settledTotal: 0,
  settledSuppressed: 0,
};

export interface FailureLogOptions {
  limit?: number;
  /** Gives year-less log times a year (see parseAllocFailures). */
  referenceMs?: number | null;
}

/** Adds `added` lines: reports that started before the re-read window stay as parsed, the window is parsed again. */
export function appendToFailureLog(
  log: FailureLog,
  added: readonly string[],
  limitOrOptions: number | FailureLogOptions = {},
): FailureLog {
  if (added.length === 0) return log;
  const options = typeof limitOrOptions === 'number' ? { limit: limitOrOptions } : limitOrOptions;
  const limit = options.limit ?? LOG_LINE_LIMIT;
  // The re-read region: the unsettled tail of what is kept, and everything that arrived (even beyond `limit`).
  const tailStart = Math.max(0, log.lines.length - REPARSE_WINDOW);
  const region = log.lines.slice(tailStart).concat(added);
  const parsed = parseAllocFailures(region, 'kernel log', { referenceMs: options.referenceMs ?? null });
  const allLength = log.lines.length + added.length;
  const dropped = Math.max(0, allLength - limit);
  const lines =
    added.length >= limit ? added.slice(added.length - limit) : log.lines.slice(dropped).concat(added);
  // `line` is 1-based in the kept lines; reports whose lines are gone keep a line number of 0 or below.
  const offset = tailStart - dropped;
  const fresh = parsed.value.failures.map((failure) => ({ ...failure, line: failure.line + offset }));
  const settledKept = log.failures
    .filter((failure) => failure.line - 1 < tailStart)
    .map((failure) => ({ ...failure, line: failure.line - dropped }));
  // Reports starting before the next re-read window are settled now.
  const nextWindowStart = Math.max(0, lines.length - REPARSE_WINDOW);
  const settlingNow = fresh.filter((failure) => failure.line - 1 < nextWindowStart);
  const settledTotal = log.settledTotal + settlingNow.length;
  const settledSuppressed =
    log.settledSuppressed + settlingNow.reduce((sum, failure) => sum + failure.suppressedBefore, 0);
  const unsettledSuppressed = fresh
    .filter((failure) => failure.line - 1 >= nextWindowStart)
    .reduce((sum, failure) => sum + failure.suppressedBefore, 0);
  // `callbacks suppressed` lines not followed by a report count too.
  const trailingSuppressed =
    parsed.value.suppressedTotal - fresh.reduce((sum, failure) => sum + failure.suppressedBefore, 0);
  // Only the reports kept are decoded and explained: a huge batch costs its parse, not its explanation.
  const keptFresh = fresh.length > FAILURE_LIMIT ? fresh.slice(fresh.length - FAILURE_LIMIT) : fresh;
  const explained = enrichFailures({
    value: { failures: keptFresh, suppressedTotal: 0 },
    problems: [],
  }).value.failures;
  const all = [...settledKept, ...explained];
  const failures = all.length > FAILURE_LIMIT ? all.slice(all.length - FAILURE_LIMIT) : all;
  const total = log.settledTotal + fresh.length;
  // Problems carry their line in the whole log read so far; those before the next window are settled too.
  const firstLine = log.droppedLines + tailStart;
  const numbered = parsed.problems.map((problem) =>
    problem.line === undefined ? problem : { ...problem, line: problem.line + firstLine },
  );
  const settleBefore = log.droppedLines + dropped + nextWindowStart;
  const settledProblems = [
    ...log.settledProblems,
    ...numbered.filter((problem) => (problem.line ?? 0) - 1 < settleBefore),
  ].slice(-PROBLEM_LIMIT);
  const problems = [
    ...settledProblems,
    ...numbered.filter((problem) => (problem.line ?? 0) - 1 >= settleBefore),
  ].slice(-PROBLEM_LIMIT);
  return {
    lines,
    failures,
    suppressed: settledSuppressed + unsettledSuppressed + trailingSuppressed,
    total,
    droppedFailures: total - failures.length,
    droppedLines: log.droppedLines + dropped,
    problems,
    settledProblems,
    settledTotal,
    settledSuppressed,
  };
}

/** Replaces the log (replay: all lines up to the current frame) with one full parse. */
export function failureLogOf(lines: readonly string[], options: FailureLogOptions = {}): FailureLog {
  return appendToFailureLog(EMPTY_FAILURE_LOG, lines, options);
}
