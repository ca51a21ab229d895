// Short text forms of an allocation-failure report, shared by the panel, the detail view and `snapshot`.
import type { AllocFailure } from '../analyze/enrich-failure.js';
import type { PodRef } from '../parse/pod-start-line.js';
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
  const pods = failurePodsText(failure);
  const cost = pods ? ` · ${pods}` : '';
  return `${kind}${failure.cause} · ${culprit}${suppressed}${cost}`;
}

/** `basic/matchdataserver-1255064836-t4b2w`, or the uid or container id when the lines named no pod. */
export function podLabel(pod: PodRef & { containerId?: string | null }): string {
  if (pod.name !== null) return pod.namespace !== null ? `${pod.namespace}/${pod.name}` : pod.name;
  if (pod.uid !== null) return `pod uid ${pod.uid}`;
  if (pod.containerId) return `container ${pod.containerId.slice(0, 12)}`;
  return 'a pod the log did not name';
}

/** `cost 1 pod start: basic/matchdataserver-…`; '' when the failure cost no pod start the logs name. */
export function failurePodsText(failure: AllocFailure): string {
  const pods = failure.pods ?? [];
  if (pods.length === 0) return '';
  const names = pods.map(podLabel);
  const shown = names.slice(0, 3).join(', ');
  return `cost ${pods.length.toLocaleString('en-US')} pod start${pods.length === 1 ? '' : 's'}: ${shown}${names.length > 3 ? ` +${names.length - 3}` : ''}`;
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
