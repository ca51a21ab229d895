// One vanilla store per app instance: the current snapshot, history, kernel-log failures and UI state.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RawFrame } from '../model/raw-frame.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { counterRates, TREND_COUNTERS } from '../analyze/rates.js';
import { parseAllocFailures, type AllocFailure } from '../parse/alloc-failure.js';
import { appendHistory, zoneId, type HistoryPoint } from './history.js';
import type { SlabSortKey } from './slab-sort.js';

export type Mode = 'live' | 'replay' | 'demo';
export type View = 'main' | 'help' | 'failures' | 'failure-detail';

/** Kernel-log lines kept for re-parsing reports; a report is a few hundred lines at most. */
export const LOG_LINE_LIMIT = 20_000;
/** The kernel's costly order: the default target when no failure suggests another. */
export const DEFAULT_TARGET_ORDER = 3;

export interface SourceNotes {
  pagetypeinfo: string | null;
  pageSize: string | null;
  kernelLog: string | null;
  recording: string | null;
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
  history: HistoryPoint[];
  rates: Record<string, number | null>;
  logLines: string[];
  failures: AllocFailure[];
  suppressedFailures: number;
  /** `--order`, or the user's +/- choice; null means "pick from failures". */
  orderOverride: number | null;
  slabSort: SlabSortKey;
  view: View;
  showTypes: boolean;
  selectedFailure: number;
  notes: SourceNotes;
  /** A one-line message for the footer (e.g. "remediation disabled in replay"). */
  flash: string | null;
  ticks: number;
  actions: FragtopActions;
}

export interface FragtopActions {
  ingest(frame: RawFrame): void;
  togglePause(): void;
  setSlabSort(key: SlabSortKey): void;
  setView(view: View): void;
  toggleTypes(): void;
  changeOrder(delta: number): void;
  selectFailure(delta: number): void;
  setNotes(notes: Partial<SourceNotes>): void;
  setFlash(message: string | null): void;
  /** Replaces everything sampled so far; replay uses it when seeking backwards. */
  reset(): void;
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
      history: [],
      rates: {},
      logLines: [],
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
              TREND_COUNTERS,
            )
          : {};
        const point: HistoryPoint = {
          timeMs: frame.timeMs,
          zones: Object.fromEntries(snapshot.zones.map((zone) => [zoneId(zone), zone.freeBlocksByOrder])),
        };
        const log = frame.kmsg.length ? appendLog(state.logLines, frame.kmsg) : null;
        const failureLog = log ? parseAllocFailures(log, 'kernel log').value : null;
        set({
          latest: snapshot,
          displayed: state.paused ? state.displayed : snapshot,
          previousFrame: frame,
          history: appendHistory(state.history, point),
          rates,
          ticks: state.ticks + 1,
          ...(log && failureLog
            ? {
                logLines: log,
                failures: failureLog.failures,
                suppressedFailures: failureLog.suppressedTotal,
              }
            : {}),
        });
      },
      togglePause() {
        const { paused, latest } = get();
        set({ paused: !paused, displayed: latest });
      },
      setSlabSort(slabSort) {
        set({ slabSort });
      },
      setView(view) {
        set({ view });
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
        set({ selectedFailure: Math.min(last, Math.max(0, selectedFailure + delta)) });
      },
      setNotes(notes) {
        set({ notes: { ...get().notes, ...notes } });
      },
      setFlash(flash) {
        set({ flash });
      },
      reset() {
        set({ ...initial });
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
      notes: EMPTY_NOTES,
      flash: null,
      actions,
    };
  });
}

function appendLog(lines: readonly string[], added: readonly string[]): string[] {
  const all = [...lines, ...added];
  return all.length > LOG_LINE_LIMIT ? all.slice(all.length - LOG_LINE_LIMIT) : all;
}
