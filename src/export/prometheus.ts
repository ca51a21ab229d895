// Prometheus exposition of one snapshot: per-zone, per-order free blocks, indices and watermark verdicts,
// the target-order verdict, the largest slab caches and the kernel's allocation failures.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Diagnosis } from '../analyze/diagnosis.js';
import { contigPageInfo } from '../analyze/fragmentation-index.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';

/** Per-netns caches can number thousands; only the largest are exported, to keep series bounded. */
export const TOP_SLAB_SERIES = 20;
const VERDICTS: Diagnosis['verdict'][] = ['ok', 'fragmentation', 'low-memory', 'unknown'];

export interface PrometheusInput {
  snapshot: Snapshot;
  diagnosis: Diagnosis | null;
  failures: readonly AllocFailure[];
  suppressedFailures: number;
  /** Reports counted but no longer kept in detail (not in `failures`, so not in alloc_failures). */
  failuresDropped?: number;
  /** 1 read, 0 not read; absent when unknown. */
  kernelLogRead?: boolean | null;
  /** fragtop's version, for fragtop_build_info. */
  version?: string;
  /** Pod start failures not linked to any report; absent when no kubelet or runtime line was read. */
  podStartsUnlinked?: number;
  /** SLUB, stall and vmalloc events read so far, by kind. */
  memoryEventTotals?: Record<string, number>;
}

/**
 * The NUMA node label is `numa_node`: Kubernetes service discovery adds its own `node` target label (the
 * node's name), and the two must not clash.
 */
export const NUMA_LABEL = 'numa_node';

export async function prometheusText(input: PrometheusInput): Promise<string> {
  const { snapshot, diagnosis } = input;
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `fragtop_${name}`, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `fragtop_${name}_total`, help, labelNames, registers: [registry] });

  gauge('build_info', 'Always 1; the label says which fragtop serves these series.', ['version']).set(
    { version: input.version ?? 'dev' },
    1,
  );
  gauge('last_sample_timestamp_seconds', 'When the frame these series come from was read (Unix time).').set(
    snapshot.timeMs / 1000,
  );
  gauge('page_size_bytes', 'The page size: one order-0 block.').set(snapshot.pageSizeBytes);

  const freeBlocks = gauge('zone_free_blocks', 'Free blocks of each order (buddyinfo).', [
    NUMA_LABEL,
    'zone',
    'order',
  ]);
  const freePages = gauge('zone_free_pages', 'Free pages, the sum of free blocks times 2^order.', [
    NUMA_LABEL,
    'zone',
  ]);
  // One selector ({order="N"}) answers "how many order-N blocks": the fleet need not fetch and sum every order.
  const suitable = gauge(
    'zone_suitable_blocks',
    'Order-N blocks obtainable from free blocks of order >= N: the sum over o >= N of free blocks times 2^(o-N).',
    [NUMA_LABEL, 'zone', 'order'],
  );
  const unusable = gauge('zone_unusable_index', "The kernel's unusable free space index / 1000.", [
    NUMA_LABEL,
    'zone',
    'order',
  ]);
  const extfrag = gauge(
    'zone_fragmentation_index',
    "The kernel's fragmentation index / 1000; -1 when a block is free.",
    [NUMA_LABEL, 'zone', 'order'],
  );
  const canAllocate = gauge(
    'zone_can_allocate',
    '1 when an order-N request passes the zone min watermark now, without reclaim or compaction.',
    [NUMA_LABEL, 'zone', 'order'],
  );
  const watermark = gauge('zone_watermark_pages', 'Zone watermarks (zoneinfo).', [
    NUMA_LABEL,
    'zone',
    'mark',
  ]);
  for (const zone of snapshot.zones) {
    const at = { [NUMA_LABEL]: String(zone.node), zone: zone.zone };
    freePages.set(at, zone.freePages);
    zone.freeBlocksByOrder.forEach((blocks, order) => {
      const labels = { ...at, order: String(order) };
      freeBlocks.set(labels, blocks);
      suitable.set(labels, contigPageInfo(zone.freeBlocksByOrder, order).freeBlocksSuitable);
      unusable.set(labels, zone.unusableIndex[order] ?? NaN);
      extfrag.set(labels, zone.fragmentationIndex[order] ?? NaN);
      const ok = zone.canAllocate?.[order];
      if (ok !== undefined) canAllocate.set(labels, ok ? 1 : 0);
    });
    if (zone.watermarks)
      for (const [mark, pages] of Object.entries(zone.watermarks)) watermark.set({ ...at, mark }, pages);
  }

  if (diagnosis) {
    gauge(
      'target_order',
      'The order fragtop watches (--order, else the highest recent failure, else 3).',
    ).set(diagnosis.targetOrder);
    const order = String(diagnosis.targetOrder);
    gauge('target_order_servable_blocks', 'Target-order blocks in the zones that pass the watermark check.', [
      'order',
    ]).set({ order }, diagnosis.servableBlocks);
    const verdict = gauge('target_order_verdict', '1 for the current verdict at the target order.', [
      'order',
      'verdict',
    ]);
    for (const name of VERDICTS) verdict.set({ order, verdict: name }, diagnosis.verdict === name ? 1 : 0);
  }

  const slabBytes = gauge('slab_cache_bytes', `Memory of the ${TOP_SLAB_SERIES} largest slab caches.`, [
    'cache',
  ]);
  // Names can repeat (one cache per device or netns): add them up under one series.
  const bytesByName = new Map<string, number>();
  for (const slab of snapshot.slabs)
    bytesByName.set(slab.name, (bytesByName.get(slab.name) ?? 0) + slab.bytes);
  [...bytesByName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_SLAB_SERIES)
    .forEach(([cache, bytes]) => slabBytes.set({ cache }, bytes));
  gauge('slab_bytes', 'Memory of all slab caches.').set(
    snapshot.slabs.reduce((sum, slab) => sum + slab.bytes, 0),
  );

  const failures = counter(
    'alloc_failures',
    'Allocation-failure reports in the kernel log read so far, by order and cause.',
    ['order', 'cause'],
  );
  for (const failure of input.failures) failures.inc({ order: String(failure.order), cause: failure.cause });
  counter(
    'alloc_failures_suppressed',
    'Reports the kernel rate limit did not print (callbacks suppressed).',
  ).inc(input.suppressedFailures);
  gauge(
    'alloc_failures_dropped',
    'Reports read from the kernel log whose details were dropped to bound memory (not in alloc_failures_total).',
  ).set(input.failuresDropped ?? 0);
  const linked = counter(
    'pod_start_failures_linked',
    'Pod sandbox or container starts the kubelet or runtime logged as failed within 1 s before to 10 s after an allocation-failure report, with a namespace/cgroup kind of error, by the failure order.',
    ['order'],
  );
  for (const failure of input.failures)
    if (failure.pods?.length) linked.inc({ order: String(failure.order) }, failure.pods.length);
  if (input.podStartsUnlinked !== undefined)
    counter(
      'pod_start_failures_unlinked',
      'Pods whose start the kubelet or runtime logged as failed without a linked allocation failure.',
    ).inc(input.podStartsUnlinked);
  if (input.memoryEventTotals) {
    const events = counter(
      'kernel_memory_events',
      'Kernel memory warnings read so far besides allocation failures: slub (SLUB: Unable to allocate memory), stall (page allocation stalls), vmalloc (vmalloc: allocation failure).',
      ['kind'],
    );
    for (const [kind, n] of Object.entries(input.memoryEventTotals)) events.inc({ kind }, n);
  }
  const memcg = snapshot.memoryCgroups;
  if (memcg && memcg.count !== null) {
    gauge('memory_cgroups', 'Memory cgroups in /proc/cgroups (num_cgroups of the memory controller).').set(
      memcg.count,
    );
    gauge(
      'memory_cgroup_id_limit',
      'Memory cgroups the kernel can number (65535): creating more fails with ENOMEM.',
    ).set(memcg.limit);
  }
  if (input.kernelLogRead !== undefined && input.kernelLogRead !== null)
    gauge(
      'kernel_log_readable',
      '1 when the kernel log could be read; 0 when it could not (alloc_failures_total is then unknown, not zero).',
    ).set(input.kernelLogRead ? 1 : 0);
  // Counters of the kernel's own (vmstat); absent when vmstat could not be read, never a made-up 0.
  const stalls = snapshot.vmstat['compact_stall'];
  if (stalls !== undefined)
    counter('compact_stall', 'Direct compaction stalls since boot (vmstat compact_stall).').inc(stalls);
  const unavailable = gauge('unavailable_sources', '1 for each /proc file that could not be read.', [
    'source',
  ]);
  for (const source of Object.keys(snapshot.unavailable)) unavailable.set({ source }, 1);
  return registry.metrics();
}
