// Tests that no external string reaches the terminal with a control character: host, kernel, slab and zone
// names, a kernel-log report, problem lines, notes, flashes and a recording's warnings, on screen and as text.
/* eslint-disable no-control-regex -- these tests look for control characters */
import { afterEach, describe, expect, it } from 'vitest';
import { selectDiagnosis } from '../../src/store/select-diagnosis.js';
import { createFragtopStore, selectFailures, targetOrderOf } from '../../src/store/create-store.js';
import { snapshotText } from '../../src/export/snapshot-text.js';
import { fixtureFrame } from '../helpers/frames.js';
import { KEYS, press, renderApp, waitForFrame, waitForInput, type Rendered } from '../helpers/ink.js';

// An OSC retitle, a screen clear, a C1 CSI and a bidi override.
const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e';
/** Everything a terminal acts on, once Ink's own colour codes (SGR) are set aside. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const withoutStyles = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function hostileFrame() {
  const frame = fixtureFrame('live-6.18');
  const read = (text: string) => ({ ok: true as const, text, readMs: 0.1, readAtMs: frame.timeMs });
  const slabinfo = frame.files.slabinfo!.ok ? frame.files.slabinfo!.text : '';
  const buddyinfo = frame.files.buddyinfo!.ok ? frame.files.buddyinfo!.text : '';
  return {
    ...frame,
    host: `node${EVIL}`,
    kernel: `6.18.44${EVIL}`,
    files: {
      ...frame.files,
      slabinfo: read(
        `${slabinfo}evil${EVIL}cache      9      9    312   13    1 : tunables    0    0    0 : slabdata  99999  99999      0\n`,
      ),
      buddyinfo: read(`${buddyinfo}Node 0, zone   Ev${EVIL}il      1 1 1 1 1 1 1 1 1 1 1\n${EVIL}garbage\n`),
      vmstat: { ok: false as const, reason: 'error' as const, message: `vmstat: read failed ${EVIL}` },
    },
    kmsg: [
      `[  100.000000] ex${EVIL}e: page allocation failure: order:6, mode:0x10c0d0(GFP_KERNEL${EVIL})`,
      `[  100.000001] CPU: 3 PID: 18377 Comm: ex${EVIL}e Not tainted 6.18.44 #1`,
      '[  100.000002] Call Trace:',
      `[  100.000003]  dump_stack+0x19/0x1b`,
      `[  100.000004]  ev${EVIL}il_fn+0x19/0x1b [mod${EVIL}]`,
    ],
  };
}

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()?.unmount();
});

describe('terminal safety', () => {
  it('snapshot text carries no control character from any external string', () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(hostileFrame());
    const state = store.getState();
    const text = snapshotText({
      snapshot: state.sample.latest!,
      targetOrder: targetOrderOf(state),
      failures: selectFailures(state),
      suppressedFailures: 0,
      diagnosis: selectDiagnosis(state),
      rates: {},
    });
    expect(text).toContain('node?');
    expect(text).toContain('ex?');
    expect(text).not.toMatch(CONTROL);
  });

  it('the screen, its failure list and report, notes, flash and replay warnings carry none either', async () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(hostileFrame());
    store.getState().actions.setNotes({ kernelLog: `cannot read ${EVIL}/dev/kmsg`, recording: `● ${EVIL}` });
    store.getState().actions.setFlash(`saved ${EVIL}.ftr`);
    store.getState().actions.setReplay({
      index: 0,
      count: 2,
      timeMs: 0,
      startMs: 0,
      endMs: 1000,
      speed: 1,
      playing: false,
      file: `rec${EVIL}.ftr`,
      warnings: [`damaged at ${EVIL}`],
    });
    const rendered = renderApp(store);
    mounted.push(rendered);
    await waitForInput(rendered);
    const main = await waitForFrame(rendered, (frame) => frame.includes('node?'));
    expect(withoutStyles(main)).not.toMatch(CONTROL);
    await press(rendered, 'f');
    const list = await waitForFrame(rendered, (frame) => frame.includes('ex?'));
    expect(withoutStyles(list)).not.toMatch(CONTROL);
    await press(rendered, KEYS.enter);
    const report = await waitForFrame(rendered, (frame) => frame.includes('Call trace'));
    expect(withoutStyles(report)).not.toMatch(CONTROL);
  });
});
