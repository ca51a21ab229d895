// The help screen, generated from the key table, plus what the zone columns mean.
import type { Mode } from '../store/create-store.js';
import { bindingsFor, type KeyBinding } from './keymap.js';
import { padRight } from './format.js';
import { TextPage } from './TextPage.js';

const SECTION_TITLES: Record<KeyBinding['section'], string> = {
  general: 'General',
  replay: 'Replay',
  remedies: 'Remedies (live, as root; not in --read-only or replay)',
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

export function helpLines(mode: Mode, readOnly: boolean): string[] {
  const lines: string[] = [];
  const bindings = bindingsFor(mode);
  for (const section of Object.keys(SECTION_TITLES) as KeyBinding['section'][]) {
    const inSection = bindings.filter((binding) => binding.section === section);
    if (!inSection.length) continue;
    lines.push(SECTION_TITLES[section]);
    for (const binding of inSection) lines.push(`  ${padRight(binding.label, 10)}${binding.description}`);
  }
  if (readOnly) lines.push('read-only: remediation keys are disabled');
  return [...lines, '', ...COLUMN_NOTES];
}

export function HelpScreen({
  mode,
  readOnly,
  width,
  maxLines,
}: {
  mode: Mode;
  readOnly: boolean;
  width: number;
  maxLines: number;
}) {
  return (
    <TextPage
      title="Help · ? or Esc to close"
      lines={helpLines(mode, readOnly)}
      width={width}
      maxLines={maxLines}
    />
  );
}
