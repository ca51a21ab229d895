// Tests the Prometheus exposition (zone, verdict, failure and slab series) and the --listen address forms.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFragtopStore } from '../../src/store/create-store.js';
import { selectDiagnosis } from '../../src/store/select-diagnosis.js';
import { prometheusText, TOP_SLAB_SERIES } from '../../src/export/prometheus.js';
import { parseListenAddress } from '../../src/cli/run-metrics.js';
import { fixtureFrame, fixturePath } from '../helpers/frames.js';

async function exposition() {
  const store = createFragtopStore();
  const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').split('\n');
  store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s', { kmsg: dmesg }));
  const state = store.getState();
  return prometheusText({
    snapshot: state.sample.latest!,
    diagnosis: selectDiagnosis(state),
    failures: state.sample.failureLog.failures,
    suppressedFailures: state.sample.failureLog.suppressed,
  });
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus exposition', () => {
  it('exports free blocks, indices and watermark verdicts per zone and order', async () => {
    const text = await exposition();
    // Node 1 Normal: 108359 115466 52431 12910 3762 796 185 69 1147 0 0
    expect(sample(text, 'fragtop_zone_free_blocks{numa_node="1",zone="Normal",order="8"}')).toBe(1147);
    expect(sample(text, 'fragtop_zone_free_pages{numa_node="0",zone="DMA"}')).toBe(3962);
    expect(sample(text, 'fragtop_zone_fragmentation_index{numa_node="1",zone="Normal",order="9"}')).toBe(
      0.994,
    );
    expect(sample(text, 'fragtop_zone_can_allocate{numa_node="0",zone="DMA",order="0"}')).toBe(0);
    expect(sample(text, 'fragtop_zone_watermark_pages{numa_node="0",zone="DMA",mark="min"}')).toBe(2);
    expect(text).toContain('# TYPE fragtop_zone_free_blocks gauge');
  });

  it('exports per zone and order the order-N blocks the free blocks of order >= N make', async () => {
    const text = await exposition();
    // Node 1 Normal, orders 6, 7, 8: 185 + 69·2 + 1147·4; order 9 has none; order 0 is every free page.
    const at = (order: number) =>
      sample(text, `fragtop_zone_suitable_blocks{numa_node="1",zone="Normal",order="${order}"}`);
    expect(at(6)).toBe(185 + 69 * 2 + 1147 * 4);
    expect(at(8)).toBe(1147);
    expect(at(9)).toBe(0);
    expect(at(0)).toBe(sample(text, 'fragtop_zone_free_pages{numa_node="1",zone="Normal"}'));
  });

  it('exports the target-order verdict and the failures found in the kernel log', async () => {
    const text = await exposition();
    expect(sample(text, 'fragtop_target_order')).toBe(6);
    expect(sample(text, 'fragtop_target_order_verdict{order="6",verdict="ok"}')).toBe(1);
    expect(sample(text, 'fragtop_target_order_verdict{order="6",verdict="fragmentation"}')).toBe(0);
    expect(sample(text, 'fragtop_target_order_servable_blocks{order="6"}')).toBe(38856);
    expect(sample(text, 'fragtop_alloc_failures_total{order="6",cause="fragmentation"}')).toBe(1);
    expect(text).toContain('# TYPE fragtop_alloc_failures_total counter');
    expect(sample(text, 'fragtop_unavailable_sources{source="pagetypeinfo"}')).toBe(1);
  });

  it(`keeps at most ${TOP_SLAB_SERIES} slab series, summing caches that share a name`, async () => {
    const text = await exposition();
    const series = text.split('\n').filter((l) => l.startsWith('fragtop_slab_cache_bytes{'));
    expect(series).toHaveLength(TOP_SLAB_SERIES);
    // buffer_head: 6.4M objects of 104 B, 39 per slab, 1 page per slab (the largest cache in this fixture).
    expect(series[0]).toMatch(/^fragtop_slab_cache_bytes\{cache="buffer_head"\} \d+$/);
  });
});

describe('metric conventions', () => {
  it('labels the NUMA node numa_node, never node (the Kubernetes target label)', async () => {
    const text = await exposition();
    expect(text).toMatch(/numa_node="1"/);
    expect(text).not.toMatch(/[{,]node="/);
  });

  it('exports the build, the sample time and the page size', async () => {
    const store = createFragtopStore();
    store.getState().actions.ingest(fixtureFrame('live-6.18'));
    const state = store.getState();
    const text = await prometheusText({
      snapshot: state.sample.latest!,
      diagnosis: selectDiagnosis(state),
      failures: [],
      suppressedFailures: 0,
      version: '9.9.9',
    });
    expect(sample(text, 'fragtop_build_info{version="9.9.9"}')).toBe(1);
    expect(sample(text, 'fragtop_last_sample_timestamp_seconds')).toBe(state.sample.latest!.timeMs / 1000);
    expect(sample(text, 'fragtop_page_size_bytes')).toBe(4096);
    // vmstat of this capture: compact_stall 0, exported as a counter.
    expect(sample(text, 'fragtop_compact_stall_total')).toBe(state.sample.latest!.vmstat['compact_stall']);
  });

  it('leaves the compaction counter out when vmstat is missing, rather than exporting 0', async () => {
    const text = await exposition();
    expect(text).not.toContain('fragtop_compact_stall_total');
    expect(sample(text, 'fragtop_unavailable_sources{source="vmstat"}')).toBe(1);
  });
});

describe('--listen addresses', () => {
  it('reads :PORT, PORT, HOST:PORT and [IPv6]:PORT', () => {
    expect(parseListenAddress(':9101')).toEqual({ host: undefined, port: 9101 });
    expect(parseListenAddress('9101')).toEqual({ host: undefined, port: 9101 });
    expect(parseListenAddress('127.0.0.1:9101')).toEqual({ host: '127.0.0.1', port: 9101 });
    expect(parseListenAddress('[::1]:9101')).toEqual({ host: '::1', port: 9101 });
    for (const bad of ['', 'host', ':99999', 'a:b:c']) expect(parseListenAddress(bad)).toBeNull();
  });
});

describe('pod start failures and memory events in metrics', () => {
  it('counts the pod start linked to the order-6 report, the unlinked one apart, and the memory cgroups', async () => {
    const store = createFragtopStore();
    const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').trimEnd().split('\n');
    const kubelet = readFileSync(fixturePath('centos7-numa-k8s', 'kubelet.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    store.getState().actions.ingest(fixtureFrame('centos7-numa-k8s', { kmsg: [...dmesg, ...kubelet] }));
    const { failureLog, latest } = store.getState().sample;
    const text = await prometheusText({
      snapshot: latest!,
      diagnosis: null,
      failures: failureLog.failures,
      suppressedFailures: 0,
      podStartsUnlinked: failureLog.podLink.unlinked,
      memoryEventTotals: failureLog.memoryEventTotals,
    });
    expect(sample(text, 'fragtop_pod_start_failures_linked_total{order="6"}')).toBe(1);
    expect(sample(text, 'fragtop_pod_start_failures_unlinked_total')).toBe(1);
    expect(sample(text, 'fragtop_kernel_memory_events_total{kind="slub"}')).toBe(0);
    expect(sample(text, 'fragtop_memory_cgroups')).toBe(64734);
    expect(sample(text, 'fragtop_memory_cgroup_id_limit')).toBe(65535);
  });
});
