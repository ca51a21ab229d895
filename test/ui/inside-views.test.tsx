// Tests the M and e views: the map, its shares and ceiling, the culprits, and what they say without data.
import { afterEach, describe, expect, it } from 'vitest';
import { createFragtopStore } from '../../src/store/create-store.js';
import type { PageblockMapRead, TraceTalliesRead } from '../../src/model/pageblock-map.js';
import { fixtureFrame } from '../helpers/frames.js';
import { press, renderApp, waitForFrame, waitForInput, KEYS, type Rendered } from '../helpers/ink.js';

const MAP: PageblockMapRead = {
  ok: true,
  map: {
    timeMs: 1_700_000_000_000,
    readMs: 480,
    pageSizeBytes: 4096,
    pageblockOrder: 9,
    orderCount: 11,
    notes: [],
    zones: [
      {
        node: 0,
        zone: 'Normal',
        startPfn: 0x100000,
        spannedPages: 2048,
        classes: 'FMUH',
        pages: { free: 512, movable: 512, unmovable: 512, hole: 512, unread: 0 },
        cleanRanges: [1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1],
        flaglessBlocks: 0,
        flaglessPages: 0,
        overlapsWith: [],
      },
    ],
  },
};

const EVENTS: TraceTalliesRead = {
  ok: true,
  note: null,
  tallies: {
    sinceMs: 1_700_000_000_000 - 10_000,
    untilMs: 1_700_000_000_000,
    lost: 0,
    unparsed: 0,
    extfrag: {
      total: 109,
      fragmenting: 0,
      byProcess: [{ comm: 'fragmenter', pid: 2191, count: 109, fragmenting: 0 }],
      byDirection: [{ from: 'Movable', to: 'Unmovable', count: 109 }],
      byOrder: [109],
    },
    compaction: { kcompactdWakes: 0, directCompactions: 0, begins: 0, ends: 0, stalls: [] },
    missingEvents: [],
  },
};

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

describe('the M and e views', () => {
  it('M shows each zone’s pageblock classes, shares and the ceiling at the target order; M again closes', async () => {
    const store = createFragtopStore({ mode: 'replay', order: 6 });
    store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s', { pageblocks: MAP }));
    rendered = renderApp(store);
    await waitForInput(rendered);
    await press(rendered, 'M');
    const frame = await waitForFrame(rendered, (f) => f.includes('Pageblock map'));
    expect(frame).toContain('free 25% · movable 25% · unmovable 25% · hole 25%');
    // 512 free pages hold at most 8 order-6 blocks, fewer than the 16 clean ranges; "now" is the fixture's buddyinfo.
    expect(frame).toContain(
      'order 6 (256K): 32,464 now, ≤ 8 after compaction (limited by free pages to migrate into)',
    );
    expect(frame).toMatch(/^ {2}░▒█\s*$/m);
    await press(rendered, 'M');
    await waitForFrame(rendered, (f) => !f.includes('Pageblock map'));
  });

  it('says a recording without a map holds none, rather than showing an empty map', async () => {
    const store = createFragtopStore({ mode: 'replay' });
    store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s'));
    rendered = renderApp(store);
    await waitForInput(rendered);
    await press(rendered, 'M');
    await waitForFrame(rendered, (f) => f.includes('this recording holds no pageblock map'));
    await press(rendered, KEYS.escape);
    await press(rendered, 'e');
    await waitForFrame(rendered, (f) => f.includes('this recording holds no trace events'));
  });

  it('e names the processes that stole pageblocks, with their rate', async () => {
    const store = createFragtopStore({ mode: 'replay' });
    store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s', { events: EVENTS }));
    rendered = renderApp(store);
    await waitForInput(rendered);
    await press(rendered, 'e');
    const frame = await waitForFrame(rendered, (f) => f.includes('Who fragments'));
    expect(frame).toContain('Unmovable took from Movable 109');
    expect(frame).toMatch(/fragmenter 2191\s+109\s+11\/s/);
  });
});
