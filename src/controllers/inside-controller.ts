// Drives the pageblock map (M) and the trace events (e): reads the map on demand, traces while the view is open.
import { DEFAULT_MIGRATE_TYPES } from '../analyze/trace-tally.js';
import { mapLayoutOf } from '../analyze/map-layout.js';
import type { PageblockMapRead } from '../model/pageblock-map.js';
import type { RawFrame } from '../model/raw-frame.js';
import { readPageblockMap } from '../sources/kpageflags-source.js';
import { TraceTallySource } from '../sources/trace-tally-source.js';
import type { FragtopState, FragtopStore } from '../store/create-store.js';

/** The map is read at most this often while its view is open: each read walks every page frame. */
export const MAP_REFRESH_MS = 10_000;

export interface InsideController {
  /** Adds the newest map and tallies to a sampled frame (and polls the trace buffer when tracing). */
  attach(frame: RawFrame): RawFrame;
  /** Reads the map now unless a read is under way or the last one is younger than MAP_REFRESH_MS. */
  requestMap(): void;
  /** Stops tracing and restores the tracing state; waits for a map read under way. */
  stop(): Promise<void>;
}

export function createInsideController(options: {
  store: FragtopStore;
  procRoot: string;
  tracer?: TraceTallySource;
  readMap?: typeof readPageblockMap;
  now?: () => number;
}): InsideController {
  const { store } = options;
  const now = options.now ?? Date.now;
  const tracer = options.tracer ?? new TraceTallySource();
  const readMap = options.readMap ?? readPageblockMap;
  let map: PageblockMapRead | undefined;
  let reading: Promise<void> | null = null;
  let lastStartMs = -Infinity;
  let stopped = false;

  const requestMap = () => {
    if (stopped || reading || now() - lastStartMs < MAP_REFRESH_MS) return;
    const snapshot = store.getState().sample.latest;
    if (!snapshot) return;
    const { zoneinfo, pageTypes, buddy } = snapshot.parsed;
    const layout = mapLayoutOf(zoneinfo, pageTypes, buddy);
    lastStartMs = now();
    if (!layout.ok) {
      map = { ok: false, message: layout.message };
      return;
    }
    reading = readMap({
      procRoot: options.procRoot,
      layout: layout.layout,
      pageSizeBytes: snapshot.pageSizeBytes,
      now,
    })
      .then((result) => {
        map = result;
      })
      .catch((error: unknown) => {
        map = { ok: false, message: `reading the pageblock map failed: ${(error as Error).message}` };
      })
      .finally(() => {
        reading = null;
      });
  };

  const wantsMap = (state: FragtopState) =>
    state.view.view === 'map' ||
    ((state.dialog?.kind === 'choose-node' || state.dialog?.kind === 'confirm') &&
      (state.dialog.kind === 'choose-node' || state.dialog.action.kind === 'compact'));

  const follow = (state: FragtopState) => {
    if (stopped) return;
    if (wantsMap(state)) requestMap();
    if (state.view.view === 'events') tracer.start();
    else if (tracer.running) tracer.stop();
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view.view !== previous.view.view || state.dialog !== previous.dialog) follow(state);
  });

  return {
    attach(frame) {
      if (!stopped && store.getState().view.view === 'map') requestMap();
      const types = store.getState().sample.latest?.parsed.pageTypes?.migrateTypes;
      const events = tracer.running
        ? tracer.poll(types?.length ? types : DEFAULT_MIGRATE_TYPES)
        : tracer.current();
      return {
        ...frame,
        ...(map ? { pageblocks: map } : {}),
        ...(events ? { events } : {}),
      };
    },
    requestMap,
    async stop() {
      stopped = true;
      unsubscribe();
      tracer.stop();
      await reading;
    },
  };
}
