// The full decoded failure report as lines of text: header, flags, cause, culprit, Mem-Info free blocks, trace.
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { blockLabel, humanCount, padLeft, padRight } from './format.js';
import { failureTime } from './failure-text.js';
import { linkedPodLines } from './pod-impact-text.js';

const FLAG_SOURCE: Record<AllocFailure['flagsSource'], string> = {
  kernel: 'names printed by the kernel',
  decoded: 'decoded from the hex for this kernel version',
  unknown: 'kernel version unknown: names not decoded',
};

export function failureDetailLines(failure: AllocFailure, fallbackPageSize: number): string[] {
  const pageSizeBytes = failure.pageSizeBytes ?? fallbackPageSize;
  const lines: string[] = [];
  const order = failure.order < 0 ? '?' : `${failure.order} (${blockLabel(pageSizeBytes, failure.order)})`;
  lines.push(
    `${failure.kind === 'oom-kill' ? 'OOM kill' : 'Page allocation failure'} at ${failureTime(failure.time)}`,
  );
  lines.push(
    `process   ${failure.process}${failure.pid === null ? '' : ` pid ${failure.pid}`} · kernel ${failure.kernel ?? 'unknown'}`,
  );
  lines.push(`order     ${order} · mode ${failure.mode || '?'}`);
  lines.push(
    `flags     ${failure.flags.join('|') || '-'} (${failure.flagsNote ?? FLAG_SOURCE[failure.flagsSource]})`,
  );
  const placement = [
    failure.nodemask ? `nodemask=${failure.nodemask}` : null,
    failure.cpuset ? `cpuset=${failure.cpuset}` : null,
    failure.memsAllowed ? `mems_allowed=${failure.memsAllowed}` : null,
  ].filter(Boolean);
  if (placement.length) lines.push(`placement ${placement.join(' ')}`);
  lines.push(`cause     ${failure.cause}`);
  if (failure.culprit) {
    lines.push(`site      ${failure.culprit.title}`);
    if (failure.culprit.explanation) lines.push(`          ${failure.culprit.explanation}`);
    if (failure.culprit.advice) lines.push(`advice    ${failure.culprit.advice}`);
  }
  if (failure.suppressedBefore)
    lines.push(
      `          ${failure.suppressedBefore} similar reports were suppressed by the kernel before this one`,
    );
  const pods = linkedPodLines(failure);
  if (pods.length) lines.push('', ...pods);
  if (failure.zones && failure.zones.length) {
    const orders = Math.max(...failure.zones.map((zone) => zone.free.length));
    lines.push('', 'Free blocks at the time of the failure (Mem-Info)');
    lines.push(
      padRight('zone', 10) +
        Array.from({ length: orders }, (_, o) => padLeft(blockLabel(pageSizeBytes, o), 7)).join(''),
    );
    for (const zone of failure.zones)
      lines.push(
        padRight(`${zone.node} ${zone.zone}`, 10) +
          Array.from({ length: orders }, (_, o) => padLeft(humanCount(zone.free[o] ?? 0, 6), 7)).join(''),
      );
  }
  if (failure.trace.length) {
    lines.push('', 'Call trace');
    for (const frame of failure.trace) lines.push(`  ${frame}`);
  }
  return lines;
}
