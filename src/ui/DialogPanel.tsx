// The remediation dialog, drawn in place of the panels while it is open.
import { Box, Text } from 'ink';
import type { Dialog } from '../store/create-store.js';
import { dialogLines, dialogTitle } from './dialog-lines.js';
import { SectionTitle } from './SectionTitle.js';

export function DialogPanel({
  dialog,
  width,
  maxLines,
}: {
  dialog: Dialog;
  width: number;
  maxLines: number;
}) {
  const lines = dialogLines(dialog);
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title={dialogTitle(dialog)} />
      {lines.slice(0, Math.max(0, maxLines - 1)).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
