// The remediation dialog, drawn in place of the panels while it is open; compaction shows its ceiling first.
import type { Dialog } from '../store/create-store.js';
import { selectDisplayed, targetOrderOf } from '../store/create-store.js';
import { dialogLines, dialogTitle } from '../render/dialog-lines.js';
import { ceilingBeforeLines } from '../render/pageblock-map-lines.js';
import { useFragtop } from './StoreContext.js';
import { TextPage } from './TextPage.js';

/** Whether the dialog is about compaction (the pageblock map's ceiling applies), not dropping caches. */
function isCompaction(dialog: Dialog): boolean {
  if (dialog.kind === 'choose-node') return true;
  if (dialog.kind === 'confirm') return dialog.action.kind === 'compact';
  if (dialog.kind === 'running') return dialog.path.includes('compact');
  if (dialog.kind === 'result') return dialog.performed.label.toLowerCase().includes('compact');
  return false;
}

export function DialogPanel({
  dialog,
  width,
  maxLines,
}: {
  dialog: Dialog;
  width: number;
  maxLines: number;
}) {
  const snapshot = useFragtop(selectDisplayed);
  const order = useFragtop(targetOrderOf);
  const lines = dialogLines(dialog);
  const before = isCompaction(dialog) ? [...ceilingBeforeLines(snapshot, order), ''] : [];
  return (
    <TextPage title={dialogTitle(dialog)} lines={[...before, ...lines]} width={width} maxLines={maxLines} />
  );
}
