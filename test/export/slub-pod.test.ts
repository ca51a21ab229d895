// Tests that a SLUB failure names the pod whose container its memory cgroup belongs to, from the kernel's report
// and the kubelet's own line about that container, through the failure log into the snapshot JSON and text.
import { describe, expect, it } from 'vitest';
import { snapshotJson } from '../../src/export/snapshot-json.js';
import { snapshotText } from '../../src/export/snapshot-text.js';
import { appendToFailureLog, EMPTY_FAILURE_LOG } from '../../src/store/failure-log.js';
import { createFragtopStore } from '../../src/store/create-store.js';
import { frameInput } from '../../src/cli/frame-output.js';
import { fixtureFrame } from '../helpers/frames.js';

// moby/moby#27576, as printed: the cgroup after the colon is the container's id.
const CONTAINER = '2cb79029be5b5466fd679edb12b9130c8c9e64b33b7a4807464a472aef70161f';
const SLUB = [
  '[872338.817343] SLUB: Unable to allocate memory on node -1 (gfp=0x20)',
  `[872338.817345]   cache: kmalloc-256(255:${CONTAINER}), object size: 256, buffer size: 256, default order: 1, min order: 0`,
  '[872338.817347]   node 0: slabs: 299, objs: 9568, free: 0',
];
// Built in kubelet's PLEG form (pkg/kubelet's SyncLoop line) for that container: no public log pairs the two.
const PLEG = `Nov 12 15:15:40 k8s-node kubelet: I1112 15:15:40.100000   26037 kubelet.go:1930] SyncLoop (PLEG): "web-7d4b9c_shop(9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f)", event: &pleg.PodLifecycleEvent{ID:"9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f", Type:"ContainerStarted", Data:"${CONTAINER}"}`;

describe('a SLUB failure and its pod', () => {
  it('names the pod the kubelet started the container for, in JSON and text', () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame('live-6.18', { kmsg: [PLEG, ...SLUB] }));
    const input = frameInput(store, [], null)!;
    const json = snapshotJson(input) as {
      memoryEvents: { kind: string; pod: unknown; container: string | null }[];
    };
    const slub = json.memoryEvents.find((event) => event.kind === 'slub')!;
    expect(slub.container).toBe(CONTAINER);
    expect(slub.pod).toMatchObject({
      namespace: 'shop',
      name: 'web-7d4b9c',
      uid: '9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f',
    });
    expect(snapshotText(input)).toContain('shop/web-7d4b9c');
  });

  it('names no pod when no kubelet line is about that container', () => {
    const log = appendToFailureLog(EMPTY_FAILURE_LOG, SLUB);
    expect(log.containerPods).toEqual([]);
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame('live-6.18', { kmsg: SLUB }));
    const json = snapshotJson(frameInput(store, [], null)!) as { memoryEvents: { pod: unknown }[] };
    expect(json.memoryEvents[0]!.pod).toBeNull();
  });
});
