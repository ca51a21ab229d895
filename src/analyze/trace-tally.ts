// Folds trace events into per-process, per-direction and per-order tallies of fragmenting steals and compaction; pure.
import type { StallCount, TraceTallies } from '../model/pageblock-map.js';
import { numberField, type TraceEvent } from '../parse/trace-line.js';

/** The kernel's migrate types in enum order (4.4+); pagetypeinfo's header gives the running kernel's own. */
export const DEFAULT_MIGRATE_TYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate'];

/** Processes kept; the rest fold into one row so a fork storm cannot grow memory without bound. */
const MAX_PROCESSES = 500;
const OTHERS = { comm: '(others)', pid: -1 };

export interface TallyState {
  tallies: TraceTallies;
  /** Per pid, the trace time (seconds) of a compaction begin still waiting for its end. */
  openBegins: Map<number, number>;
  processes: Map<string, { comm: string; pid: number; count: number; fragmenting: number }>;
  stalls: Map<string, StallCount>;
  directions: Map<string, { from: string; to: string; count: number }>;
}

export function emptyTally(sinceMs: number, missingEvents: string[] = []): TallyState {
  return {
    tallies: {
      sinceMs,
      untilMs: sinceMs,
      lost: 0,
      unparsed: 0,
      extfrag: { total: 0, fragmenting: 0, byProcess: [], byDirection: [], byOrder: [] },
      compaction: { kcompactdWakes: 0, directCompactions: 0, begins: 0, ends: 0, stalls: [] },
      missingEvents,
    },
    openBegins: new Map(),
    processes: new Map(),
    stalls: new Map(),
    directions: new Map(),
  };
}

function keyOf<T extends { comm: string; pid: number }>(
  map: Map<string, T>,
  comm: string,
  pid: number,
  fresh: () => T,
): T {
  const key = `${pid}\u0000${comm}`;
  let row = map.get(key);
  if (!row) {
    if (map.size >= MAX_PROCESSES) {
      const otherKey = `${OTHERS.pid}\u0000${OTHERS.comm}`;
      row = map.get(otherKey);
      if (!row) map.set(otherKey, (row = { ...fresh(), ...OTHERS }));
      return row;
    }
    map.set(key, (row = fresh()));
  }
  return row;
}

const typeName = (types: readonly string[], index: number | undefined) =>
  index === undefined ? '?' : (types[index] ?? `type ${index}`);

/** kcompactd runs compaction in the background; anything else calling it is an allocation waiting (a stall). */
const isKcompactd = (comm: string) => comm.startsWith('kcompactd');

/** Adds events to the state (mutates it: it is private to one tracing session) and updates the tallies. */
export function foldEvents(
  state: TallyState,
  events: readonly TraceEvent[],
  migrateTypes: readonly string[],
  untilMs: number,
): TraceTallies {
  const t = state.tallies;
  for (const event of events) {
    switch (event.name) {
      case 'mm_page_alloc_extfrag': {
        const order = numberField(event, 'alloc_order') ?? 0;
        const fragmenting = numberField(event, 'fragmenting') === 1;
        t.extfrag.total++;
        if (fragmenting) t.extfrag.fragmenting++;
        while (t.extfrag.byOrder.length <= order && order < 64) t.extfrag.byOrder.push(0);
        if (order >= 0 && order < 64) t.extfrag.byOrder[order]!++;
        const row = keyOf(state.processes, event.comm, event.pid, () => ({
          comm: event.comm,
          pid: event.pid,
          count: 0,
          fragmenting: 0,
        }));
        row.count++;
        if (fragmenting) row.fragmenting++;
        const from = typeName(migrateTypes, numberField(event, 'fallback_migratetype'));
        const to = typeName(migrateTypes, numberField(event, 'alloc_migratetype'));
        const dkey = `${from}>${to}`;
        const direction = state.directions.get(dkey) ?? { from, to, count: 0 };
        direction.count++;
        state.directions.set(dkey, direction);
        break;
      }
      case 'mm_compaction_kcompactd_wake':
        t.compaction.kcompactdWakes++;
        break;
      case 'mm_compaction_try_to_compact_pages':
        t.compaction.directCompactions++;
        stallRow(state, event).count++;
        break;
      case 'mm_compaction_begin':
        t.compaction.begins++;
        if (!isKcompactd(event.comm)) state.openBegins.set(event.pid, event.seconds);
        break;
      case 'mm_compaction_end': {
        t.compaction.ends++;
        const began = state.openBegins.get(event.pid);
        if (began === undefined || isKcompactd(event.comm)) break;
        state.openBegins.delete(event.pid);
        const ms = Math.max(0, (event.seconds - began) * 1000);
        const row = stallRow(state, event);
        row.totalMs += ms;
        row.maxMs = Math.max(row.maxMs, ms);
        break;
      }
      default:
        t.unparsed++;
    }
  }
  t.untilMs = untilMs;
  t.extfrag.byProcess = [...state.processes.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, 20)
    .map((r) => ({ ...r }));
  t.extfrag.byDirection = [...state.directions.values()]
    .sort((a, b) => b.count - a.count)
    .map((r) => ({ ...r }));
  t.compaction.stalls = [...state.stalls.values()]
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count)
    .slice(0, 20)
    .map((r) => ({ ...r }));
  return {
    ...t,
    extfrag: { ...t.extfrag, byOrder: [...t.extfrag.byOrder] },
    compaction: { ...t.compaction },
    missingEvents: [...t.missingEvents],
  };
}

function stallRow(state: TallyState, event: TraceEvent): StallCount {
  return keyOf(state.stalls, event.comm, event.pid, () => ({
    comm: event.comm,
    pid: event.pid,
    count: 0,
    totalMs: 0,
    maxMs: 0,
  }));
}
