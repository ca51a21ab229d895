// Per-second rates of /proc/vmstat counters between two frames; no value rather than a wrong one.

import type { Counters } from '../parse/types.js';

/**
 * vmstat counters worth a trend line. A name ending in `_*` stands for its per-zone variants
 * (`allocstall_normal`, … since 4.8; `pgscan_kswapd_dma32`, … before 4.8); expand with trendCounterNames().
 */
export const TREND_COUNTERS: readonly string[] = [
  'compact_stall',
  'compact_fail',
  'compact_success',
  'compact_migrate_scanned',
  'compact_free_scanned',
  'compact_daemon_wake',
  'allocstall',
  'allocstall_*',
  'pgmigrate_success',
  'pgscan_kswapd',
  'pgscan_kswapd_*',
  'pgscan_direct',
  'pgscan_direct_*',
  'pgsteal_kswapd',
  'pgsteal_kswapd_*',
  'pgsteal_direct',
  'pgsteal_direct_*',
  'drop_pagecache',
  'drop_slab',
];

// Own keys only: a plain object would otherwise answer `constructor` from its prototype.
const valueOf = (counters: Counters | undefined, name: string): number | undefined =>
  counters !== undefined && Object.hasOwn(counters, name) && typeof counters[name] === 'number'
    ? counters[name]
    : undefined;

// Only zone suffixes: `pgscan_direct_throttle` is a counter of its own, not a zone of pgscan_direct.
const ZONE_SUFFIXES: readonly string[] = ['dma', 'dma32', 'normal', 'highmem', 'movable', 'device'];

/** The names of `patterns` present in `counters`, `_*` entries expanded to the zones present (zone order). */
export function trendCounterNames(
  counters: Counters,
  patterns: readonly string[] = TREND_COUNTERS,
): string[] {
  const names: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('_*')) {
      const base = pattern.slice(0, -1);
      for (const zone of ZONE_SUFFIXES) if (Object.hasOwn(counters, base + zone)) names.push(base + zone);
    } else if (Object.hasOwn(counters, pattern)) {
      names.push(pattern);
    }
  }
  return names;
}

/**
 * Per-second rate of each named counter between `prev` and `cur`. Null when there is no previous
 * frame, `elapsedSeconds` is not positive, a frame lacks the counter, or it went backwards (a reboot
 * or a wrap): never a negative rate.
 */
export function counterRates(
  prev: Counters | undefined,
  cur: Counters,
  elapsedSeconds: number,
  names: readonly string[],
): Record<string, number | null> {
  // fromEntries defines own properties, so even a counter named `__proto__` stays data.
  return Object.fromEntries(
    names.map((name) => {
      const before = valueOf(prev, name);
      const now = valueOf(cur, name);
      if (
        before === undefined ||
        now === undefined ||
        !(elapsedSeconds > 0) ||
        !Number.isFinite(elapsedSeconds)
      ) {
        return [name, null];
      }
      const delta = now - before;
      const rate = delta / elapsedSeconds;
      // A tiny interval can overflow to Infinity: no value rather than a wrong one.
      return [name, delta >= 0 && Number.isFinite(rate) ? rate : null];
    }),
  );
}
