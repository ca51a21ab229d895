// Free blocks by order for every node/zone: counts, a bar per order, free memory, usable share, verdict.
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { Snapshot, ZoneSnapshot } from '../analyze/snapshot-types.js';
import { blockLabel, humanCount, padLeft, padRight } from './format.js';
import { barCells, countCells, tailCells, zoneHeader, zoneLabel, ZONE_LABEL_WIDTH } from './zones-layout.js';
import { useDisplay } from './StoreContext.js';
import { SectionTitle } from './SectionTitle.js';

export interface ZonesPanelProps {
  snapshot: Snapshot;
  targetOrder: number;
  width: number;
  cellWidth: number;
  showBars: boolean;
  showTypes: boolean;
  /** Lines this panel may use, title included. */
  maxLines: number;
}

function cellColor(zone: ZoneSnapshot, order: number, color: boolean): string | undefined {
  if (!color || !zone.canAllocate) return undefined;
  return zone.canAllocate[order] ? 'green' : 'red';
}

/** The lines a zones panel needs for this snapshot, to let the app share the screen out. */
export function zonesPanelLines(snapshot: Snapshot, showBars: boolean, showTypes: boolean): number {
  const typeRows = showTypes
    ? snapshot.zones.reduce((sum, zone) => sum + Object.keys(zone.freeByType ?? {}).length, 0)
    : 0;
  return 2 + snapshot.zones.length * (showBars ? 2 : 1) + typeRows;
}

export function ZonesPanel(props: ZonesPanelProps) {
  const { snapshot, targetOrder, width, cellWidth, showBars, showTypes, maxLines } = props;
  const { color } = useDisplay();
  const lines: ReactElement[] = [];
  const orderCount = snapshot.orderCount;
  for (const zone of snapshot.zones) {
    const key = `${zone.node}/${zone.zone}`;
    const counts = countCells(zone, orderCount, cellWidth);
    lines.push(
      <Text key={key} wrap="truncate">
        <Text bold>{zoneLabel(zone)}</Text>
        {counts.map((cell, o) => (
          <Text key={o} color={cellColor(zone, o, color)} bold={o === targetOrder}>
            {cell}
          </Text>
        ))}
        {tailCells(zone, targetOrder, snapshot.pageSize)}
      </Text>,
    );
    if (showBars) {
      lines.push(
        <Text key={`${key}-bar`} wrap="truncate" color={color ? 'cyan' : undefined}>
          {' '.repeat(ZONE_LABEL_WIDTH) + barCells(zone, orderCount, cellWidth).join('')}
        </Text>,
      );
    }
    if (showTypes) {
      for (const [type, blocks] of Object.entries(zone.freeByType ?? {})) {
        const cells = Array.from({ length: orderCount }, (_, o) =>
          padLeft(humanCount(blocks[o] ?? 0, cellWidth - 1), cellWidth),
        );
        lines.push(
          <Text key={`${key}-${type}`} wrap="truncate" dimColor>
            {padRight(`  ${type}`, ZONE_LABEL_WIDTH) + cells.join('')}
          </Text>,
        );
      }
    }
  }
  const room = Math.max(0, maxLines - 2);
  const shown = lines.slice(0, room);
  const hidden = lines.length - shown.length;
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle
        width={width}
        title={`Free blocks by order · target order ${targetOrder} (${blockLabel(snapshot.pageSize, targetOrder)})${
          hidden > 0 ? ` · ${hidden} lines hidden: enlarge the terminal` : ''
        }`}
      />
      <Text wrap="truncate" dimColor>
        {zoneHeader(snapshot, targetOrder, cellWidth)}
      </Text>
      {snapshot.zones.length === 0 ? (
        <Text wrap="truncate">{snapshot.unavailable.buddyinfo ?? 'no zones in buddyinfo'}</Text>
      ) : (
        shown
      )}
    </Box>
  );
}
