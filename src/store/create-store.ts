// One vanilla store per app instance, in slices: the session, the sample (collected data), pause, view state,
// the remediation dialog, replay, and notes. Collected data lives apart from what the user is looking at.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Performed } from '../actions/performed.js';
import type { RemediationAction, RemediationTarget } from '../actions/remediation.js';
import { advance } from '../analyze/advance.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { KernelLogReadState } from '../model/kernel-log-state.js';
import type { RawFrame } from '../model/raw-frame.js';
import { terminalSafe, terminalSafeOrNull } from '../parse/terminal-text.js';
import { appendToFailureLog, EMPTY_FAILURE_LOG, failureLogOf, type FailureLog } from './failure-log.js';
import { appendHistory, type HistoryPoint } from './history.js';
import type { SlabSortKey } from './slab-sort.js';

export type Mode = 'live' | 'replay' | 'demo';
export type View = 'main' | 'help' | 'failures' | 'failure-detail' | 'map' | 'events';

/** The kernel's costly order: the default target when no failure suggests another. */
export const DEFAULT_TARGET_ORDER = 3;

export interface SourceNotes {
  pagetypeinfo: string | null;
  pageSize: string | null;
  kernelLog: string | null;
  /** Whether the kernel log could be read; null when nobody said (a replay: recordings do not keep it). */
  kernelLogState: KernelLogReadState | null;
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

/** What the program is: fixed for its life. */
export interface SessionSlice {
  mode: Mode;
  intervalMs: number;
  readOnly: boolean;
  /** Year-less kernel-log times are no later than this (a log file's mtime); else the frame's capture time. */
  logTimeReferenceMs: number | null;
}

/** What was collected: the newest snapshot and what needs more than one frame. */
export interface SampleSlice {
  latest: Snapshot | null;
  previousFrame: RawFrame | null;
  history: HistoryPoint[];
  rates: Record<string, number | null>;
  /** The kernel log kept for reports, and the reports read from it. */
  failureLog: FailureLog;
  ticks: number;
}

/** What the user is looking at and how. */
export interface ViewSlice {
  view: View;
  /** `--order`, or the user's +/- choice; null means "pick from failures". */
  orderOverride: number | null;
  slabSort: SlabSortKey;
  showTypes: boolean;
  /** Index into the failures (oldest first), so a new report does not move the selection. */
  selectedFailure: number;
  /** First line shown of a page view (help, a failure report). */
  pageScroll: number;
}

export interface ReplaySlice {
  position: ReplayPosition | null;
  prompt: Prompt | null;
}

export interface NotesSlice {
  sources: SourceNotes;
  /** A one-line message for the footer (e.g. "remediation disabled in replay"). */
  flash: string | null;
}

export interface FragtopState {
  session: SessionSlice;
  sample: SampleSlice;
  /** The sample as it was when pause was pressed (every panel shows it); null while live. */
  pause: SampleSlice | null;
  view: ViewSlice;
  dialog: Dialog | null;
  replay: ReplaySlice;
  notes: NotesSlice;
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
  /** Brings the scroll back to `max` when a page turned out shorter than the keys went (so PgUp moves at once). */
  clampPageScroll(max: number): void;
  setNotes(notes: Partial<SourceNotes>): void;
  setFlash(message: string | null): void;
  /** Replaces everything sampled so far; replay uses it when seeking. */
  reset(): void;
  /** Replaces the kernel log with `lines` (replay: all lines up to the current frame) and re-reads the failures. */
  setLog(lines: string[]): void;
  /** Year-less kernel-log times get their year from this time (a --kmsg file's modification time). */
  setLogTimeReference(ms: number | null): void;
  setReplay(position: ReplayPosition | null): void;
  setPrompt(prompt: Prompt | null): void;
  setDialog(dialog: Dialog | null): void;
}

export interface StoreOptions {
  mode?: Mode;
  intervalMs?: number;
  readOnly?: boolean;
  order?: number | null;
  /** The slab order to start with (-s). */
  slabSort?: SlabSortKey | null;
}

export type FragtopStore = StoreApi<FragtopState>;

/** The live reports (not the paused copy): the target order follows new failures even while paused. */
export const selectFailures = (s: FragtopState): AllocFailure[] => s.sample.failureLog.failures;

/** The highest order among recent failures, else the costly order; `--order` and +/- win. */
export function targetOrderOf(state: FragtopState): number {
  if (state.view.orderOverride !== null) return state.view.orderOverride;
  let highest: number | null = null;
  for (const failure of selectFailures(state))
    if (failure.order !== null && (highest === null || failure.order > highest)) highest = failure.order;
  return highest ?? DEFAULT_TARGET_ORDER;
}

/** The longest message line kept: a terminal line, with room to spare. */
const LINE_LIMIT = 1024;

const EMPTY_NOTES: SourceNotes = {
  pagetypeinfo: null,
  pageSize: null,
  kernelLog: null,
  kernelLogState: null,
  recording: null,
};

const EMPTY_SAMPLE: SampleSlice = {
  latest: null,
  previousFrame: null,
  history: [],
  rates: {},
  failureLog: EMPTY_FAILURE_LOG,
  ticks: 0,
};

export function createFragtopStore(options: StoreOptions = {}): FragtopStore {
  return createStore<FragtopState>()((set, get) => {
    const patchView = (patch: Partial<ViewSlice>) => set({ view: { ...get().view, ...patch } });
    const patchNotes = (patch: Partial<NotesSlice>) => set({ notes: { ...get().notes, ...patch } });
    const patchReplay = (patch: Partial<ReplaySlice>) => set({ replay: { ...get().replay, ...patch } });
    const actions: FragtopActions = {
      ingest(frame) {
        const { sample, session } = get();
        const previous =
          sample.previousFrame && sample.latest
            ? { frame: sample.previousFrame, snapshot: sample.latest }
            : null;
        const { snapshot, rates, point } = advance(previous, frame);
        set({
          sample: {
            latest: snapshot,
            previousFrame: frame,
            history: appendHistory(sample.history, point),
            rates,
            failureLog: frame.kmsg.length
              ? appendToFailureLog(sample.failureLog, frame.kmsg, {
                  referenceMs: session.logTimeReferenceMs ?? frame.timeMs,
                })
              : sample.failureLog,
            ticks: sample.ticks + 1,
          },
        });
      },
      togglePause() {
        const { pause, sample } = get();
        set({ pause: pause ? null : sample });
      },
      setSlabSort(slabSort) {
        patchView({ slabSort });
      },
      setView(view) {
        patchView({ view, pageScroll: 0 });
      },
      toggleTypes() {
        patchView({ showTypes: !get().view.showTypes });
      },
      changeOrder(delta) {
        const state = get();
        const maxOrder = Math.max(0, (selectDisplayed(state)?.orderCount ?? 11) - 1);
        const next = Math.min(maxOrder, Math.max(0, targetOrderOf(state) + delta));
        patchView({ orderOverride: next });
      },
      selectFailure(delta) {
        const state = get();
        const last = Math.max(0, selectFailures(state).length - 1);
        patchView({
          selectedFailure: Math.min(last, Math.max(0, state.view.selectedFailure + delta)),
          pageScroll: 0,
        });
      },
      scrollPage(delta) {
        // The page clamps the far end, which depends on its height.
        patchView({ pageScroll: Math.max(0, get().view.pageScroll + delta) });
      },
      clampPageScroll(max) {
        if (get().view.pageScroll > max) patchView({ pageScroll: Math.max(0, max) });
      },
      setNotes(notes) {
        const current = get().notes.sources;
        // Notes carry paths and error messages: shown on screen, so made safe here, once.
        const safe: Partial<Record<keyof SourceNotes, string | null>> = {};
        for (const key of Object.keys(notes) as (keyof SourceNotes)[])
          safe[key] = terminalSafeOrNull(notes[key] ?? null, LINE_LIMIT);
        // Called every tick with the sources' notes: only a change is an update.
        const changed = (Object.keys(safe) as (keyof SourceNotes)[]).some(
          (key) => safe[key] !== current[key],
        );
        // kernelLogState is one of three fixed words, which terminalSafe leaves as they are.
        if (changed) patchNotes({ sources: { ...current, ...(safe as Partial<SourceNotes>) } });
      },
      setFlash(flash) {
        patchNotes({ flash: terminalSafeOrNull(flash, LINE_LIMIT) });
      },
      reset() {
        set({ sample: EMPTY_SAMPLE, pause: null });
      },
      setLog(lines) {
        const { view, sample, session } = get();
        const failureLog = failureLogOf(lines, {
          referenceMs: session.logTimeReferenceMs ?? sample.latest?.timeMs ?? null,
        });
        // Seeking back in a replay can remove the report on screen: keep the selection inside the list.
        const selectedFailure = Math.min(view.selectedFailure, Math.max(0, failureLog.failures.length - 1));
        const gone = view.view === 'failure-detail' && failureLog.failures.length === 0;
        set({
          sample: { ...sample, failureLog },
          view: { ...view, selectedFailure, ...(gone ? { view: 'failures' as const } : {}) },
        });
      },
      setLogTimeReference(ms) {
        set({ session: { ...get().session, logTimeReferenceMs: ms } });
      },
      setReplay(position) {
        patchReplay({
          position: position && {
            ...position,
            file: terminalSafe(position.file, LINE_LIMIT),
            warnings: position.warnings.map((warning) => terminalSafe(warning, LINE_LIMIT)),
          },
        });
      },
      setPrompt(prompt) {
        patchReplay({ prompt: prompt && { ...prompt, value: terminalSafe(prompt.value, 80) } });
      },
      setDialog(dialog) {
        set({ dialog });
      },
    };
    return {
      session: {
        mode: options.mode ?? 'live',
        intervalMs: options.intervalMs ?? 1000,
        readOnly: options.readOnly ?? false,
        logTimeReferenceMs: null,
      },
      sample: EMPTY_SAMPLE,
      pause: null,
      view: {
        view: 'main',
        orderOverride: options.order ?? null,
        slabSort: options.slabSort ?? 'size',
        showTypes: false,
        selectedFailure: 0,
        pageScroll: 0,
      },
      dialog: null,
      replay: { position: null, prompt: null },
      notes: { sources: EMPTY_NOTES, flash: null },
      actions,
    };
  });
}

/** What every panel shows: the sample frozen by pause, else the newest. Each returns a stored reference (stable). */
export const selectShownSample = (s: FragtopState): SampleSlice => s.pause ?? s.sample;
export const selectPaused = (s: FragtopState): boolean => s.pause !== null;
export const selectDisplayed = (s: FragtopState): Snapshot | null => selectShownSample(s).latest;
export const selectShownRates = (s: FragtopState) => selectShownSample(s).rates;
export const selectShownHistory = (s: FragtopState) => selectShownSample(s).history;
export const selectShownFailures = (s: FragtopState): AllocFailure[] =>
  selectShownSample(s).failureLog.failures;
export const selectShownSuppressed = (s: FragtopState): number => selectShownSample(s).failureLog.suppressed;
/** Reports read but no longer kept in detail, on the shown sample. */
export const selectShownDroppedFailures = (s: FragtopState): number =>
  selectShownSample(s).failureLog.droppedFailures;
