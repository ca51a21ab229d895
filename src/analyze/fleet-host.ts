// One fleet host as a Snapshot, so its zones are drawn by the same panel and layout as the live screen.
import type { Snapshot } from './snapshot-types.js';
import { zoneFromBuddy } from './build-snapshot.js';
import { ASSUMED_PAGE_SIZE, type HostRecord } from './fleet.js';

/**
 * The host's zones with the watermark checks it exported (orders it did not export stay unknown, so the
 * panel shows `?`); no slab, migrate-type or meminfo data comes through Prometheus.
 */
export function hostSnapshot(record: HostRecord): Snapshot {
  const pageSizeBytes = record.pageSizeBytes ?? ASSUMED_PAGE_SIZE;
  const zones = record.zones.map((buddy) => {
    const zone = zoneFromBuddy(buddy, null, null, null);
    const checks = record.checks?.zones.find((z) => z.node === buddy.node && z.zone === buddy.zone);
    const all = buddy.freeBlocksByOrder.map((_, o) => checks?.canAllocate[o]);
    // Colours need every order; with some unknown, only the ok@N column is filled (from the target order's check).
    return { ...zone, canAllocate: all.every((v) => v !== undefined) ? (all as boolean[]) : null };
  });
  const orderCount = Math.max(0, ...record.zones.map((z) => z.freeBlocksByOrder.length));
  const unavailable: Snapshot['unavailable'] = {
    pagetypeinfo: 'not exported through Prometheus',
    slabinfo: 'not exported through Prometheus',
  };
  if (record.source === 'buddyinfo')
    unavailable.zoneinfo = 'node_exporter buddyinfo only: watermarks need zoneinfo (fragtop metrics)';
  return {
    timeMs: record.zonesAtMs,
    host: record.host,
    kernel: null,
    pageSizeBytes,
    orderCount,
    zones,
    slabs: [],
    slabAllocator: null,
    memory: { totalBytes: null, freeBytes: null, availableBytes: null, cachedBytes: null },
    vmstat: {},
    unavailable,
    problems: [],
    parsed: { buddy: { zones: record.zones }, zoneinfo: null, pageTypes: null, meminfo: null },
    readMs: {},
    pageblocks: null,
    events: null,
  };
}
