// The text of the remediation dialog in each of its states, including the measured before/after.
import { terminalSafe } from '../parse/terminal-text.js';
import type { Dialog } from '../store/create-store.js';
import { blockLabel, durationLabel, humanBytes, padLeft, padRight } from './format.js';

const yesNo = (value: boolean | null): string => (value === null ? '?' : value ? 'yes' : 'no');

function change(before: number | null, after: number | null, format: (n: number) => string): string {
  if (before === null || after === null)
    return `${before === null ? '-' : format(before)} → ${after === null ? '-' : format(after)}`;
  const delta = after - before;
  return `${format(before)} → ${format(after)} (${delta >= 0 ? '+' : ''}${format(delta)})`;
}

export function dialogTitle(dialog: Dialog): string {
  switch (dialog.kind) {
    case 'choose-node':
      return 'Compact memory';
    case 'choose-drop':
      return 'Drop caches';
    case 'confirm':
      return 'Confirm';
    case 'running':
      return 'Running';
    case 'result':
      return dialog.performed.outcome.ok ? 'Result' : 'Not done';
  }
}

export function dialogLines(dialog: Dialog): string[] {
  // Paths and error messages come from outside: no control character reaches the terminal.
  return dialogText(dialog).map((line) => terminalSafe(line, 4096));
}

function dialogText(dialog: Dialog): string[] {
  switch (dialog.kind) {
    case 'choose-node':
      return [
        'Compact which memory?',
        `  a or Enter  all nodes (${dialog.allPath})`,
        ...dialog.nodes.map(({ node, path }) => `  ${node}           node ${node} only (${path})`),
        '  Esc         cancel',
      ];
    case 'choose-drop':
      return [
        `Drop which caches? (${dialog.path})`,
        '  1   page cache: clean file pages; files are read from disk again when used',
        '  2   slab objects: reclaimable dentries and inodes',
        '  3   both',
        '  Esc cancel',
      ];
    case 'confirm':
      return [
        `${dialog.target.description}.`,
        `Writes "${dialog.target.value}" to ${dialog.target.path}.`,
        `Cost: ${dialog.target.cost}`,
        '',
        'Go ahead? y to run, any other key cancels [y/N]',
      ];
    case 'running':
      return [`${dialog.label}: writing ${dialog.path}, then measuring again after 1 s…`];
    case 'result':
      return resultLines(dialog);
  }
}

function resultLines(dialog: Extract<Dialog, { kind: 'result' }>): string[] {
  const { performed } = dialog;
  const { outcome, effect } = performed;
  if (!outcome.ok)
    return [
      `${performed.label}: nothing was done.`,
      outcome.explanation,
      `(${outcome.code} writing ${outcome.path})`,
      ...(performed.audit.error ? [`audit log: ${performed.audit.error}`] : []),
      '',
      'any key closes',
    ];
  const lines = [
    `${performed.label}: wrote "${outcome.value}" to ${outcome.path} in ${durationLabel(Math.round(outcome.writeMs))}`,
  ];
  if (effect) {
    const order = effect.targetOrder;
    const size = blockLabel(effect.pageSizeBytes, order);
    const count = (n: number) => n.toLocaleString('en-US');
    const bytes = (pages: number) => humanBytes(pages * effect.pageSizeBytes);
    lines.push(performed.summary ?? '', '');
    lines.push(
      padRight('zone', 10) +
        padLeft(`≥${size} blocks before → after`, 34) +
        padLeft('free before → after', 28) +
        padLeft(`ok@${order}`, 12),
    );
    for (const zone of effect.zones)
      lines.push(
        padRight(`${zone.node} ${zone.zone}`, 10) +
          padLeft(change(zone.blocksBefore, zone.blocksAfter, count), 34) +
          padLeft(change(zone.freePagesBefore, zone.freePagesAfter, bytes), 28) +
          padLeft(`${yesNo(zone.canAllocateBefore)} → ${yesNo(zone.canAllocateAfter)}`, 12),
      );
    lines.push('', `order ${order} verdict: ${effect.verdict.before} → ${effect.verdict.after}`);
    const counters = Object.entries(effect.counterDeltas)
      .filter(([, delta]) => delta !== 0)
      .map(([name, delta]) => `${name} +${count(delta)}`);
    if (counters.length) lines.push(`counters: ${counters.join(' · ')}`);
    lines.push(
      `memory free ${change(effect.memory.freeBytes.before, effect.memory.freeBytes.after, humanBytes)} · cached ${change(effect.memory.cachedBytes.before, effect.memory.cachedBytes.after, humanBytes)}`,
    );
  }
  lines.push(
    performed.audit.error ? `audit log: ${performed.audit.error}` : `audit log: ${performed.audit.path}`,
    '',
    'any key closes',
  );
  return lines;
}
