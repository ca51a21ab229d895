// The key table: every hotkey, what it does and where it applies. The help screen is generated from it.
import type { FragtopStore, Mode } from '../store/create-store.js';
import { SLAB_SORTS } from '../store/slab-sort.js';

/** Keys as named by `keyName()`: printable characters as themselves, plus a few named keys. */
export type KeyName = string;

export interface KeyContext {
  store: FragtopStore;
  quit(): void;
}

export interface KeyBinding {
  keys: KeyName[];
  /** How the help screen shows the keys, e.g. "p space". */
  label: string;
  description: string;
  section: 'general' | 'zones' | 'slabs' | 'failures';
  modes?: Mode[];
  run(context: KeyContext): void;
}

const slabBindings: KeyBinding[] = SLAB_SORTS.map((sort) => ({
  keys: [sort.hotkey],
  label: sort.hotkey,
  description: `sort slab caches by ${sort.label}`,
  section: 'slabs',
  run: ({ store }) => store.getState().actions.setSlabSort(sort.key),
}));

export const KEYMAP: readonly KeyBinding[] = [
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
    run: ({ store }) => {
      const { view, actions } = store.getState();
      actions.setView(view === 'help' ? 'main' : 'help');
    },
  },
  {
    keys: ['escape'],
    label: 'Esc',
    description: 'close help or detail',
    section: 'general',
    run: ({ store }) => store.getState().actions.setView('main'),
  },
  {
    keys: ['p', 'space'],
    label: 'p space',
    description: 'pause or resume the display (sampling goes on)',
    section: 'general',
    run: ({ store }) => store.getState().actions.togglePause(),
  },
  {
    keys: ['+', '='],
    label: '+',
    description: 'raise the target order',
    section: 'zones',
    run: ({ store }) => store.getState().actions.changeOrder(1),
  },
  {
    keys: ['-', '_'],
    label: '-',
    description: 'lower the target order',
    section: 'zones',
    run: ({ store }) => store.getState().actions.changeOrder(-1),
  },
  {
    keys: ['t'],
    label: 't',
    description: 'show or hide free blocks by migrate type',
    section: 'zones',
    run: ({ store }) => store.getState().actions.toggleTypes(),
  },
  ...slabBindings,
  {
    keys: ['f'],
    label: 'f',
    description: 'list allocation failures from the kernel log',
    section: 'failures',
    run: ({ store }) => {
      const { view, actions } = store.getState();
      actions.setView(view === 'failures' ? 'main' : 'failures');
    },
  },
  {
    keys: ['up', 'k'],
    label: '↑ k',
    description: 'select the previous failure',
    section: 'failures',
    run: ({ store }) => store.getState().actions.selectFailure(-1),
  },
  {
    keys: ['down', 'j'],
    label: '↓ j',
    description: 'select the next failure',
    section: 'failures',
    run: ({ store }) => store.getState().actions.selectFailure(1),
  },
  {
    keys: ['return'],
    label: 'Enter',
    description: 'open the selected failure report',
    section: 'failures',
    run: ({ store }) => {
      const { view, actions, failures } = store.getState();
      if (failures.length === 0) actions.setFlash('no allocation failures in the kernel log');
      else actions.setView(view === 'failure-detail' ? 'failures' : 'failure-detail');
    },
  },
];

/** Key bindings for a mode: a binding without `modes` applies everywhere. */
export function bindingsFor(mode: Mode): KeyBinding[] {
  return KEYMAP.filter((binding) => !binding.modes || binding.modes.includes(mode));
}

export function findBinding(mode: Mode, key: KeyName): KeyBinding | undefined {
  return bindingsFor(mode).find((binding) => binding.keys.includes(key));
}
