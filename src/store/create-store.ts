// One vanilla store per app instance: the current snapshot, history, kernel-log failures and UI state.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Performed } from '../actions/performed.js';
import type { RemediationAction, RemediationTarget } from '../actions/remediation.js';
import type { RawFrame } from '../model/raw-frame.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { counterRates, trendCounterNames } from '../analyze/rates.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { appendToFailureLog, EMPTY_FAILURE_LOG, failureLogOf, type FailureLog } from './failure-log.js';
import { appendHistory, zoneId, type HistoryPoint } from './history.js';
import type { SlabSortKey } from './slab-sort.js';

export type Mode = 'live' | 'replay' | 'demo';
export type View = 'main' | 'help' | 'failures' | 'failure-detail';

/** The kernel's costly order: the default target when no failure suggests another. */
export const DEFAULT_TARGET_ORDER = 3;

export interface SourceNotes {
  pagetypeinfo: string | null;
  pageSize: string | null;
  kernelLog: string | null;
  recording: string | null;
}

/** Where a replay stands, for the position bar. */
export interface ReplayPosition {
  index: number;
  count: number;
  timeMs: number;
  startMs: number;
  endMs: number;
  speed: number;
  playing: boolean;
  file: string;
  warnings: string[];
}

/** The remediation dialog: choose, confirm, wait, then the measured result. */
export type Dialog =
  | { kind: 'choose-node'; allPath: string; nodes: { node: number; path: string }[] }
  | { kind: 'choose-drop'; path: string }
  | { kind: 'confirm'; action: RemediationAction; target: RemediationTarget }
  | { kind: 'running'; label: string; path: string }
  | { kind: 'result'; performed: Performed };

/** A one-line text prompt (replay's "jump to time"); keys go to it while it is open. */
export interface Prompt {
  label: string;
  value: string;
}

export interface FragtopState {
  mode: Mode;
  intervalMs: number;
  readOnly: boolean;
  /** The newest snapshot; sampling continues while paused. */
  latest: Snapshot | null;
  /** What the screen shows: the newest snapshot, or the one frozen by pause. */
  displayed: Snapshot | null;
  previousFrame: RawFrame | null;
  paused: boolean;
  /** What the other panels showed when pause was pressed; null while live. */
  frozen: {
    rates: Record<string, number | null>;
    history: HistoryPoint[];
    failures: AllocFailure[];
    suppressed: number;
  } | null;
  history: HistoryPoint[];
  rates: Record<string, number | null>;
  /** The kernel log kept for reports, and what was read from it. */
  failureLog: FailureLog;
  failures: AllocFailure[];
  suppressedFailures: number;
  /** `--order`, or the user's +/- choice; null means "pick from failures". */
  orderOverride: number | null;
  slabSort: SlabSortKey;
  view: View;
  showTypes: boolean;
  /** Index into `failures` (oldest first), so a new report does not move the selection. */
  selectedFailure: number;
  /** First line shown of a page view (help, a failure report). */
  pageScroll: number;
  notes: SourceNotes;
  /** A one-line message for the footer (e.g. "remediation disabled in replay"). */
  flash: string | null;
  ticks: number;
  replay: ReplayPosition | null;
  prompt: Prompt | null;
  dialog: Dialog | null;
  actions: FragtopActions;
}

export interface FragtopActions {
  ingest(frame: RawFrame): void;
  togglePause(): void;
  setSlabSort(key: SlabSortKey): void;
  setView(view: View): void;
  toggleTypes(): void;
  changeOrder(delta: number): void;
  /** Moves the selection by `delta` reports toward the newest (positive) or the oldest (negative). */
  selectFailure(delta: number): void;
  scrollPage(delta: number): void;
  setNotes(notes: Partial<SourceNotes>): void;
  setFlash(message: string | null): void;
  /** Replaces everything sampled so far; replay uses it when seeking. */
  reset(): void;
  /** Replaces the kernel log with `lines` (replay: all lines up to the current frame) and re-reads the failures. */
  setLog(lines: string[]): void;
  setReplay(position: ReplayPosition | null): void;
  setPrompt(prompt: Prompt | null): void;
  setDialog(dialog: Dialog | null): void;
}

export interface StoreOptions {
  mode?: Mode;
  intervalMs?: number;
  readOnly?: boolean;
  order?: number | null;
}

export type FragtopStore = StoreApi<FragtopState>;

/** The highest order among recent failures, else the costly order; `--order` and +/- win. */
export function targetOrderOf(state: Pick<FragtopState, 'orderOverride' | 'failures'>): number {
  if (state.orderOverride !== null) return state.orderOverride;
  const orders = state.failures
    .map((failure) => failure.order)
    .filter((order): order is number => order !== null);
  return orders.length ? Math.max(...orders) : DEFAULT_TARGET_ORDER;
}

const EMPTY_NOTES: SourceNotes = { pagetypeinfo: null, pageSize: null, kernelLog: null, recording: null };

export function createFragtopStore(options: StoreOptions = {}): FragtopStore {
  return createStore<FragtopState>()((set, get) => {
    const initial = {
      latest: null,
      displayed: null,
      previousFrame: null,
      paused: false,
      frozen: null,
      history: [],
      rates: {},
      failureLog: EMPTY_FAILURE_LOG,
      failures: [],
      suppressedFailures: 0,
      ticks: 0,
    };
    const actions: FragtopActions = {
      ingest(frame) {
        const state = get();
        const snapshot = buildSnapshot(frame);
        const previous = state.previousFrame;
        const rates = previous
          ? counterRates(
              state.latest?.vmstat,
              snapshot.vmstat,
              (frame.timeMs - previous.timeMs) / 1000,
              trendCounterNames(snapshot.vmstat),
            )
          : {};
        const point: HistoryPoint = {
          timeMs: frame.timeMs,
          zones: Object.fromEntries(snapshot.zones.map((zone) => [zoneId(zone), zone.freeBlocksByOrder])),
        };
        const log = frame.kmsg.length ? appendToFailureLog(state.failureLog, frame.kmsg) : null;
        set({
          latest: snapshot,
          displayed: state.paused ? state.displayed : snapshot,
          previousFrame: frame,
          history: appendHistory(state.history, point),
          rates,
          ticks: state.ticks + 1,
          ...(log ? { failureLog: log, failures: log.failures, suppressedFailures: log.suppressed } : {}),
        });
      },
      togglePause() {
        const { paused, latest, rates, history, failures, suppressedFailures } = get();
        set({
          paused: !paused,
          displayed: latest,
          frozen: paused ? null : { rates, history, failures, suppressed: suppressedFailures },
        });
      },
      setSlabSort(slabSort) {
        set({ slabSort });
      },
      setView(view) {
        set({ view, pageScroll: 0 });
      },
      toggleTypes() {
        set({ showTypes: !get().showTypes });
      },
      changeOrder(delta) {
        const state = get();
        const maxOrder = Math.max(0, (state.displayed?.orderCount ?? 11) - 1);
        const next = Math.min(maxOrder, Math.max(0, targetOrderOf(state) + delta));
        set({ orderOverride: next });
      },
      selectFailure(delta) {
        const { failures, selectedFailure } = get();
        const last = Math.max(0, failures.length - 1);
        set({ selectedFailure: Math.min(last, Math.max(0, selectedFailure + delta)), pageScroll: 0 });
      },
      scrollPage(delta) {
        // The page clamps the far end, which depends on its height.
        set({ pageScroll: Math.max(0, get().pageScroll + delta) });
      },
      setNotes(notes) {
        const current = get().notes;
        // Called every tick with the sources' notes: only a change is an update.
        const changed = (Object.keys(notes) as (keyof SourceNotes)[]).some(
          (key) => notes[key] !== current[key],
        );
        if (changed) set({ notes: { ...current, ...notes } });
      },
      setFlash(flash) {
        set({ flash });
      },
      reset() {
        set({ ...initial });
      },
      setLog(lines) {
        const log = failureLogOf(lines);
        const { selectedFailure, view } = get();
        // Seeking back in a replay can remove the report on screen: keep the selection inside the list.
        const selected = Math.min(selectedFailure, Math.max(0, log.failures.length - 1));
        const gone = view === 'failure-detail' && log.failures.length === 0;
        set({
          failureLog: log,
          failures: log.failures,
          suppressedFailures: log.suppressed,
          selectedFailure: selected,
          ...(gone ? { view: 'failures' as const } : {}),
        });
      },
      setReplay(replay) {
        set({ replay });
      },
      setPrompt(prompt) {
        set({ prompt });
      },
      setDialog(dialog) {
        set({ dialog });
      },
    };
    return {
      mode: options.mode ?? 'live',
      intervalMs: options.intervalMs ?? 1000,
      readOnly: options.readOnly ?? false,
      ...initial,
      orderOverride: options.order ?? null,
      slabSort: 'size',
      view: 'main',
      showTypes: false,
      selectedFailure: 0,
      pageScroll: 0,
      notes: EMPTY_NOTES,
      flash: null,
      replay: null,
      prompt: null,
      dialog: null,
      actions,
    };
  });
}

/** The panels' data: what was frozen by pause, else the latest. Each returns a stored reference (stable). */
export const selectShownRates = (s: FragtopState) => s.frozen?.rates ?? s.rates;
export const selectShownHistory = (s: FragtopState) => s.frozen?.history ?? s.history;
export const selectShownFailures = (s: FragtopState) => s.frozen?.failures ?? s.failures;
export const selectShownSuppressed = (s: FragtopState) => s.frozen?.suppressed ?? s.suppressedFailures;
