// The diagnosis of one snapshot at a target order, from the files it parsed; null without buddyinfo.
import { diagnose, type Diagnosis } from './diagnosis.js';
import type { Snapshot } from './snapshot-types.js';

export function diagnoseSnapshot(
  snapshot: Snapshot,
  targetOrder: number,
  culpritAdvice?: string,
): Diagnosis | null {
  const { buddy, zoneinfo, pageTypes, meminfo } = snapshot.parsed;
  if (!buddy) return null;
  return diagnose({
    kernel: snapshot.kernel,
    targetOrder,
    pageSizeBytes: snapshot.pageSizeBytes,
    buddy: buddy.zones,
    zoneinfo: zoneinfo?.zones,
    pagetypeFree: pageTypes?.free,
    pagetypeBlocks: pageTypes?.blocks,
    meminfo: meminfo ?? undefined,
    culpritAdvice,
    buddyDamage: snapshot.problems.find((problem) => problem.file === 'buddyinfo')?.message,
  });
}
