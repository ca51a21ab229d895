// Tests the whole screen with ink-testing-library: panels, keys, views, pause, resize and the help.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFragtopStore, selectPaused } from '../../src/store/create-store.js';
import { bindingsFor } from '../../src/ui/keymap.js';
import { fixtureFrame, fixturePath } from '../helpers/frames.js';
import { KEYS, press, waitForInput, renderApp, waitForFrame, type Rendered } from '../helpers/ink.js';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()?.unmount();
});

async function start(
  options: Parameters<typeof createFragtopStore>[0] = {},
  frame = fixtureFrame('live-6.18'),
) {
  const store = createFragtopStore(options);
  store.getState().actions.ingest(frame);
  let quits = 0;
  const rendered = renderApp(store, { quit: () => (quits += 1) });
  mounted.push(rendered);
  await waitForInput(rendered);
  return { store, rendered, quits: () => quits };
}

/** The slab cache names in screen order, read from the lines under the slab header. */
function slabNames(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((line) => /^cache\s+size\s+objs/.test(line));
  const names: string[] = [];
  for (const line of lines.slice(header + 1)) {
    if (!line.trim() || /^ ?(Allocation|─|q quit)/.test(line.trim())) break;
    names.push(line.split(/\s+/)[0]!);
  }
  return names;
}

describe('App', () => {
  it('shows the header, every zone with block sizes, and slab caches', async () => {
    const { rendered } = await start();
    const frame = await waitForFrame(rendered, (f) => f.includes('Slab caches'));
    expect(frame).toContain('fragtop · vm · 6.18.44-fc-v595 · 4K pages');
    for (const zone of ['0 DMA ', '0 DMA32', '0 Normal']) expect(frame).toContain(zone);
    expect(frame).toMatch(/zone\s+4K\s+8K\s+16K\s+32K\s+64K\s+128K\s+256K\s+512K\s+1M\s+2M\s+4M/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
  });

  it('changes the slab sort with slabtop keys', async () => {
    const { rendered, store } = await start();
    await waitForFrame(rendered, (f) => f.includes('Slab caches by cache size'));
    await press(rendered, 'n');
    const byName = await waitForFrame(rendered, (f) => f.includes('Slab caches by name'));
    const names = slabNames(byName);
    expect(names.length).toBeGreaterThan(3);
    expect([...names].sort((a, b) => a.localeCompare(b))).toEqual(names);
    await press(rendered, 's');
    await waitForFrame(rendered, (f) => f.includes('Slab caches by object size'));
    expect(store.getState().view.slabSort).toBe('objsize');
  });

  it('pauses with p and space, and says so in the header', async () => {
    const { rendered, store } = await start();
    await press(rendered, 'p');
    await waitForFrame(rendered, (f) => f.includes('PAUSED'));
    expect(selectPaused(store.getState())).toBe(true);
    await press(rendered, ' ');
    await waitForFrame(rendered, (f) => !f.includes('PAUSED') && f.includes('live 1s'));
  });

  it('opens help generated from the key table and closes it with Esc', async () => {
    const { rendered } = await start();
    await press(rendered, '?');
    const help = await waitForFrame(rendered, (f) => f.includes('Help'));
    expect(help).toContain('sort slab caches by object size');
    expect(help).toContain('pause or resume the display');
    // Every key of the live key table is on the one screen (two columns when one does not fit 30 rows).
    for (const binding of bindingsFor('live')) expect(help).toContain(`${binding.label} `);
    expect(help.split('\n').length).toBeLessThanOrEqual(29);
    await press(rendered, KEYS.escape);
    await waitForFrame(rendered, (f) => f.includes('Free blocks by order'));
  });

  it('quits on q and on Ctrl-C', async () => {
    const { rendered, quits } = await start();
    await press(rendered, 'q');
    await press(rendered, KEYS.ctrlC);
    expect(quits()).toBe(2);
  });

  it('says slabinfo needs root instead of failing', async () => {
    const frame = fixtureFrame('live-6.18');
    frame.files.slabinfo = { ok: false, reason: 'permission', message: 'permission denied' };
    const { rendered } = await start({}, frame);
    await waitForFrame(rendered, (f) => f.includes('slabinfo needs root: run fragtop as root'));
  });

  it('takes keys that arrive in one read one by one', async () => {
    const { rendered } = await start({ order: 3 });
    rendered.stdin.write('++');
    await waitForFrame(rendered, (f) => f.includes('target order 5 (128K)'));
  });

  it('raises and lowers the target order with + and -', async () => {
    const { rendered } = await start({ order: 6 });
    await waitForFrame(rendered, (f) => f.includes('target order 6 (256K)'));
    await press(rendered, '+');
    await waitForFrame(rendered, (f) => f.includes('target order 7 (512K)') && f.includes('ORDER 7'));
    await press(rendered, '-');
    await press(rendered, '-');
    await waitForFrame(rendered, (f) => f.includes('target order 5 (128K)') && f.includes('ORDER 5'));
  });

  it('lists failures from the kernel log and opens one with Enter', async () => {
    const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').split('\n');
    const { rendered } = await start({}, fixtureFrame('centos7-numa-k8s', { kmsg: dmesg }));
    await waitForFrame(rendered, (f) => f.includes('order 6 (256K)') && f.includes('Allocation failures'));
    await press(rendered, 'f');
    await press(rendered, KEYS.enter);
    const detail = await waitForFrame(rendered, (f) => f.includes('Allocation failure report'));
    expect(detail).toContain('mode 0x10c0d0');
    expect(detail).toContain('Call trace');
  });

  it('shows the pod a failure cost beside it, in the panel title and on the detail page; not the CNI failure', async () => {
    const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').trimEnd().split('\n');
    const kubelet = readFileSync(fixturePath('centos7-numa-k8s', 'kubelet.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    const { rendered } = await start({}, fixtureFrame('centos7-numa-k8s', { kmsg: [...dmesg, ...kubelet] }));
    await press(rendered, 'f');
    const panel = await waitForFrame(rendered, (f) => f.includes('1 pod start failed with them'));
    // 100 columns: the pod's name is cut, its namespace shows; the detail page has it whole.
    expect(panel).toContain('cost 1 pod start: basic/');
    expect(panel).not.toContain('myzep');
    await press(rendered, KEYS.enter);
    const detail = await waitForFrame(rendered, (f) => f.includes('Pods whose start failed with it (1)'));
    expect(detail).toContain(
      'basic/matchdataserver-1255064836-t4b2w uid 485fd485-1ed6-11e9-8661-0a587f8021ea',
    );
    expect(detail).not.toContain('myzep');
  });

  it('re-lays out on resize and never draws more lines than rows - 1', async () => {
    const { rendered } = await start();
    await waitForFrame(rendered, (f) => f.includes('Slab caches'));
    const stdout = rendered.stdout as unknown as { rows?: number; emit(event: string): void };
    for (const rows of [12, 18, 40]) {
      stdout.rows = rows;
      stdout.emit('resize');
      const frame = await waitForFrame(
        rendered,
        (f) => f.split('\n').length <= rows - 1 && f.includes('q quit'),
      );
      expect(frame.split('\n').length).toBeLessThanOrEqual(rows - 1);
    }
  });
});

describe('App on an 80x24 terminal', () => {
  it('fits every zone row in 80 columns with true counts', async () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s'));
    const rendered = renderApp(store);
    mounted.push(rendered);
    const stdout = rendered.stdout as unknown as { rows?: number; emit(event: string): void };
    // The test stream's columns is a getter fixed at 100: shadow it on the instance.
    Object.defineProperty(stdout, 'columns', { value: 80, configurable: true });
    stdout.rows = 24;
    stdout.emit('resize');
    const frame = await waitForFrame(rendered, (f) => /^zone\s+4K/m.test(f) && !f.includes('ok@3   top'));
    const normal = frame.split('\n').find((line) => line.startsWith('0 Normal'))!;
    // Node 0 Normal: 104076 127563 70473 24828 7589 …
    expect(normal).toMatch(/^0 Normal\s+104K\s+128K\s+70K\s+25K\s+7589\b/);
    expect(normal.length).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });
});

describe('App on a machine with many NUMA nodes', () => {
  it('scrolls 64 nodes of zones with PgDn/PgUp and says which lines are shown', async () => {
    const buddyinfo = Array.from(
      { length: 64 },
      (_, node) => `Node ${node}, zone   Normal ${Array.from({ length: 11 }, () => node + 1).join(' ')}\n`,
    ).join('');
    const base = fixtureFrame('live-6.18');
    const frame = {
      ...base,
      files: { ...base.files, buddyinfo: { ok: true as const, text: buddyinfo, readMs: 0.1, readAtMs: 0 } },
    };
    const { rendered } = await start({}, frame);
    const first = await waitForFrame(rendered, (f) => /lines 1-\d+ of 65, PgUp\/PgDn scroll/.test(f));
    expect(first).toMatch(/^0 Normal /m);
    await press(rendered, KEYS.pageDown);
    const next = await waitForFrame(rendered, (f) => /lines 11-\d+ of 65/.test(f));
    expect(next).not.toMatch(/^0 Normal /m);
    expect(next).toMatch(/^10 Normal /m);
    for (let i = 0; i < 20; i++) await press(rendered, KEYS.pageDown);
    // The last page ends with node 63 and the rates line (64 zone rows and rates: the bars give way).
    const last = await waitForFrame(rendered, (f) => / of 65, PgUp/.test(f) && /^63 Normal /m.test(f));
    expect(last).toMatch(/lines \d+-65 of 65/);
    await press(rendered, KEYS.pageUp);
    await waitForFrame(rendered, (f) => !/^63 Normal /m.test(f));
  });
});

describe('failure list navigation', () => {
  const report = (i: number) =>
    `<4>[ ${100 + i}.000000] proc${i}: page allocation failure: order:${i % 4}, mode:0xcc0(GFP_KERNEL)`;

  it('keeps the selection visible while moving down, and opens the report selected', async () => {
    const store = createFragtopStore();
    store
      .getState()
      .actions.ingest(fixtureFrame('live-6.18', { kmsg: Array.from({ length: 10 }, (_, i) => report(i)) }));
    const rendered = renderApp(store);
    mounted.push(rendered);
    await waitForInput(rendered);
    await press(rendered, 'f');
    await waitForFrame(rendered, (f) => f.includes('>[109.0] proc9'));
    for (let i = 0; i < 8; i++) await press(rendered, KEYS.down);
    // Eight down from the newest (proc9) is proc1, and it is on screen.
    await waitForFrame(rendered, (f) => f.includes('>[101.0] proc1'));
    await press(rendered, KEYS.enter);
    const detail = await waitForFrame(rendered, (f) => f.includes('Allocation failure report'));
    expect(detail).toContain('process   proc1');
    // A new report arriving does not change the report that is open.
    store.getState().actions.ingest(fixtureFrame('live-6.18', { kmsg: [report(10)] }));
    await new Promise((r) => setTimeout(r, 50));
    expect(rendered.lastFrame()).toContain('process   proc1');
  });

  it('scrolls a long page with ↓ and says which lines are shown', async () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame('live-6.18'));
    const rendered = renderApp(store);
    mounted.push(rendered);
    const stdout = rendered.stdout as unknown as { rows?: number; emit(event: string): void };
    stdout.rows = 14;
    stdout.emit('resize');
    await waitForInput(rendered);
    await press(rendered, '?');
    const top = await waitForFrame(rendered, (f) => /Help .* lines 1-\d+ of \d+/.test(f));
    await press(rendered, KEYS.down);
    await waitForFrame(rendered, (f) => /Help .* lines 2-\d+ of \d+/.test(f) && f !== top);
  });
});
