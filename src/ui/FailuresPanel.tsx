// The most recent kernel allocation failures: what failed, why, and where; newest first.
import { Box, Text } from 'ink';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { SectionTitle } from './SectionTitle.js';
import {
  failureCountText,
  failureExplanation,
  failureSummary,
  noFailuresText,
} from '../render/failure-text.js';
import { useDisplay } from './StoreContext.js';

export interface FailuresPanelProps {
  failures: readonly AllocFailure[];
  suppressed: number;
  logNote: string | null;
  /** Whether the kernel log could be read; null when unknown (replay). */
  logState?: 'read' | 'unreadable' | 'not-requested' | null;
  /** Reports read whose details were dropped (the oldest). */
  dropped?: number;
  pageSizeBytes: number;
  width: number;
  maxLines: number;
  selected: number | null;
}

export function FailuresPanel({
  failures,
  suppressed,
  logNote,
  logState = null,
  dropped = 0,
  pageSizeBytes,
  width,
  maxLines,
  selected,
}: FailuresPanelProps) {
  const { color } = useDisplay();
  const newestFirst = [...failures].reverse();
  const perFailure = 2;
  const room = Math.max(0, Math.floor((maxLines - 1) / perFailure));
  // `selected` indexes the oldest-first list; on screen the newest is on top, and the window follows the selection.
  const selectedRow = selected === null ? null : failures.length - 1 - selected;
  const first = selectedRow === null ? 0 : Math.max(0, selectedRow - room + 1);
  const unread = logState === 'unreadable' || logState === 'not-requested';
  const title = `Allocation failures · ${failureCountText(failures.length, dropped, unread)}${suppressed ? ` · ${suppressed} suppressed` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title={title} />
      {failures.length === 0 ? (
        <Text wrap="truncate" dimColor>
          {noFailuresText(logState, logNote)}
        </Text>
      ) : (
        newestFirst.slice(first, first + room).map((failure, i) => {
          const isSelected = selectedRow === first + i;
          return (
            <Box key={first + i} flexDirection="column">
              <Text wrap="truncate" inverse={isSelected && color} bold={isSelected}>
                {(isSelected ? '>' : ' ') + failureSummary(failure, pageSizeBytes)}
              </Text>
              <Text
                wrap="truncate"
                color={color ? (failure.cause === 'fragmentation' ? 'yellow' : 'red') : undefined}
              >
                {'   ' + failureExplanation(failure)}
              </Text>
            </Box>
          );
        })
      )}
    </Box>
  );
}
