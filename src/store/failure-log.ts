// The kernel log kept for allocation-failure reports, re-read incrementally: only the recent tail is parsed
// again when lines arrive, so a chatty kernel log does not cost a full parse every tick.
import { enrichFailures, type AllocFailure } from '../analyze/enrich-failure.js';
import { parseAllocFailures } from '../parse/alloc-failure.js';

export interface FailureLog {
  lines: string[];
  failures: AllocFailure[];
  suppressed: number;
}

/** Lines kept for re-reading; a report is a few hundred lines at most. */
export const LOG_LINE_LIMIT = 20_000;
/** How far back an unfinished report may have started; lines before it are settled and not parsed again. */
export const REPARSE_WINDOW = 2_000;
/** Reports kept, newest last; older ones are dropped. */
export const FAILURE_LIMIT = 1_000;

export const EMPTY_FAILURE_LOG: FailureLog = { lines: [], failures: [], suppressed: 0 };

/** Adds `added` lines: reports that started before the re-read window stay as parsed, the window is parsed again. */
export function appendToFailureLog(
  log: FailureLog,
  added: readonly string[],
  limit = LOG_LINE_LIMIT,
): FailureLog {
  if (added.length === 0) return log;
  const all = [...log.lines, ...added];
  const dropped = Math.max(0, all.length - limit);
  const lines = dropped ? all.slice(dropped) : all;
  const windowStart = Math.max(0, lines.length - added.length - REPARSE_WINDOW);
  // `line` is 1-based in the array it was parsed from; shift it by what was dropped from the front since.
  const settled = log.failures
    .map((failure) => ({ ...failure, line: failure.line - dropped }))
    .filter((failure) => failure.line - 1 < windowStart);
  const parsed = enrichFailures(parseAllocFailures(lines.slice(windowStart), 'kernel log')).value;
  const fresh = parsed.failures.map((failure) => ({ ...failure, line: failure.line + windowStart }));
  const failures = [...settled, ...fresh].slice(-FAILURE_LIMIT);
  const settledSuppressed = settled.reduce((sum, failure) => sum + failure.suppressedBefore, 0);
  return { lines, failures, suppressed: settledSuppressed + parsed.suppressedTotal };
}

/** Replaces the log (replay: all lines up to the current frame) with one full parse. */
export function failureLogOf(lines: readonly string[], limit = LOG_LINE_LIMIT): FailureLog {
  const kept = lines.length > limit ? lines.slice(lines.length - limit) : [...lines];
  const parsed = enrichFailures(parseAllocFailures(kept, 'kernel log')).value;
  return { lines: kept, failures: parsed.failures.slice(-FAILURE_LIMIT), suppressed: parsed.suppressedTotal };
}
