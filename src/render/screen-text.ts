// Pure text of the header, notes and verdict banner, shared by the screen and `snapshot`'s text form.
import type { Diagnosis } from '../analyze/diagnosis.js';
import { adviceTexts, reasonText } from './diagnosis-text.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { Mode, SourceNotes } from '../store/create-store.js';
import { clockTime, durationLabel, humanBytes } from './format.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { memoryCgroupWarning, podImpactBanner } from './pod-impact-text.js';

export function headerText(
  snapshot: Snapshot | null,
  state: { mode: Mode; paused: boolean; intervalMs: number } | null,
): string {
  const parts = ['fragtop'];
  if (snapshot) {
    parts.push(
      snapshot.host ?? 'unknown host',
      snapshot.kernel ?? 'unknown kernel',
      `${humanBytes(snapshot.pageSizeBytes)} pages`,
    );
    const { totalBytes, freeBytes, availableBytes } = snapshot.memory;
    if (totalBytes !== null)
      parts.push(
        `mem ${humanBytes(totalBytes)} free ${humanBytes(freeBytes)} avail ${humanBytes(availableBytes)}`,
      );
  }
  if (state) parts.push(`${state.paused ? 'PAUSED' : state.mode} ${durationLabel(state.intervalMs)}`);
  if (snapshot) parts.push(clockTime(snapshot.timeMs));
  return parts.join(' · ');
}

/** Notes from the sources (pagetypeinfo back-off, unknown page size, recording); null when there are none. */
export function notesText(sources: SourceNotes): string | null {
  const notes = [sources.recording, sources.pagetypeinfo, sources.pageSize].filter((note): note is string =>
    Boolean(note),
  );
  return notes.length ? notes.join(' · ') : null;
}

/**
 * The verdict and the advice; before the advice, what failures cost (pod starts) and a memory-cgroup count near the
 * kernel's limit, when there is something to say.
 */
export function bannerLines(
  diagnosis: Diagnosis | null,
  snapshot: Snapshot | null,
  failures: readonly AllocFailure[] = [],
): [string, string] {
  const [first, second] = verdictLines(diagnosis, snapshot);
  const cost = snapshot ? podImpactBanner(failures, snapshot.timeMs) : null;
  const extra = [cost, memoryCgroupWarning(snapshot)].filter((part): part is string => part !== null);
  return [first, [...extra, second].filter(Boolean).join(' · ')];
}

function verdictLines(diagnosis: Diagnosis | null, snapshot: Snapshot | null): [string, string] {
  if (!diagnosis) {
    if (!snapshot) return ['reading memory state…', ''];
    const why = snapshot.unavailable.buddyinfo ?? 'buddyinfo lists no zones';
    return [`NO VERDICT: ${why}`, 'is --proc-root a proc directory (for a debug pod, /host/proc)?'];
  }
  const verdict = diagnosis.verdict === 'ok' ? 'OK' : diagnosis.verdict.toUpperCase();
  return [
    `ORDER ${diagnosis.targetOrder} ${verdict}: ${reasonText(diagnosis)}`,
    adviceTexts(diagnosis).join(' '),
  ];
}
