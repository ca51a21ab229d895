// Links kubelet / runtime pod start failures to the kernel allocation failures that caused them: close in time, and
// with the kind of error a failed namespace or cgroup setup gives. Everything else stays unlinked.
import { withYear } from '../parse/kernel-log-line.js';
import type { PodStartFailure, PodStartStep } from '../parse/pod-start-line.js';
import { terminalSafe, terminalSafeOrNull } from '../parse/terminal-text.js';

/**
 * The link window around a kernel report, in ms. After: the runtime sees the failed clone/mkdir as soon as the
 * kernel prints the report, and the kubelet logs when its CRI call returns, normally within a second; 10 s also
 * covers the kernel's rate limit (one report per 5-10 s: a failure it suppressed right after the printed one still
 * cost a pod start). Before: 1 s, because syslog and journal stamps are whole seconds or stamped on receipt, so
 * the kubelet's line can carry the second before the kernel's.
 */
export const LINK_AFTER_MS = 10_000;
export const LINK_BEFORE_MS = 1_000;

export interface LinkedPod {
  namespace: string | null;
  name: string | null;
  uid: string | null;
  /** The runtime's container or sandbox id, when a line named one. */
  containerId: string | null;
  /** The first line's time, as an ISO string (year-less times given a year). */
  time: string | null;
  /** Seconds from the kernel report to the first kubelet line. */
  delaySeconds: number | null;
  step: PodStartStep;
  /** The words of the runtime's error that made the link (`invalid header field value`). */
  errorMatch: string | null;
  error: string;
  /** kubelet / runtime lines about this start. */
  lines: number;
}

/** What linking needs from a kernel report. */
export interface LinkableFailure {
  time: number | string | null;
  kind: string;
}

export interface PodLinkOptions {
  /** Gives year-less times (syslog, klog) a year: the log file's mtime or the capture time. */
  referenceMs?: number | null;
  /** Epoch ms of boot, to put seconds-since-boot times on the wall clock; unknown when absent. */
  bootTimeMs?: number | null;
}

export interface PodLinkSummary {
  /** Pod start failures the kubelet or runtime logged (one per pod and report, or per pod when unlinked). */
  podStartFailures: number;
  /** Of them, linked to a kernel allocation failure. */
  linked: number;
  /** Not linked: another error kind, or no allocation failure in the window. */
  unlinked: number;
  /** Unlinked because kernel and kubelet times could not be put on one clock. */
  incomparable: number;
  windowSeconds: { before: number; after: number };
}

export interface PodLinkResult {
  /** Per failure (same order as given), the pods whose start it cost. */
  podsByFailure: LinkedPod[][];
  /** Linked pod starts per failure order. */
  summary: PodLinkSummary;
  /** Each unlinked start, for the record: not shown as caused by fragmentation. */
  unlinked: LinkedPod[];
}

/** A log time on one of two clocks: wall (epoch ms) or boot (ms since boot, /dev/kmsg and journal monotonic). */
export interface ClockTime {
  clock: 'wall' | 'boot';
  ms: number;
}

/** A log time on a clock, or null when it has none; seconds since boot go on the wall clock when boot time is known. */
export function logClockTime(time: number | string | null, options: PodLinkOptions): ClockTime | null {
  if (time === null) return null;
  if (typeof time === 'number') {
    if (!Number.isFinite(time)) return null;
    const boot = options.bootTimeMs;
    return boot === null || boot === undefined
      ? { clock: 'boot', ms: time * 1000 }
      : { clock: 'wall', ms: boot + time * 1000 };
  }
  const dated = withYear(time, options.referenceMs);
  if (dated.startsWith('--')) return null;
  const ms = Date.parse(dated);
  return Number.isFinite(ms) ? { clock: 'wall', ms } : null;
}

/**
 * The time a kubelet line is compared at. The transport's stamp (syslog or journal) when there is one: it is the
 * same clock the kernel's lines in that log carry, whereas klog's header is the kubelet's own clock and zone
 * (UTC in a container, local on the host). klog's time only for bare klog lines (a --kubelet-log file).
 */
function podTime(pod: PodStartFailure, options: PodLinkOptions): ClockTime | null {
  if (pod.time !== null) return logClockTime(pod.time, options);
  return pod.klogTime === null ? null : logClockTime(pod.klogTime, options);
}

function linkedOf(pod: PodStartFailure, at: ClockTime | null, report: ClockTime | null): LinkedPod {
  return {
    namespace: terminalSafeOrNull(pod.pod.namespace, 63),
    name: terminalSafeOrNull(pod.pod.name, 253),
    uid: terminalSafeOrNull(pod.pod.uid, 36),
    containerId: terminalSafeOrNull(pod.containerId, 64),
    time: at?.clock === 'wall' ? new Date(at.ms).toISOString() : null,
    delaySeconds: at === null || report === null ? null : Math.round(at.ms - report.ms) / 1000,
    step: pod.step,
    errorMatch: pod.errorMatch,
    error: terminalSafe(pod.error, 300),
    lines: 1,
  };
}

/** Folds a line into the entries of one report: lines naming the same pod (by uid or by name) are one start. */
function merge(entries: LinkedPod[], next: LinkedPod): void {
  const same = entries.find(
    (entry) =>
      (entry.uid !== null && entry.uid === next.uid) ||
      (entry.name !== null &&
        entry.name === next.name &&
        (entry.namespace === null || next.namespace === null || entry.namespace === next.namespace)) ||
      (entry.containerId !== null && entry.containerId === next.containerId),
  );
  if (!same) {
    entries.push(next);
    return;
  }
  same.lines += 1;
  same.namespace ??= next.namespace;
  same.name ??= next.name;
  same.uid ??= next.uid;
  same.containerId ??= next.containerId;
}

/** Entries that name no pod (a daemon's line with a container id only) say nothing new when a named pod is there. */
function withoutAnonymous(entries: LinkedPod[]): LinkedPod[] {
  const named = entries.filter((entry) => entry.name !== null || entry.uid !== null);
  return named.length > 0 ? named : entries;
}

/** The latest report at or before `at` within the window, else the earliest just after it; -1 when none. */
function nearestReport(reports: readonly (ClockTime | null)[], at: ClockTime): number {
  let before = -1;
  let after = -1;
  reports.forEach((report, i) => {
    if (report === null || report.clock !== at.clock) return;
    const ms = report.ms;
    if (at.ms < ms - LINK_BEFORE_MS || at.ms > ms + LINK_AFTER_MS) return;
    if (ms <= at.ms) {
      if (before < 0 || ms >= (reports[before]?.ms ?? -Infinity)) before = i;
    } else if (after < 0 || ms < (reports[after]?.ms ?? Infinity)) after = i;
  });
  return before >= 0 ? before : after;
}

/**
 * Links each pod start failure to the latest allocation failure at most LINK_BEFORE_MS after and LINK_AFTER_MS
 * before it, when its error is of the namespace/cgroup kind. Pure; O(failures × pods) at the sizes the log keeps.
 */
export function linkPodStarts(
  failures: readonly LinkableFailure[],
  pods: readonly PodStartFailure[],
  options: PodLinkOptions = {},
): PodLinkResult {
  const reports = failures.map((failure) =>
    failure.kind === 'page-allocation-failure' ? logClockTime(failure.time, options) : null,
  );
  const podsByFailure: LinkedPod[][] = failures.map(() => []);
  const unlinkedEntries: LinkedPod[] = [];
  let incomparable = 0;
  for (const pod of pods) {
    const at = podTime(pod, options);
    const best = pod.errorKind === 'namespace-cgroup' && at !== null ? nearestReport(reports, at) : -1;
    if (best >= 0) {
      merge(podsByFailure[best] ?? [], linkedOf(pod, at, reports[best] ?? null));
      continue;
    }
    // A namespace-kind error that could not be compared with a report: say so rather than imply "unrelated".
    if (
      pod.errorKind === 'namespace-cgroup' &&
      reports.some((report) => report !== null) &&
      (at === null || !reports.some((report) => report?.clock === at.clock))
    )
      incomparable++;
    // One entry per pod: its lines merge as a linked start's do.
    merge(unlinkedEntries, linkedOf(pod, at, null));
  }
  const cleaned = podsByFailure.map(withoutAnonymous);
  const linked = cleaned.reduce((sum, entries) => sum + entries.length, 0);
  return {
    podsByFailure: cleaned,
    unlinked: unlinkedEntries,
    summary: {
      podStartFailures: linked + unlinkedEntries.length,
      linked,
      unlinked: unlinkedEntries.length,
      incomparable,
      windowSeconds: { before: LINK_BEFORE_MS / 1000, after: LINK_AFTER_MS / 1000 },
    },
  };
}

/** Linked pod starts by failure order within `sinceMs` of `nowMs` (null: all); for the banner and metrics. */
export function podStartsByOrder(
  failures: readonly { order: number; pods?: readonly LinkedPod[] }[],
  nowMs: number | null = null,
  sinceMs: number | null = null,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const failure of failures)
    for (const pod of failure.pods ?? []) {
      const at = pod.time === null ? null : Date.parse(pod.time);
      if (nowMs !== null && sinceMs !== null && (at === null || at < nowMs - sinceMs || at > nowMs + 60_000))
        continue;
      counts.set(failure.order, (counts.get(failure.order) ?? 0) + 1);
    }
  return counts;
}
