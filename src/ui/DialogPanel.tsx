// The remediation dialog, drawn in place of the panels while it is open.
import type { Dialog } from '../store/create-store.js';
import { dialogLines, dialogTitle } from '../render/dialog-lines.js';
import { TextPage } from './TextPage.js';

export function DialogPanel({
  dialog,
  width,
  maxLines,
}: {
  dialog: Dialog;
  width: number;
  maxLines: number;
}) {
  return (
    <TextPage title={dialogTitle(dialog)} lines={dialogLines(dialog)} width={width} maxLines={maxLines} />
  );
}
