// The fleet screen's key table: every hotkey, what it does and in which view. Its help is generated from it.
import type { FleetSort } from '../analyze/fleet.js';
import { SORT_LABELS } from '../render/fleet-table.js';
import type { FleetStore, FleetView } from '../store/fleet-store.js';

export interface FleetKeyContext {
  store: FleetStore;
  quit: () => void;
}

export interface FleetKeyBinding {
  keys: string[];
  label: string;
  description: string;
  section: 'general' | 'hosts' | 'sort';
  /** Views where the key works; all when absent. */
  views?: FleetView[];
  run(context: FleetKeyContext): void;
}

/** Sort keys; `n` (name) and `a` (allocations) are the live screen's letters where a meaning carries over. */
const SORT_KEYS: [string, FleetSort][] = [
  ['r', 'risk'],
  ['n', 'name'],
  ['b', 'blocks'],
  ['x', 'frag'],
  ['M', 'free'],
  ['a', 'failures'],
  ['S', 'stalls'],
  ['A', 'age'],
];

export const FLEET_KEYMAP: readonly FleetKeyBinding[] = [
  {
    keys: ['q', 'ctrl-c'],
    label: 'q ^C',
    description: 'quit',
    section: 'general',
    run: ({ quit }) => quit(),
  },
  {
    keys: ['?', 'h'],
    label: '? h',
    description: 'show or hide this help',
    section: 'general',
    run: ({ store }) => store.getState().actions.toggleHelp(),
  },
  {
    keys: ['escape'],
    label: 'Esc',
    description: 'back to the table (from a host or the help)',
    section: 'general',
    run: ({ store }) => store.getState().actions.back(),
  },
  {
    keys: ['+', '='],
    label: '+',
    description: 'raise the order asked about',
    section: 'hosts',
    run: ({ store }) => store.getState().actions.changeOrder(1),
  },
  {
    keys: ['-', '_'],
    label: '-',
    description: 'lower the order asked about',
    section: 'hosts',
    run: ({ store }) => store.getState().actions.changeOrder(-1),
  },
  {
    keys: ['/'],
    label: '/',
    description: 'filter by host name (Enter applies, Esc cancels, empty clears)',
    section: 'hosts',
    views: ['table'],
    run: ({ store }) => store.getState().actions.setPrompt(store.getState().filter),
  },
  {
    keys: ['up', 'k'],
    label: '↑ k',
    description: 'select the host above; scroll up in help',
    section: 'hosts',
    run: ({ store }) => {
      const { view, actions } = store.getState();
      if (view === 'help') actions.scrollHelp(-1);
      else actions.select(-1);
    },
  },
  {
    keys: ['down', 'j'],
    label: '↓ j',
    description: 'select the host below; scroll down in help',
    section: 'hosts',
    run: ({ store }) => {
      const { view, actions } = store.getState();
      if (view === 'help') actions.scrollHelp(1);
      else actions.select(1);
    },
  },
  {
    keys: ['return'],
    label: 'Enter',
    description: "open the selected host's zones (from Prometheus)",
    section: 'hosts',
    views: ['table'],
    run: ({ store }) => store.getState().actions.openSelected(),
  },
  ...SORT_KEYS.map(([key, sort]): FleetKeyBinding => ({
    keys: [key],
    label: key,
    description: `sort by ${SORT_LABELS[sort]}`,
    section: 'sort',
    run: ({ store }) => store.getState().actions.setSort(sort),
  })),
];

export function findFleetBinding(view: FleetView, key: string): FleetKeyBinding | undefined {
  return FLEET_KEYMAP.find((b) => b.keys.includes(key) && (!b.views || b.views.includes(view)));
}

const SECTION_TITLES: Record<FleetKeyBinding['section'], string> = {
  general: 'General',
  hosts: 'Hosts and order',
  sort: 'Sort',
};

/** The help page, generated from the table. */
export function fleetHelpLines(): string[] {
  const lines: string[] = [];
  for (const section of Object.keys(SECTION_TITLES) as FleetKeyBinding['section'][]) {
    lines.push(SECTION_TITLES[section]);
    for (const b of FLEET_KEYMAP.filter((binding) => binding.section === section))
      lines.push(`  ${b.label.padEnd(10)}${b.description}`);
  }
  lines.push(
    '',
    'order N: ok / fragmentation / low-memory / unknown, from the watermark checks fragtop exports per zone;',
    "         stopped: the host is no longer in Prometheus' answers (its last values are shown, with their age)",
    'ok@N: order-N blocks in the zones that pass the check; N? with node_exporter buddyinfo alone (no zoneinfo)',
    'frag: the worst fragmentation index at N (-1: a block is free; near 1: fragmentation; near 0: low memory)',
    'fail/1h: allocation failures in the kernel log over the last hour · stall/s: direct compaction stalls',
    'risk: 1 / (1 + blocks / 16), the same as the fragtop:order_risk_score recording rule in deploy/',
  );
  return lines;
}
