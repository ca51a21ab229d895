// A titled page of plain lines that scrolls (↑/↓, PgUp/PgDn): help, a failure report, the remediation dialog.
import { Box, Text } from 'ink';
import { SectionTitle } from './SectionTitle.js';
import { useScrollClamp } from './use-scroll-clamp.js';

export interface TextPageProps {
  title: string;
  lines: readonly string[];
  width: number;
  maxLines: number;
  /** First line to show; clamped so the last page is full. */
  scroll?: number;
}

export function TextPage({ title, lines, width, maxLines, scroll = 0 }: TextPageProps) {
  const room = Math.max(0, maxLines - 1);
  const first = Math.max(0, Math.min(scroll, lines.length - room));
  const below = Math.max(0, lines.length - first - room);
  useScrollClamp(scroll, Math.max(0, lines.length - room));
  const where =
    first > 0 || below > 0
      ? ` · lines ${first + 1}-${first + Math.min(room, lines.length)} of ${lines.length} (↑/↓ PgUp/PgDn)`
      : '';
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title={`${title}${where}`} />
      {lines.slice(first, first + room).map((line, i) => (
        <Text key={first + i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
