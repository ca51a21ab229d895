// Short text forms of an allocation-failure report, shared by the panel, the detail view and `snapshot`.
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { blockLabel, clockTime } from './format.js';

/** `[12345.678]` for seconds since boot, local HH:MM:SS for dated lines, `-` when the line had no time. */
export function failureTime(time: number | string | null): string {
  if (time === null) return '-';
  if (typeof time === 'number') return `[${time.toFixed(1)}]`;
  // Syslog lines carry no year: the parser gives `--MM-DDTHH:MM:SS`.
  if (time.startsWith('--')) return time.slice(2).replace('T', ' ');
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : clockTime(ms);
}

export function failureSummary(failure: AllocFailure, pageSizeBytes: number): string {
  const order =
    failure.order === null
      ? 'order ?'
      : `order ${failure.order} (${blockLabel(pageSizeBytes, failure.order)})`;
  const flags = failure.flags.length ? failure.flags.join('|') : failure.mode;
  const who = failure.pid === null ? failure.process : `${failure.process}[${failure.pid}]`;
  return `${failureTime(failure.time)} ${who} ${order} ${flags}`;
}

export function failureExplanation(failure: AllocFailure): string {
  const culprit =
    failure.culprit && failure.culprit.id !== 'unknown'
      ? failure.culprit.title
      : failure.traceInterleaved
        ? 'site unknown (trace interleaved with another report)'
        : 'site unknown';
  const suppressed = failure.suppressedBefore ? ` · ${failure.suppressedBefore} suppressed before it` : '';
  const kind = failure.kind === 'oom-kill' ? 'OOM kill · ' : '';
  return `${kind}${failure.cause} · ${culprit}${suppressed}`;
}

/**
 * What to say where failures would be listed and there are none: "none" only when the kernel log was read.
 * `state` is null when nobody said (a replay: recordings do not keep whether the log was readable).
 */
export function noFailuresText(
  state: 'read' | 'unreadable' | 'not-requested' | null,
  note: string | null,
): string {
  if (state === 'unreadable') return `unknown: kernel log not read${note ? ` (${note})` : ''}`;
  if (state === 'not-requested') return `unknown: ${note ?? 'no kernel log for this machine'}`;
  return note ?? 'none in the kernel log';
}

/** The panel title's count: unknown when the log was not read; the dropped reports when some were. */
export function failureCountText(count: number, dropped: number, unread: boolean): string {
  if (unread && count === 0) return 'unknown';
  return `${count + dropped} reports${dropped ? ` (oldest ${dropped} not kept)` : ''}`;
}
