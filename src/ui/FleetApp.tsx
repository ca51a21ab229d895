// The fleet screen: one row per host sorted by risk; Enter opens a host's zones, drawn as the live screen draws them.
import { memo, useMemo } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { useStore } from 'zustand';
import { hostSnapshot } from '../analyze/fleet-host.js';
import type { FleetRow } from '../analyze/fleet.js';
import { blockLabel, clockTime, padRight } from '../render/format.js';
import {
  ageLabel,
  fleetColumns,
  fleetHeader,
  fleetRowText,
  fleetStatusLines,
  SORT_LABELS,
} from '../render/fleet-table.js';
import { zoneColumns } from '../render/zones-layout.js';
import { selectRows, type FleetStore, type FleetStoreState } from '../store/fleet-store.js';
import { findFleetBinding, fleetHelpLines } from './fleet-keymap.js';
import { keyName } from './Hotkeys.js';
import { SectionTitle } from './SectionTitle.js';
import { createFragtopStore } from '../store/create-store.js';
import { DisplayProvider, FragtopProvider } from './StoreContext.js';
import { TextPage } from './TextPage.js';
import { useTerminalSize } from './use-terminal-size.js';
import { ZonesPanel } from './ZonesPanel.js';

const VERDICT_COLORS: Record<string, string> = {
  ok: 'green',
  fragmentation: 'red',
  'low-memory': 'red',
  unknown: 'yellow',
  stopped: 'magenta',
};

function FleetKeysListener({ store, quit }: { store: FleetStore; quit: () => void }) {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      // Keys typed quickly arrive in one read: take them one by one, so `/low` opens the prompt and fills it.
      const names = (name.length > 1 && input === name && !key.ctrl && !key.meta ? [...name] : [name]).map(
        // Enter or backspace inside a burst of typed keys arrive as characters.
        (each) =>
          each === '\r' || each === '\n' ? 'return' : each === '\x7f' || each === '\b' ? 'backspace' : each,
      );
      for (const each of names) {
        const { prompt, view, actions } = store.getState();
        if (prompt === null) {
          findFleetBinding(view, each)?.run({ store, quit });
          continue;
        }
        if (each === 'ctrl-c') quit();
        else if (each === 'escape') actions.setPrompt(null);
        else if (each === 'return') actions.applyFilter(prompt.trim());
        else if (each === 'backspace') actions.setPrompt(prompt.slice(0, -1));
        // Printable characters only: a control character would move the cursor on the screen.
        else if (each.length === 1 && each >= ' ' && each !== '\x7f' && !key.ctrl && !key.meta)
          actions.setPrompt((prompt + each).slice(0, 100));
      }
    },
    { isActive: isRawModeSupported === true },
  );
  return null;
}

/** Renders nothing and never re-renders: keys read fresh state from the store. */
const FleetKeys = memo(FleetKeysListener);

function useFleet<T>(store: FleetStore, selector: (s: FleetStoreState) => T): T {
  return useStore(store, selector);
}

function rowColor(row: FleetRow, color: boolean): string | undefined {
  if (!color) return undefined;
  return VERDICT_COLORS[row.stale ? 'stopped' : row.verdict];
}

function FleetTable(props: { store: FleetStore; width: number; lines: number; color: boolean }) {
  const { store, width, lines, color } = props;
  const rows = useFleet(store, selectRows);
  const selected = useFleet(store, (s) => s.selected);
  const order = useFleet(store, (s) => s.order);
  const layout = useMemo(
    () => fleetColumns(width, Math.max(0, ...rows.map((r) => r.host.length))),
    [width, rows],
  );
  const room = Math.max(1, lines - 1);
  // Keep the selection in view: scroll by whole pages.
  const first = Math.floor(Math.min(selected, Math.max(0, rows.length - 1)) / room) * room;
  const shown = rows.slice(first, first + room);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold inverse={color}>
        {padRight(fleetHeader(layout, order), width)}
      </Text>
      {rows.length === 0 ? (
        <Text wrap="truncate">no hosts: no fragtop or node_exporter buddyinfo series match</Text>
      ) : (
        shown.map((row, i) => (
          <Text key={row.host} wrap="truncate" color={rowColor(row, color)} inverse={first + i === selected}>
            {padRight(fleetRowText(row, layout), width)}
          </Text>
        ))
      )}
    </Box>
  );
}

function FleetHost(props: { store: FleetStore; width: number; lines: number; color: boolean }) {
  const { store, width, lines, color } = props;
  // The zones panel belongs to the monitor and keeps its scroll in a monitor store: give it a private one.
  const panelStore = useMemo(() => createFragtopStore(), []);
  const host = useFleet(store, (s) => s.openHost);
  const record = useFleet(store, (s) => (host ? s.fleet.hosts[host] : undefined));
  const order = useFleet(store, (s) => s.order);
  const rows = useFleet(store, selectRows);
  const row = rows.find((r) => r.host === host);
  const snapshot = useMemo(() => (record ? hostSnapshot(record) : null), [record]);
  if (!record || !snapshot || !row)
    return <Text wrap="truncate">{`${host ?? '?'}: no data for this host (Esc: back)`}</Text>;
  const facts = [
    `${row.stale ? 'stopped reporting' : row.verdict} at order ${order}`,
    `source: ${row.source === 'fragtop' ? 'fragtop metrics' : 'node_exporter buddyinfo'}`,
    `last scrape ${ageLabel(row.ageSeconds)} ago`,
    `fail/1h ${row.failuresLastHour ?? '-'}`,
  ].join(' · ');
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle width={width} title={`${record.host} · Esc: back to the fleet`} />
      <Text wrap="truncate">{facts}</Text>
      {row.notes.map((note) => (
        <Text key={note} wrap="truncate" dimColor>
          {note}
        </Text>
      ))}
      {record.zonesReadAtMs === null ? (
        <Text wrap="truncate">{`reading every order of ${record.host}'s zones from Prometheus…`}</Text>
      ) : (
        <FragtopProvider store={panelStore} display={{ color }}>
          <ZonesPanel
            snapshot={snapshot}
            trends={{}}
            rates={{ compact_stall: row.stallsPerSecond }}
            targetOrder={order}
            width={width}
            layout={zoneColumns(snapshot.orderCount, width)}
            showBars
            showTypes={false}
            scroll={0}
            maxLines={Math.max(3, lines - 2 - row.notes.length)}
          />
        </FragtopProvider>
      )}
    </Box>
  );
}

export function FleetApp({ store, quit, color }: { store: FleetStore; quit: () => void; color: boolean }) {
  const { columns, rows: terminalRows } = useTerminalSize();
  const width = Math.max(40, columns);
  const fleet = useFleet(store, (s) => s.fleet);
  const url = useFleet(store, (s) => s.url);
  const nowMs = useFleet(store, (s) => s.nowMs);
  const order = useFleet(store, (s) => s.order);
  const sort = useFleet(store, (s) => s.sort);
  const filter = useFleet(store, (s) => s.filter);
  const prompt = useFleet(store, (s) => s.prompt);
  const view = useFleet(store, (s) => s.view);
  const helpScroll = useFleet(store, (s) => s.helpScroll);
  const rows = useFleet(store, selectRows);
  const failing = rows.filter(
    (r) => !r.stale && (r.verdict === 'fragmentation' || r.verdict === 'low-memory'),
  );
  const stopped = rows.filter((r) => r.stale).length;
  const status = fleetStatusLines(fleet, url, nowMs).slice(0, 3);
  const header = [
    'fragtop fleet',
    `${rows.length} hosts${failing.length ? `, ${failing.length} failing` : ''}${stopped ? `, ${stopped} stopped reporting` : ''}`,
    `order ${order} (${blockLabel(4096, order)})`,
    `sort: ${SORT_LABELS[sort]}`,
    filter ? `filter: "${filter}"` : '',
    nowMs ? clockTime(nowMs) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  // Never taller than rows - 1: header, status, body, footer.
  const bodyLines = Math.max(3, terminalRows - 1 - 1 - status.length - 1);
  const footer =
    prompt !== null
      ? `filter hosts: ${prompt}█  (Enter apply · Esc cancel)`
      : view === 'host'
        ? ' Esc back  +/- order  q quit  ? help'
        : ' q quit  ? help  ↑↓ select  Enter open  / filter  +/- order  r n b x M a S A sort';
  return (
    <DisplayProvider display={{ color }}>
      <Box flexDirection="column" width={width}>
        <FleetKeys store={store} quit={quit} />
        <Text wrap="truncate" bold>
          {header}
        </Text>
        {status.map((line, i) => (
          <Text
            key={i}
            wrap="truncate"
            color={color && (fleet.down || i > 0) ? 'red' : undefined}
            dimColor={!fleet.down && i === 0}
          >
            {line}
          </Text>
        ))}
        {view === 'help' ? (
          <TextPage
            title="Fleet help · ? or Esc to close"
            lines={fleetHelpLines()}
            width={width}
            maxLines={bodyLines}
            scroll={helpScroll}
          />
        ) : view === 'host' ? (
          <FleetHost store={store} width={width} lines={bodyLines} color={color} />
        ) : (
          <FleetTable store={store} width={width} lines={bodyLines} color={color} />
        )}
        <Text wrap="truncate" dimColor>
          {footer}
        </Text>
      </Box>
    </DisplayProvider>
  );
}
