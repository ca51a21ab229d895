// A titled page of plain lines, cut to the lines it may use: help, a failure report, the remediation dialog.
import { Box, Text } from 'ink';
import { SectionTitle } from './SectionTitle.js';

export function TextPage({
  title,
  lines,
  width,
  maxLines,
}: {
  title: string;
  lines: readonly string[];
  width: number;
  maxLines: number;
}) {
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title={title} />
      {lines.slice(0, Math.max(0, maxLines - 1)).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
