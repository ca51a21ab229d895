// Top slab caches, sorted by the chosen slabtop key; "needs root" when slabinfo cannot be read.
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { SlabRow } from '../analyze/snapshot-types.js';
import { SLAB_SORTS, sortSlabs, type SlabSortKey } from '../store/slab-sort.js';
import { humanBytes } from '../render/format.js';
import { slabHeader, slabLine } from '../render/slab-layout.js';
import { useDisplay } from './StoreContext.js';
import { SectionTitle } from './SectionTitle.js';

export interface SlabPanelProps {
  rows: readonly SlabRow[];
  sortKey: SlabSortKey;
  unavailable: string | undefined;
  width: number;
  maxLines: number;
}

export function SlabPanel({ rows, sortKey, unavailable, width, maxLines }: SlabPanelProps) {
  const sorted = useMemo(() => sortSlabs(rows, sortKey), [rows, sortKey]);
  const { color } = useDisplay();
  const sort = SLAB_SORTS.find((s) => s.key === sortKey);
  const room = Math.max(0, maxLines - 2);
  const totalBytes = useMemo(() => rows.reduce((sum, row) => sum + row.bytes, 0), [rows]);
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle
        width={width}
        title={`Slab caches by ${sort?.label ?? sortKey} · ${rows.length} caches · ${humanBytes(totalBytes)}`}
      />
      {unavailable ? (
        <Text wrap="truncate" color={color ? 'yellow' : undefined}>
          {unavailable === 'slabinfo needs root'
            ? 'slabinfo needs root: run fragtop as root to see slab caches'
            : unavailable}
        </Text>
      ) : (
        <>
          <Text wrap="truncate" dimColor>
            {slabHeader(width)}
          </Text>
          {sorted.slice(0, room).map((row, i) => (
            <Text key={`${row.name}-${i}`} wrap="truncate">
              {slabLine(row, width)}
            </Text>
          ))}
        </>
      )}
    </Box>
  );
}
