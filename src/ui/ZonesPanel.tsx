// Free blocks by order for every node/zone: counts, a bar per order, free memory, usable share, verdict.
import { useMemo, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import { migrateTypesByZone, type ZoneMigrateTypes } from '../analyze/migrate-types.js';
import type { Snapshot, ZoneSnapshot } from '../analyze/snapshot-types.js';
import { sparkline } from '../analyze/sparkline.js';
import { downsampleMin, type ZoneTrends } from '../store/select-trends.js';
import { ratesText } from '../render/rates-text.js';
import { blockLabel, padRight } from '../render/format.js';
import {
  barCells,
  countCells,
  shownOrders,
  tailCells,
  zoneHeader,
  zoneLabel,
  type ZoneColumns,
} from '../render/zones-layout.js';
import { zoneId } from '../parse/zone-key.js';
import { useDisplay } from './StoreContext.js';
import { useScrollClamp } from './use-scroll-clamp.js';
import { SectionTitle } from './SectionTitle.js';

export interface ZonesPanelProps {
  snapshot: Snapshot;
  /** Order-N blocks over time per zone id, oldest first. */
  trends: ZoneTrends;
  rates: Record<string, number | null>;
  targetOrder: number;
  width: number;
  layout: ZoneColumns;
  showBars: boolean;
  showTypes: boolean;
  /** Lines this panel may use, title included. */
  maxLines: number;
  /** First zone line shown, when there are more than fit (PgUp/PgDn). */
  scroll: number;
}

function cellColor(zone: ZoneSnapshot, order: number, color: boolean): string | undefined {
  if (!color || !zone.canAllocate) return undefined;
  return zone.canAllocate[order] ? 'green' : 'red';
}

/** Where a zone's order ≥ N free blocks are, by migrate type, and how its pageblocks are typed. */
export function migrateSummary(types: ZoneMigrateTypes, targetLabel: string): string {
  const held = Object.entries(types.freeBlocksAtOrAboveByType)
    .filter(([, blocks]) => blocks > 0)
    .map(([type, blocks]) => `${type} ${blocks}${types.lowerBoundTypes.includes(type) ? '+' : ''}`);
  const blocks = Object.entries(types.blocksByType).map(([type, count]) => `${type} ${count}`);
  const share =
    types.unmovableShare === null
      ? ''
      : ` (Unmovable+Reclaimable ${Math.round(types.unmovableShare * 100)}%)`;
  const warning = types.unmovableWarning ? ' ⚠ compaction can help little' : '';
  return `≥${targetLabel} free on: ${held.join(', ') || 'none'} · pageblocks: ${blocks.join(', ') || '?'}${share}${warning}`;
}

/** The lines a zones panel needs for this snapshot, to let the app share the screen out. */
export function ZonesPanel(props: ZonesPanelProps) {
  const { snapshot, targetOrder, width, layout, showBars, showTypes, maxLines, trends, rates, scroll } =
    props;
  const { cellWidth, labelWidth } = layout;
  const { color } = useDisplay();
  const pageTypes = snapshot.parsed.pageTypes;
  const migrate = useMemo(
    () => (showTypes && pageTypes ? migrateTypesByZone(pageTypes.free, pageTypes.blocks, targetOrder) : []),
    [showTypes, pageTypes, targetOrder],
  );
  const orders = shownOrders(snapshot.orderCount, layout);
  const trendWidth = Math.max(0, width - labelWidth - orders.length * cellWidth - 2);
  const targetLabel = blockLabel(snapshot.pageSizeBytes, targetOrder);
  const lines: ReactElement[] = [];
  const orderCount = snapshot.orderCount;
  for (const zone of snapshot.zones) {
    // The trends are keyed the same way.
    const key = zoneId(zone);
    const counts = countCells(zone.freeBlocksByOrder, orderCount, layout);
    lines.push(
      <Text key={key} wrap="truncate">
        <Text bold>{zoneLabel(zone, layout)}</Text>
        {counts.map((cell, i) => (
          <Text key={i} color={cellColor(zone, orders[i]!, color)} bold={orders[i] === targetOrder}>
            {cell.slice(0, -cell.trimStart().length)}
            {/* Without colour, pass and fail must still differ: passing counts are underlined, as a
                monochrome terminal shows them (an attribute, not a colour, so NO_COLOR allows it). */}
            <Text underline={!color && zone.canAllocate?.[orders[i]!] === true}>{cell.trimStart()}</Text>
          </Text>
        ))}
        {tailCells(zone, targetOrder, snapshot.pageSizeBytes, layout)}
      </Text>,
    );
    if (showBars) {
      const trend = trends[key] ?? [];
      lines.push(
        <Text key={`${key}-bar`} wrap="truncate">
          <Text color={color ? 'cyan' : undefined}>
            {' '.repeat(labelWidth) + barCells(zone, orderCount, layout).join('')}
          </Text>
          {trendWidth >= 8 && trend.length > 1 ? (
            <Text color={color ? 'magenta' : undefined}>
              {'  ' + sparkline(downsampleMin(trend, trendWidth - 2), trendWidth - 2)}
            </Text>
          ) : null}
        </Text>,
      );
    }
    if (showTypes) {
      // Without pagetypeinfo the reason is the same for every zone: say it once.
      if (!zone.freeByType && zone === snapshot.zones[0])
        lines.push(
          <Text key={`${key}-types`} wrap="truncate" dimColor>
            {`  migrate types: ${snapshot.unavailable.pagetypeinfo ?? 'not in pagetypeinfo'}`}
          </Text>,
        );
      for (const [type, blocks] of Object.entries(zone.freeByType ?? {})) {
        const cells = countCells(blocks, orderCount, layout);
        lines.push(
          <Text key={`${key}-${type}`} wrap="truncate" dimColor>
            {padRight(` ${type}`, labelWidth) + cells.join('')}
          </Text>,
        );
      }
      const types = migrate.find((m) => m.node === zone.node && m.zone === zone.zone);
      if (types) {
        const warn = types.unmovableWarning;
        lines.push(
          <Text key={`${key}-summary`} wrap="truncate" color={color && warn ? 'yellow' : undefined}>
            {'  ' + migrateSummary(types, targetLabel)}
          </Text>,
        );
      }
    }
  }
  lines.push(
    <Text key="rates" wrap="truncate" dimColor>
      {ratesText(rates)}
    </Text>,
  );
  const room = Math.max(0, maxLines - 2);
  // Many NUMA nodes give more lines than fit: PgUp/PgDn move through them; the rates line stays last.
  const first = Math.max(0, Math.min(scroll, lines.length - room));
  const shown = lines.slice(first, first + room);
  const hidden = lines.length - shown.length;
  const position =
    hidden > 0 ? ` · lines ${first + 1}-${first + shown.length} of ${lines.length}, PgUp/PgDn scroll` : '';
  const lastFirst = Math.max(0, lines.length - room);
  useScrollClamp(scroll, lastFirst);
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle
        width={width}
        title={`Free blocks by order · target order ${targetOrder} (${targetLabel})${position}${color ? '' : ' · underlined: passes the check'} · trend: order-${targetOrder} blocks, lowest per step`}
      />
      <Text wrap="truncate" dimColor>
        {zoneHeader(snapshot, targetOrder, layout)}
      </Text>
      {snapshot.zones.length === 0 ? (
        <Text wrap="truncate">{snapshot.unavailable.buddyinfo ?? 'no zones in buddyinfo'}</Text>
      ) : (
        shown
      )}
    </Box>
  );
}
