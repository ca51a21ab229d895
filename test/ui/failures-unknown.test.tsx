// Tests that the failures panel and its keys say "unknown" for a kernel log that could not be read, never "none",
// and that reports dropped past the cap are counted in the panel's title.
import { afterEach, describe, expect, it } from 'vitest';
import { createFragtopStore, type SourceNotes } from '../../src/store/create-store.js';
import { fixtureFrame } from '../helpers/frames.js';
import { KEYS, press, renderApp, waitForFrame, waitForInput, type Rendered } from '../helpers/ink.js';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()?.unmount();
});

const REASON = 'cannot open /dev/kmsg: EPERM, run as root or with CAP_SYSLOG';

type LogNotes = Pick<SourceNotes, 'kernelLog' | 'kernelLogState'>;

async function start(kmsg: string[], notes: LogNotes) {
  const store = createFragtopStore();
  store.getState().actions.setNotes(notes);
  store.getState().actions.ingest({ ...fixtureFrame('live-6.18'), kmsg });
  const rendered = renderApp(store);
  mounted.push(rendered);
  await waitForInput(rendered);
  return { store, rendered };
}

describe('failures panel when the kernel log could not be read (item 1)', () => {
  it('shows "unknown" with the reason, and Enter and f flash it', async () => {
    const { rendered } = await start([], { kernelLog: REASON, kernelLogState: 'unreadable' });
    const frame = await waitForFrame(rendered, (f) => f.includes('Allocation failures'));
    expect(frame).toContain('Allocation failures · unknown');
    expect(frame).toContain('unknown: kernel log not read (cannot open /dev/kmsg: EPERM');
    expect(frame).not.toContain('none in the kernel log');
    await press(rendered, KEYS.enter);
    const flashed = await waitForFrame(rendered, (f) => f.includes('allocation failures unknown'));
    expect(flashed).not.toContain('no allocation failures in the kernel log');
  });

  it('still says "none" when the log was read and holds no report', async () => {
    const { rendered } = await start([], { kernelLog: null, kernelLogState: 'read' });
    const frame = await waitForFrame(rendered, (f) => f.includes('Allocation failures'));
    expect(frame).toContain('Allocation failures · 0 reports');
    expect(frame).toContain('none in the kernel log');
  });
});

describe('failures panel past the report cap (item 4)', () => {
  it('counts every report in the title and says how many were not kept', async () => {
    const report = (i: number) => [
      `[${1000 + i}.000001] w${i}: page allocation failure: order:4, mode:0xcc0(GFP_KERNEL), nodemask=(null)`,
      `[${1000 + i}.000002] CPU: 1 PID: ${i} Comm: w${i} Not tainted 6.1.0 #1`,
    ];
    const lines = Array.from({ length: 1200 }, (_, i) => report(i)).flat();
    const { rendered } = await start(lines, { kernelLog: null, kernelLogState: 'read' });
    const frame = await waitForFrame(rendered, (f) => f.includes('Allocation failures'));
    expect(frame).toContain('Allocation failures · 1200 reports (oldest 200 not kept)');
  });
});
