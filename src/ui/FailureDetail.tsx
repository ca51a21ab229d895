// One failure report in full, selected from the failures list; Esc or Enter goes back.
import { Box, Text } from 'ink';
import { SectionTitle } from './SectionTitle.js';
import { failureDetailLines } from './failure-detail-lines.js';
import { useFragtop } from './StoreContext.js';

export function FailureDetail({
  width,
  maxLines,
  pageSize,
}: {
  width: number;
  maxLines: number;
  pageSize: number;
}) {
  const failures = useFragtop((s) => s.failures);
  const selected = useFragtop((s) => s.selectedFailure);
  // The list shows the newest first; `selected` counts from there.
  const failure = failures[failures.length - 1 - selected];
  if (!failure) return <Text>no failure selected</Text>;
  const lines = failureDetailLines(failure, pageSize);
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title="Allocation failure report · Enter or Esc to go back" />
      {lines.slice(0, Math.max(0, maxLines - 1)).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
