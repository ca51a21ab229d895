// The help screen, generated from the key table, plus what the zone columns mean.
import type { Mode } from '../store/create-store.js';
import { bindingsFor, type KeyBinding } from './keymap.js';
import { padRight } from '../render/format.js';
import { TextPage } from './TextPage.js';

const SECTION_TITLES: Record<KeyBinding['section'], string> = {
  general: 'General',
  replay: 'Replay',
  remedies: 'Remedies (live, as root, not --read-only)',
  zones: 'Zones and target order',
  slabs: 'Slab caches',
  failures: 'Allocation failures',
};

export const COLUMN_NOTES = [
  "counts: free blocks of each size (buddyinfo); bar: share of the zone's free memory in that size",
  "green/red: an allocation of that order passes / fails the zone's min watermark now,",
  "           without direct reclaim or compaction (the kernel's own check for this kernel version)",
  '≥T: share of free memory in blocks of the target order or larger · top: largest free block',
];

function keyLines(mode: Mode, readOnly: boolean): string[][] {
  const sections: string[][] = [];
  const bindings = bindingsFor(mode);
  for (const section of Object.keys(SECTION_TITLES) as KeyBinding['section'][]) {
    const inSection = bindings.filter((binding) => binding.section === section);
    if (!inSection.length) continue;
    sections.push([
      SECTION_TITLES[section],
      ...inSection.map((binding) => `  ${padRight(binding.label, 10)}${binding.description}`),
    ]);
  }
  if (readOnly) sections.push(['read-only: remediation keys are disabled']);
  return sections;
}

/** The help text; in two columns (split between sections) when one column does not fit and the screen is wide. */
export function helpLines(
  mode: Mode,
  readOnly: boolean,
  width = 0,
  maxLines = Number.MAX_SAFE_INTEGER,
): string[] {
  const sections = keyLines(mode, readOnly);
  const single = sections.flat();
  const notes = ['', ...COLUMN_NOTES];
  if (single.length + notes.length <= maxLines || width < 100) return [...single, ...notes];
  const half = Math.floor(width / 2);
  const left: string[] = [];
  const right: string[] = [];
  for (const section of sections) (left.length < single.length / 2 ? left : right).push(...section);
  const rows = Math.max(left.length, right.length);
  const columns = Array.from(
    { length: rows },
    (_, i) => padRight(left[i] ?? '', half - 1) + ' ' + (right[i] ?? ''),
  );
  return [...columns, ...notes];
}

export function HelpScreen({
  mode,
  readOnly,
  width,
  maxLines,
  scroll,
}: {
  mode: Mode;
  readOnly: boolean;
  width: number;
  maxLines: number;
  scroll: number;
}) {
  return (
    <TextPage
      title="Help · ? or Esc to close"
      lines={helpLines(mode, readOnly, width, maxLines - 1)}
      width={width}
      maxLines={maxLines}
      scroll={scroll}
    />
  );
}
