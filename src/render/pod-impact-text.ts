// Words for the pods a kernel failure cost and for the neighbouring memory events: panel, banner, detail, snapshot.
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { memoryEventExplanation } from '../analyze/explain-memory-event.js';
import type { LinkedPod, PodLinkSummary } from '../analyze/pod-impact.js';
import { podStartsByOrder } from '../analyze/pod-impact.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { KernelMemoryEvent } from '../parse/kernel-memory-events.js';
import type { PodRef } from '../parse/pod-start-line.js';
import { failureTime, podLabel } from './failure-text.js';

export { podLabel };

const HOUR_MS = 3_600_000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** One line a pod for the failure's detail page. */
export function linkedPodLines(failure: AllocFailure): string[] {
  const pods = failure.pods ?? [];
  if (pods.length === 0) return [];
  return [
    `Pods whose start failed with it (${pods.length}):`,
    ...pods.map((pod) => {
      const uid = pod.uid !== null && pod.name !== null ? ` uid ${pod.uid}` : '';
      const delay =
        pod.delaySeconds === null ? '' : ` ${pod.delaySeconds >= 0 ? '+' : ''}${pod.delaySeconds}s`;
      return `  ${podLabel(pod)}${uid}  ${pod.step}${delay}  ${pod.errorMatch ?? ''}`.trimEnd();
    }),
  ];
}

/**
 * The banner's pod line: "order 6 failures cost 14 pod starts in the last hour". When none were in the hour but
 * some are in the log (a fixture, an old log), the count and the last one's time. Null when none were linked.
 */
export function podImpactBanner(failures: readonly AllocFailure[], nowMs: number): string | null {
  const recent = podStartsByOrder(failures, nowMs, HOUR_MS);
  const describe = (counts: Map<number, number>) =>
    [...counts.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([order, n]) => `order ${order} failures cost ${plural(n, 'pod start')}`)
      .join(', ');
  if (recent.size > 0) return `${describe(recent)} in the last hour`;
  const all = podStartsByOrder(failures);
  if (all.size === 0) return null;
  const last = failures
    .flatMap((failure) => failure.pods ?? [])
    .map((pod: LinkedPod) => pod.time)
    .filter((time): time is string => time !== null)
    .sort()
    .pop();
  return `${describe(all)} in the log read${last ? ` (the last ${failureTime(last)})` : ''}`;
}

/** The panel title's pod count: ` · 1 pod start failed with them`; '' when none. */
export function podCountTitle(failures: readonly AllocFailure[]): string {
  const n = failures.reduce((sum, failure) => sum + (failure.pods?.length ?? 0), 0);
  return n === 0 ? '' : ` · ${plural(n, 'pod start')} failed with them`;
}

/** A line on pod starts not linked: they are never presented as caused by fragmentation. */
export function unlinkedPodsText(summary: PodLinkSummary): string | null {
  if (summary.podStartFailures === 0) return null;
  const parts = [`${plural(summary.unlinked, 'pod start failure')} not linked to an allocation failure`];
  if (summary.incomparable > 0)
    parts.push(
      `${summary.incomparable} of them could not be compared: kernel times are seconds since boot and the boot time is unknown`,
    );
  return `${parts.join('; ')} (link window ${summary.windowSeconds.before} s before to ${summary.windowSeconds.after} s after a report, runtime error of the namespace/cgroup kind)`;
}

/** One line for a SLUB / stall / vmalloc event. */
export function memoryEventSummary(event: KernelMemoryEvent, pod: PodRef | null): string {
  const time = failureTime(event.time);
  if (event.kind === 'slub') {
    const full =
      event.nodes.length > 0 && event.nodes.every((node) => node.free === 0) ? ', no free objects' : '';
    const memcg = event.memcgId !== null ? ` memcg ${event.memcgId}` : '';
    const container = event.cgroupName ? ` container ${event.cgroupName.slice(0, 12)}` : '';
    const who = pod ? ` pod ${podLabel(pod)}` : '';
    return `${time} SLUB ${event.cache ?? 'cache ?'}${memcg}${container}${who} gfp ${event.mode ?? '?'}${full}`;
  }
  if (event.kind === 'stall')
    return `${time} ${event.process} stalled ${event.stallMs.toLocaleString('en-US')} ms for order ${event.order}`;
  return `${time} ${event.process ?? 'vmalloc'} vmalloc of ${event.bytes.toLocaleString('en-US')} bytes failed`;
}

/** The event's explanation and advice, one line each. */
export function memoryEventAdvice(kind: KernelMemoryEvent['kind'] | 'memcg-ids'): [string, string] {
  const { title, explanation, advice } = memoryEventExplanation(kind);
  return [`${title}: ${explanation}`, `advice: ${advice}`];
}

/** "memory cgroups 65,210 of 65,535: leaked cgroups; new pods will fail" when high; null otherwise or unknown. */
export function memoryCgroupWarning(snapshot: Snapshot | null): string | null {
  const m = snapshot?.memoryCgroups;
  if (!m || m.count === null || !m.high) return null;
  const full = m.count >= m.limit;
  return `memory cgroups ${m.count.toLocaleString('en-US')} of ${m.limit.toLocaleString('en-US')}: leaked cgroups; new pods ${full ? 'fail' : 'will fail'}`;
}
