// Tests the store: ingest, pause, rates, history, failures, target order, notes and view actions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createFragtopStore,
  DEFAULT_TARGET_ORDER,
  selectDisplayed,
  selectFailures,
  selectPaused,
  selectShownFailures,
  selectShownHistory,
  targetOrderOf,
} from '../../src/store/create-store.js';
import { HISTORY_LIMIT } from '../../src/store/history.js';
import { selectDiagnosis } from '../../src/store/select-diagnosis.js';
import { fixtureFrame, fixturePath, withBuddyinfo } from '../helpers/frames.js';

const NUMA = 'centos7-numa-k8s';

describe('fragtop store', () => {
  it('ingests one frame into one snapshot with every zone of buddyinfo', () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame(NUMA));
    const { latest, ticks } = store.getState().sample;
    const displayed = selectDisplayed(store.getState());
    expect(ticks).toBe(1);
    expect(displayed).toBe(latest);
    expect(latest?.zones.map((z) => `${z.node}/${z.zone}`)).toEqual([
      '0/DMA',
      '0/DMA32',
      '0/Normal',
      '1/Normal',
    ]);
    // Node 1 Normal: 108359 115466 52431 12910 3762 796 185 69 1147 0 0
    expect(latest?.zones[3]?.freePages).toBe(
      108359 + 115466 * 2 + 52431 * 4 + 12910 * 8 + 3762 * 16 + 796 * 32 + 185 * 64 + 69 * 128 + 1147 * 256,
    );
    expect(latest?.zones[3]?.highestFreeOrder).toBe(8);
  });

  it('pause freezes the displayed snapshot while sampling goes on', () => {
    const store = createFragtopStore();
    const first = fixtureFrame(NUMA);
    store.getState().actions.ingest(first);
    store.getState().actions.togglePause();
    const frozen = selectDisplayed(store.getState());
    store.getState().actions.ingest(withBuddyinfo(first, 'Node 0, zone   Normal 1 2 3 \n'));
    const state = store.getState();
    expect(selectPaused(state)).toBe(true);
    expect(selectDisplayed(state)).toBe(frozen);
    expect(state.sample.latest).not.toBe(frozen);
    expect(state.sample.latest?.zones.map((z) => z.freeBlocksByOrder)).toEqual([[1, 2, 3]]);
    expect(state.sample.ticks).toBe(2);
    state.actions.togglePause();
    expect(selectDisplayed(store.getState())).toBe(store.getState().sample.latest);
  });

  it('pause also freezes the rates, trends and failures the other panels show', () => {
    const store = createFragtopStore();
    const first = fixtureFrame(NUMA);
    store.getState().actions.ingest(first);
    store.getState().actions.togglePause();
    const report = ['exe: page allocation failure: order:6, mode:0x10c0d0'];
    store
      .getState()
      .actions.ingest({ ...withBuddyinfo(first, 'Node 0, zone   Normal 1 2 3 \n'), kmsg: report });
    const state = store.getState();
    expect(selectFailures(state)).toHaveLength(1);
    expect(selectShownFailures(state)).toEqual([]);
    expect(selectShownHistory(state)).toHaveLength(1);
    expect(state.sample.history).toHaveLength(2);
    state.actions.togglePause();
    expect(selectShownFailures(store.getState())).toHaveLength(1);
  });

  it('keeps a bounded history, oldest dropped first', () => {
    const store = createFragtopStore();
    const frame = fixtureFrame(NUMA);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      store.getState().actions.ingest({ ...frame, timeMs: frame.timeMs + i * 1000 });
    const { history } = store.getState().sample;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]?.timeMs).toBe(frame.timeMs + 5 * 1000);
    expect(history.at(-1)?.timeMs).toBe(frame.timeMs + (HISTORY_LIMIT + 4) * 1000);
  });

  it('computes vmstat rates from two frames and never a negative one', () => {
    const store = createFragtopStore();
    const vmstat = (stall: number, success: number) => ({
      ok: true as const,
      text: `compact_stall ${stall}\ncompact_success ${success}\n`,
      readMs: 0.1,
      readAtMs: 0,
    });
    const frame = fixtureFrame(NUMA);
    store.getState().actions.ingest({ ...frame, files: { ...frame.files, vmstat: vmstat(10, 50) } });
    store.getState().actions.ingest({
      ...frame,
      timeMs: frame.timeMs + 2000,
      files: { ...frame.files, vmstat: vmstat(30, 40) },
    });
    expect(store.getState().sample.rates['compact_stall']).toBe(10);
    expect(store.getState().sample.rates['compact_success']).toBeNull();
  });

  it('finds allocation failures in kernel-log lines and targets their highest order', () => {
    const store = createFragtopStore();
    expect(targetOrderOf(store.getState())).toBe(DEFAULT_TARGET_ORDER);
    const dmesg = readFileSync(fixturePath(NUMA, 'dmesg.txt'), 'utf8').split('\n');
    store.getState().actions.ingest(fixtureFrame(NUMA, { kmsg: dmesg }));
    const failures = selectFailures(store.getState());
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.order === 6)).toBe(true);
    expect(targetOrderOf(store.getState())).toBe(6);
  });

  it('+/- change the target order within the kernel orders, and --order wins over failures', () => {
    const store = createFragtopStore({ order: 9 });
    store.getState().actions.ingest(fixtureFrame(NUMA));
    expect(targetOrderOf(store.getState())).toBe(9);
    store.getState().actions.changeOrder(1);
    store.getState().actions.changeOrder(1);
    expect(targetOrderOf(store.getState())).toBe(10);
    for (let i = 0; i < 15; i++) store.getState().actions.changeOrder(-1);
    expect(targetOrderOf(store.getState())).toBe(0);
  });

  it('diagnoses the target order for the displayed snapshot, memoized', () => {
    const store = createFragtopStore({ order: 9 });
    store.getState().actions.ingest(fixtureFrame(NUMA));
    const first = selectDiagnosis(store.getState());
    expect(first?.targetOrder).toBe(9);
    // Only DMA has blocks of order >= 9 (1 of order 9, 3 of order 10 = 7 order-9 blocks), and its lowmem
    // reserve against Normal-class requests (64216 pages) is far above its 3830 free pages.
    expect(first?.suitableBlocks).toBe(7);
    expect(first?.zonesOk).toEqual([]);
    expect(first?.verdict === 'fragmentation' || first?.verdict === 'low-memory').toBe(true);
    expect(selectDiagnosis(store.getState())).toBe(first);
  });

  it('updates the notes only when one changes', () => {
    const store = createFragtopStore();
    store.getState().actions.setNotes({ pagetypeinfo: 'slow', pageSize: null });
    const notes = store.getState().notes.sources;
    store.getState().actions.setNotes({ pagetypeinfo: 'slow', pageSize: null });
    expect(store.getState().notes.sources).toBe(notes);
    store.getState().actions.setNotes({ pagetypeinfo: null });
    expect(store.getState().notes.sources).toEqual({ ...notes, pagetypeinfo: null });
  });

  it('sorts and switches views through actions', () => {
    const store = createFragtopStore();
    store.getState().actions.setSlabSort('name');
    store.getState().actions.setView('help');
    store.getState().actions.toggleTypes();
    expect(store.getState().view).toMatchObject({ slabSort: 'name', view: 'help', showTypes: true });
  });
});
