// The key table: every hotkey, what it does and where it applies. The help screen is generated from it.
import type { Controllers } from '../controllers/controllers.js';
import type { ReplayPlayer } from '../controllers/replay-player.js';
import { noFailuresText } from '../render/failure-text.js';
import { selectFailures, type FragtopState, type FragtopStore, type Mode } from '../store/create-store.js';
import { SLAB_SORTS } from '../store/slab-sort.js';

/** The flash when there is no report to open: "none" only when the kernel log was read. */
function noFailuresFlash(state: FragtopState): string {
  const { kernelLogState, kernelLog } = state.notes.sources;
  return kernelLogState === null || kernelLogState === 'read'
    ? 'no allocation failures in the kernel log'
    : `allocation failures ${noFailuresText(kernelLogState, kernelLog)}`;
}

/** Keys as named by `keyName()`: printable characters as themselves, plus a few named keys. */
export type KeyName = string;

/** One state handed to every binding: the store and the controllers. */
export interface KeyContext extends Controllers {
  store: FragtopStore;
}

const PAGE_STEP = 10;

/** ↑/↓ scroll a page view, else move the failure selection (the list shows the newest at the top). */
function moveOrScroll(store: FragtopStore, down: 1 | -1): void {
  const { view, actions } = store.getState();
  if (view.view === 'help' || view.view === 'failure-detail' || view.view === 'events')
    actions.scrollPage(down);
  else actions.selectFailure(-down);
}

const DISABLED_IN_REPLAY = 'remediation is disabled in replay: it would act on this machine';

function remediate(kind: 'compact' | 'drop-caches'): KeyBinding['run'] {
  return ({ store, remediation }) => {
    if (remediation) remediation.begin(kind);
    else store.getState().actions.setFlash(DISABLED_IN_REPLAY);
  };
}

const REPLAY_MODES: Mode[] = ['replay', 'demo'];

function withPlayer(run: (player: ReplayPlayer, context: KeyContext) => void): KeyBinding['run'] {
  return (context) => {
    if (context.player) run(context.player, context);
  };
}

export interface KeyBinding {
  keys: KeyName[];
  /** How the help screen shows the keys, e.g. "p space". */
  label: string;
  description: string;
  section: 'general' | 'replay' | 'remedies' | 'zones' | 'slabs' | 'failures';
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
      actions.setView(view.view === 'help' ? 'main' : 'help');
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
    modes: ['live'],
    run: ({ store }) => store.getState().actions.togglePause(),
  },
  {
    keys: ['space', 'p'],
    label: 'space p',
    description: 'play or pause the replay',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.togglePlay()),
  },
  {
    keys: ['left'],
    label: '←',
    description: 'one frame back',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.step(-1)),
  },
  {
    keys: ['right'],
    label: '→',
    description: 'one frame forward',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.step(1)),
  },
  {
    keys: ['['],
    label: '[',
    description: 'slower (down to 0.25x)',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.changeSpeed(-1)),
  },
  {
    keys: [']'],
    label: ']',
    description: 'faster (up to 64x)',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.changeSpeed(1)),
  },
  {
    keys: ['g', 'home'],
    label: 'g',
    description: 'go to the first frame',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.seek(0)),
  },
  {
    keys: ['G', 'end'],
    label: 'G',
    description: 'go to the last frame',
    section: 'replay',
    modes: REPLAY_MODES,
    run: withPlayer((player) => player.seek(Number.MAX_SAFE_INTEGER)),
  },
  {
    keys: ['t'],
    label: 't',
    description: 'jump to a time: -5m, +30s, 14:15:31 or an ISO date',
    section: 'replay',
    modes: REPLAY_MODES,
    run: ({ store }) => store.getState().actions.setPrompt({ label: 'jump to', value: '' }),
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
    keys: ['m'],
    label: 'm',
    description: 'free blocks by migrate type (pagetypeinfo)',
    section: 'zones',
    run: ({ store }) => store.getState().actions.toggleTypes(),
  },
  {
    keys: ['M'],
    label: 'M',
    description: 'pageblock map and compaction ceiling (/proc/kpageflags, root; read every 10 s while open)',
    section: 'zones',
    run: ({ store }) => {
      const { view, actions } = store.getState();
      actions.setView(view.view === 'map' ? 'main' : 'map');
    },
  },
  {
    keys: ['e'],
    label: 'e',
    description: 'who fragments: trace events per process (tracefs, root; traced only while open)',
    section: 'zones',
    run: ({ store }) => {
      const { view, actions } = store.getState();
      actions.setView(view.view === 'events' ? 'main' : 'events');
    },
  },
  {
    keys: ['R'],
    label: 'R',
    description: 'record to ./fragtop-HOST-TIME.ftr, or stop',
    section: 'general',
    modes: ['live'],
    run: ({ recorder }) => recorder?.toggle(),
  },
  {
    keys: ['c'],
    label: 'c',
    description: 'compact memory; asks y/N, shows the effect',
    section: 'remedies',
    run: remediate('compact'),
  },
  {
    keys: ['d'],
    label: 'd',
    description: 'drop caches (1, 2 or 3); asks y/N, shows the effect',
    section: 'remedies',
    run: remediate('drop-caches'),
  },
  ...slabBindings,
  {
    keys: ['f'],
    label: 'f',
    description: "list the kernel's allocation failures",
    section: 'failures',
    run: ({ store }) => {
      const state = store.getState();
      const { view, actions } = state;
      if (view.view === 'failures') return actions.setView('main');
      if (selectFailures(state).length === 0 && state.notes.sources.kernelLogState === 'unreadable')
        actions.setFlash(noFailuresFlash(state));
      actions.setView('failures');
      actions.selectFailure(Number.MAX_SAFE_INTEGER);
    },
  },
  {
    keys: ['up', 'k'],
    label: '↑ k',
    description: 'select a newer failure; scroll up in help and reports',
    section: 'failures',
    run: ({ store }) => moveOrScroll(store, -1),
  },
  {
    keys: ['down', 'j'],
    label: '↓ j',
    description: 'select an older failure; scroll down in help and reports',
    section: 'failures',
    run: ({ store }) => moveOrScroll(store, 1),
  },
  {
    keys: ['pageup'],
    label: 'PgUp',
    description: 'scroll help, reports and many zones up a page',
    section: 'general',
    run: ({ store }) => store.getState().actions.scrollPage(-PAGE_STEP),
  },
  {
    keys: ['pagedown'],
    label: 'PgDn',
    description: 'scroll help, reports and many zones down a page',
    section: 'general',
    run: ({ store }) => store.getState().actions.scrollPage(PAGE_STEP),
  },
  {
    keys: ['return'],
    label: 'Enter',
    description: 'open the selected failure report',
    section: 'failures',
    run: ({ store }) => {
      const state = store.getState();
      const { view, actions } = state;
      if (selectFailures(state).length === 0) actions.setFlash(noFailuresFlash(state));
      else actions.setView(view.view === 'failure-detail' ? 'failures' : 'failure-detail');
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
