// Tests the pure per-tick step: a frame and the previous sample give the snapshot, the rates and a history point.
import { describe, expect, it } from 'vitest';
import { advance } from '../../src/analyze/advance.js';
import { fixtureFrame, withBuddyinfo } from '../helpers/frames.js';

const vmstat = (stall: number) => ({
  ok: true as const,
  text: `compact_stall ${stall}\n`,
  readMs: 0.1,
  readAtMs: 0,
});

describe('advance', () => {
  it('gives the first frame a snapshot, no rates and a history point of every zone', () => {
    const frame = fixtureFrame('centos7-numa-k8s');
    const { snapshot, rates, point } = advance(null, frame);
    expect(rates).toEqual({});
    expect(point.timeMs).toBe(frame.timeMs);
    expect(Object.keys(point.zones)).toEqual(['0/DMA', '0/DMA32', '0/Normal', '1/Normal']);
    expect(point.zones['1/Normal']).toEqual(snapshot.zones[3]!.freeBlocksByOrder);
  });

  it('takes rates over the time between the frames, and none from a counter that went back', () => {
    const base = fixtureFrame('centos7-numa-k8s');
    const first = { ...base, files: { ...base.files, vmstat: vmstat(10) } };
    const previous = { frame: first, snapshot: advance(null, first).snapshot };
    const later = { ...base, timeMs: base.timeMs + 4000, files: { ...base.files, vmstat: vmstat(30) } };
    expect(advance(previous, later).rates['compact_stall']).toBe(5);
    const back = { ...later, files: { ...base.files, vmstat: vmstat(3) } };
    expect(advance(previous, back).rates['compact_stall']).toBeNull();
  });

  it('is pure: the same inputs give equal results and the inputs are left as they were', () => {
    const frame = withBuddyinfo(fixtureFrame('centos7-numa-k8s'), 'Node 0, zone   Normal 1 2 3 \n');
    const copy = structuredClone(frame);
    expect(advance(null, frame)).toEqual(advance(null, frame));
    expect(frame).toEqual(copy);
  });
});
