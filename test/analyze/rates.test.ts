/// <reference types="vite/client" />
// Tests for vmstat counter rates and the trend counter list.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TREND_COUNTERS, counterRates, trendCounterNames } from '../../src/analyze/rates.js';
import vmstat59 from '../../fixtures/samples/vmstat-5.9plus-numa2-pcp-qa-007.txt?raw';
import vmstat4x from '../../fixtures/samples/vmstat-4.x-early-node-exporter-fixture.txt?raw';

const counters = (text: string): Record<string, number> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2)
      .map(([k, v]) => [k ?? '', Number(v)]),
  );

describe('trendCounterNames', () => {
  it('5.9+: per-zone allocstall, no compact_daemon_* except wake', () => {
    expect(trendCounterNames(counters(vmstat59))).toEqual([
      'compact_stall',
      'compact_fail',
      'compact_success',
      'compact_migrate_scanned',
      'compact_free_scanned',
      'compact_daemon_wake',
      'allocstall_dma',
      'allocstall_dma32',
      'allocstall_normal',
      'allocstall_movable',
      'pgmigrate_success',
      'pgscan_kswapd',
      'pgscan_direct',
      'pgsteal_kswapd',
      'pgsteal_direct',
      'drop_pagecache',
      'drop_slab',
    ]);
  });

  it('early 4.x: one allocstall and per-zone pgscan/pgsteal, without pgscan_direct_throttle', () => {
    const names = trendCounterNames(counters(vmstat4x));
    expect(names).toContain('allocstall');
    expect(names).not.toContain('compact_daemon_wake');
    expect(names).not.toContain('pgscan_direct_throttle');
    expect(names.filter((n) => n.startsWith('pgscan_direct'))).toEqual([
      'pgscan_direct_dma',
      'pgscan_direct_dma32',
      'pgscan_direct_normal',
      'pgscan_direct_movable',
    ]);
    expect(TREND_COUNTERS).toContain('allocstall_*');
  });
});

describe('counterRates', () => {
  const cur = counters(vmstat4x);

  it('divides the growth by the elapsed seconds', () => {
    const prev = {
      ...cur,
      compact_stall: 210959 - 30,
      compact_fail: 164840 - 25,
      pgmigrate_success: 37070309,
    };
    expect(counterRates(prev, cur, 2, ['compact_stall', 'compact_fail', 'pgmigrate_success'])).toEqual({
      compact_stall: 15,
      compact_fail: 12.5,
      pgmigrate_success: 0,
    });
  });

  it('gives null, never a negative rate: backwards, missing, no previous frame, no time', () => {
    const prev = { ...cur, compact_stall: 210960 };
    expect(counterRates(prev, cur, 1, ['compact_stall', 'compact_daemon_wake', 'constructor'])).toEqual({
      compact_stall: null,
      compact_daemon_wake: null,
      constructor: null,
    });
    expect(counterRates(undefined, cur, 1, ['compact_stall'])).toEqual({ compact_stall: null });
    expect(counterRates(cur, cur, 0, ['compact_stall'])).toEqual({ compact_stall: null });
    expect(counterRates(cur, cur, -1, ['compact_stall'])).toEqual({ compact_stall: null });
    expect(counterRates(cur, cur, Number.NaN, ['compact_stall'])).toEqual({ compact_stall: null });
    const { drop_slab: _gone, ...withoutDropSlab } = cur;
    expect(counterRates(withoutDropSlab, cur, 1, ['drop_slab'])).toEqual({ drop_slab: null });
  });

  it('is never negative (property)', () => {
    const frame = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', '__proto__'),
      fc.oneof(fc.integer(), fc.double()),
    );
    fc.assert(
      fc.property(fc.option(frame, { nil: undefined }), frame, fc.double(), (prev, now, elapsed) => {
        const rates = counterRates(prev, now, elapsed, ['a', 'b', 'c', '__proto__']);
        return Object.values(rates).every((r) => r === null || (Number.isFinite(r) && r >= 0));
      }),
    );
  });
});
