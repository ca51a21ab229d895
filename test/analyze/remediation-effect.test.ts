// Tests the measured before/after of a remediation and its one-line summary.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FileRead, ProcFileName, RawFrame } from '../../src/model/raw-frame.js';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { blocksAtOrder, remediationEffect } from '../../src/analyze/remediation-effect.js';
import { effectSummary, formatBytesShort } from '../../src/render/effect-summary.js';

const fixture = (file: string): string =>
  readFileSync(new URL(`../../fixtures/centos7-numa-k8s/proc/${file}`, import.meta.url), 'utf8');

const BUDDY = fixture('buddyinfo');
const ZONEINFO = fixture('zoneinfo');
const KERNEL = fixture('sys/kernel/osrelease').trim();
const T0 = 1_700_000_000_000;

// "Before": node 1's Normal zone lost every block of order ≥ 6, and zoneinfo agrees on its free pages
// (108359·1 + 115466·2 + 52431·4 + 12910·8 + 3762·16 + 796·32 = 737959).
const NODE1_ROW =
  'Node 1, zone   Normal 108359 115466  52431  12910   3762    796    185     69   1147      0      0';
const NODE1_FRAGMENTED =
  'Node 1, zone   Normal 108359 115466  52431  12910   3762    796      0      0      0      0      0';
const BUDDY_BEFORE = BUDDY.replace(NODE1_ROW, NODE1_FRAGMENTED);
const ZONEINFO_BEFORE = ZONEINFO.replace(/(Node 1, zone {3}Normal\n {2}pages free +)\d+/, '$1737959').replace(
  /(Node 1, zone {3}Normal[\s\S]*?nr_free_pages )\d+/,
  '$1737959',
);

const VMSTAT_BEFORE = [
  'nr_free_pages 5',
  'pgmigrate_success 50',
  'compact_migrate_scanned 1000',
  'compact_isolated 100',
  'compact_stall 10',
  'compact_fail 4',
  'compact_success 2',
  'drop_pagecache 0',
  'drop_slab 0',
].join('\n');
const VMSTAT_AFTER = [
  'nr_free_pages 9',
  'pgmigrate_success 9050',
  'compact_migrate_scanned 250000',
  'compact_isolated 50',
  'compact_stall 10',
  'compact_fail 4',
  'compact_success 5',
  'compact_daemon_wake 1',
  'drop_pagecache 0',
  'drop_slab 0',
].join('\n');
// 2 GiB free and 8 GiB cached before; 3 GiB and 7 GiB after.
const MEMINFO_BEFORE =
  'MemTotal:       131072000 kB\nMemFree:         2097152 kB\nCached:          8388608 kB\n';
const MEMINFO_AFTER =
  'MemTotal:       131072000 kB\nMemFree:         3145728 kB\nCached:          7340032 kB\n';

const read = (text: string, atMs: number): FileRead => ({ ok: true, text, readMs: 0.1, readAtMs: atMs });

function frame(timeMs: number, texts: Partial<Record<ProcFileName, string>>): RawFrame {
  const files: RawFrame['files'] = {};
  for (const [name, text] of Object.entries(texts)) files[name as ProcFileName] = read(text, timeMs);
  return { timeMs, host: 'k8s-node', kernel: KERNEL, pageSizeBytes: 4096, files, kmsg: [] };
}

const before = buildSnapshot(
  frame(T0, {
    buddyinfo: BUDDY_BEFORE,
    zoneinfo: ZONEINFO_BEFORE,
    vmstat: VMSTAT_BEFORE,
    meminfo: MEMINFO_BEFORE,
  }),
);
const after = buildSnapshot(
  frame(T0 + 1000, { buddyinfo: BUDDY, zoneinfo: ZONEINFO, vmstat: VMSTAT_AFTER, meminfo: MEMINFO_AFTER }),
);

describe('blocksAtOrder', () => {
  it('counts order-N blocks a larger free block splits into', () => {
    // DMA row: orders 6..10 hold 1 0 1 1 3 → 1 + 0·2 + 1·4 + 1·8 + 3·16.
    expect(blocksAtOrder([0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 3], 6)).toBe(61);
    expect(blocksAtOrder([5, 1], 0)).toBe(7);
    expect(blocksAtOrder([5, 1], 2)).toBe(0);
  });
});

describe('remediationEffect', () => {
  const effect = remediationEffect(before, after, 6);

  it('works on an edited copy that really differs from the fixture', () => {
    expect(BUDDY_BEFORE).not.toBe(BUDDY);
    expect(ZONEINFO_BEFORE.match(/pages free +737959/g)).toHaveLength(1);
    expect(ZONEINFO_BEFORE.match(/nr_free_pages 737959/g)).toHaveLength(1);
  });

  it('gives per-zone order ≥6 blocks, free pages and watermark verdicts before and after', () => {
    expect(effect.zones).toEqual([
      // DMA: 0+2+0+8+16+32+64+0+256+512+3072 pages. It keeps protection[Normal] = 64216 pages
      // (lowmem_reserve) from a Normal-class request, more than its 3830 free: never usable.
      {
        node: 0,
        zone: 'DMA',
        blocksBefore: 61,
        blocksAfter: 61,
        freePagesBefore: 3962,
        freePagesAfter: 3962,
        canAllocateBefore: false,
        canAllocateAfter: false,
      },
      // DMA32: 403 + 241·2 + 149·4 blocks; 142169 − 63 > min 306 + reserve 62461, and after taking
      // Σ_{o<6} nr_free[o]·2^o = 47385 away, 94721 > 306 >> 6.
      {
        node: 0,
        zone: 'DMA32',
        blocksBefore: 1481,
        blocksAfter: 1481,
        freePagesBefore: 142169,
        freePagesAfter: 142169,
        canAllocateBefore: true,
        canAllocateAfter: true,
      },
      // Normal#0: 176 + 5550·2 + 5297·4 blocks.
      {
        node: 0,
        zone: 'Normal',
        blocksBefore: 32464,
        blocksAfter: 32464,
        freePagesBefore: 3087030,
        freePagesAfter: 3087030,
        canAllocateBefore: true,
        canAllocateAfter: true,
      },
      // Normal#1: 185 + 69·2 + 1147·4 blocks after; pages 737959 + 185·64 + 69·128 + 1147·256.
      // Before, the 3.10 check runs out: 737959 − 63 − Σ_{o<6} nr_free[o]·2^o = −63 ≤ min 11288 >> 6.
      {
        node: 1,
        zone: 'Normal',
        blocksBefore: 0,
        blocksAfter: 4911,
        freePagesBefore: 737959,
        freePagesAfter: 1052263,
        canAllocateBefore: false,
        canAllocateAfter: true,
      },
    ]);
  });

  it('sums the totals and counts the zones that pass', () => {
    expect(effect.targetOrder).toBe(6);
    expect(effect.elapsedMs).toBe(1000);
    expect(effect.totals).toEqual({
      blocks: { before: 34006, after: 38917, delta: 4911 },
      // Without DMA (never usable) and, before, Normal#1: 1481 + 32464 → 1481 + 32464 + 4911.
      usableBlocks: { before: 33945, after: 38856, delta: 4911 },
      freePages: { before: 3971120, after: 4285424, delta: 314304 },
      zonesOk: { before: 2, after: 3, delta: 1 },
      zoneCount: { before: 4, after: 4 },
    });
    expect(effect.verdict).toEqual({ before: 'ok', after: 'ok' });
  });

  it('keeps compaction and drop counters that moved forward or stayed, and skips the rest', () => {
    expect(effect.counterDeltas).toEqual({
      pgmigrate_success: 9000,
      compact_migrate_scanned: 249000,
      compact_stall: 0,
      compact_fail: 0,
      compact_success: 3,
      drop_pagecache: 0,
      drop_slab: 0,
    });
  });

  it('reports MemFree and Cached changes in bytes', () => {
    expect(effect.memory).toEqual({
      freeBytes: { before: 2147483648, after: 3221225472, delta: 1073741824 },
      cachedBytes: { before: 8589934592, after: 7516192768, delta: -1073741824 },
    });
  });

  it('summarises in one line', () => {
    expect(effectSummary(effect)).toBe(
      'order ≥6 blocks 33,945 → 38,856 (+4,911); zones ok 2/4 → 3/4; free 2.0G → 3.0G; cached 8.0G → 7.0G; compact_success +3',
    );
  });

  it('falls back to buddyinfo free pages and leaves verdicts unknown without zoneinfo and meminfo', () => {
    const bare = remediationEffect(
      buildSnapshot(frame(T0, { buddyinfo: BUDDY_BEFORE })),
      buildSnapshot(frame(T0 + 2500, { buddyinfo: BUDDY })),
      6,
    );
    expect(bare.zones.every((z) => z.canAllocateBefore === null && z.canAllocateAfter === null)).toBe(true);
    expect(bare.totals.zonesOk).toEqual({ before: null, after: null, delta: null });
    expect(bare.memory.freeBytes).toEqual({ before: null, after: null, delta: null });
    expect(bare.counterDeltas).toEqual({});
    // 3971120 pages · 4 KiB = 15.1 GiB; 4285424 pages = 16.3 GiB.
    expect(effectSummary(bare)).toBe('order ≥6 blocks 34,006 → 38,917 (+4,911); free 15G → 16G');
  });

  it('marks a zone present on one side only with nulls', () => {
    const onlyNode0 = BUDDY.replace(NODE1_ROW, '');
    const effectLost = remediationEffect(after, buildSnapshot(frame(T0 + 1000, { buddyinfo: onlyNode0 })), 6);
    expect(effectLost.zones.map((z) => `${z.zone}#${z.node}`)).toEqual([
      'DMA#0',
      'DMA32#0',
      'Normal#0',
      'Normal#1',
    ]);
    expect(effectLost.zones[3]).toEqual({
      node: 1,
      zone: 'Normal',
      blocksBefore: 4911,
      blocksAfter: null,
      freePagesBefore: 1052263,
      freePagesAfter: null,
      canAllocateBefore: true,
      canAllocateAfter: null,
    });
    expect(effectLost.totals.zoneCount).toEqual({ before: 4, after: 3 });
    // Without zoneinfo the watermark check cannot run, and blocks of order ≥ 6 exist: no verdict.
    expect(effectLost.verdict).toEqual({ before: 'ok', after: 'unknown' });
  });

  it('says unknown without buddyinfo', () => {
    const empty = remediationEffect(buildSnapshot(frame(T0, {})), buildSnapshot(frame(T0, {})), 3);
    expect(empty.verdict).toEqual({ before: 'unknown', after: 'unknown' });
    expect(empty.zones).toEqual([]);
  });
});

describe('formatBytesShort', () => {
  it('uses one decimal below ten units', () => {
    expect(formatBytesShort(0)).toBe('0B');
    expect(formatBytesShort(1023)).toBe('1023B');
    expect(formatBytesShort(1024)).toBe('1.0K');
    expect(formatBytesShort(1288490188)).toBe('1.2G');
    expect(formatBytesShort(245 * 1024 * 1024)).toBe('245M');
    expect(formatBytesShort(-1073741824)).toBe('-1.0G');
  });
});
