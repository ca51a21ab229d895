// Tests the page classification, the pageblock map and the compaction ceiling on synthetic kpageflags words.
import { describe, expect, it } from 'vitest';
import {
  PageblockMapBuilder,
  pageClass,
  readWindow,
  type MapLayout,
} from '../../src/analyze/pageblock-classify.js';
import { zoneCeiling } from '../../src/analyze/compaction-ceiling.js';
import { blocksAtOrder as blocksAtOrAbove } from '../../src/analyze/remediation-effect.js';
import { mapLayoutOf } from '../../src/analyze/map-layout.js';
import { parseZoneInfo } from '../../src/parse/zoneinfo.js';
import { parsePageTypeInfo } from '../../src/parse/pagetypeinfo.js';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';

// Flag words as the kernel exports them (include/uapi/linux/kernel-page-flags.h).
const BUDDY = 1 << 10;
const LRU = 1 << 5;
const ANON = 1 << 12;
const SLAB = 1 << 7;
const NOPAGE = 1 << 20;
const RESERVED_HIGH = 1; // bit 32

type Page = 'F' | 'M' | 'U' | 'H' | 'R' | '0';
/** One letter a page: F free (buddy), M anonymous on the LRU, U slab, H no page, R reserved, 0 no flags. */
function words(pages: string): Uint32Array {
  const out = new Uint32Array(pages.length * 2);
  [...pages].forEach((p, i) => {
    const page = p as Page;
    out[2 * i] =
      page === 'F' ? BUDDY : page === 'M' ? LRU | ANON : page === 'U' ? SLAB : page === 'H' ? NOPAGE : 0;
    out[2 * i + 1] = page === 'R' ? RESERVED_HIGH : 0;
  });
  return out;
}

/** Builds a map over one chunk per window, from a page string covering the whole window. */
function build(layout: MapLayout, pages: string) {
  const builder = new PageblockMapBuilder(layout);
  const window = readWindow(layout)!;
  expect(pages.length).toBe(window.endPfn - window.firstPfn);
  builder.addChunk(window.firstPfn, words(pages));
  return builder.finish({ timeMs: 0, readMs: 1, pageSizeBytes: 4096 });
}

describe('pageClass', () => {
  it('reads holes, free, movable and unmovable pages from the flag bits', () => {
    expect(pageClass(NOPAGE, 0)).toBe(3);
    expect(pageClass(BUDDY, 0)).toBe(0);
    expect(pageClass(LRU | ANON, 0)).toBe(1);
    expect(pageClass(SLAB, 0)).toBe(2);
    expect(pageClass(LRU, RESERVED_HIGH)).toBe(2);
    // No flags at all: a kernel allocation compaction cannot move.
    expect(pageClass(0, 0)).toBe(2);
  });
});

describe('pageblock map', () => {
  // Pageblocks of 4 pages, free blocks up to order 2 (4 pages): one alignment unit is 4 pages.
  const layout: MapLayout = {
    zones: [{ node: 0, zone: 'Normal', startPfn: 0, spannedPages: 16 }],
    pageblockOrder: 2,
    orderCount: 3,
  };

  it('classes each pageblock by its worst page, counts pages, and finds clean aligned ranges per order', () => {
    const map = build(layout, 'FFFF' + 'FFMM' + 'FMUF' + 'HHHH');
    const zone = map.zones[0]!;
    expect(zone.classes).toBe('FMUH');
    expect(zone.pages).toEqual({ free: 8, movable: 3, unmovable: 1, hole: 4, unread: 0 });
    // order 0: 11 pages neither unmovable nor hole; order 1: FF FF FF MM FM (UF blocked, HH HH blocked) = 5;
    // order 2: the first two blocks.
    expect(zone.cleanRanges).toEqual([11, 5, 2]);
  });

  it('caps the ceiling at the free pages there are to migrate into', () => {
    const map = build(layout, 'MMMM' + 'MMMM' + 'MMMF' + 'FFFF');
    const zone = map.zones[0]!;
    expect(zone.cleanRanges[2]).toBe(4);
    // 5 free pages: one order-2 block's worth of room; four clean ranges cannot all be emptied.
    expect(zoneCeiling(zone, 2)).toMatchObject({ cleanRanges: 4, freeLimit: 1, ceiling: 1 });
    expect(zoneCeiling(zone, 0)).toMatchObject({ cleanRanges: 16, freeLimit: 5, ceiling: 5 });
  });

  it('counts pages outside a zone span neither in its shares nor in its clean ranges', () => {
    const map = build(
      { ...layout, zones: [{ node: 0, zone: 'DMA', startPfn: 1, spannedPages: 6 }] },
      'UFFF' + 'FFFU',
    );
    const zone = map.zones[0]!;
    expect(zone.pages.free).toBe(6);
    expect(zone.pages.unmovable).toBe(0);
    // The first and last pageblock are partly outside: aligned order-2 ranges need pfn 0-3 or 4-7 whole.
    expect(zone.cleanRanges).toEqual([6, 2, 0]);
    expect(zone.classes).toBe('FF');
  });

  it('counts page frames shared by overlapping zones of two nodes in both, and says so', () => {
    const map = build(
      {
        ...layout,
        zones: [
          { node: 0, zone: 'Normal', startPfn: 0, spannedPages: 12 },
          { node: 1, zone: 'Normal', startPfn: 8, spannedPages: 8 },
        ],
      },
      'FFFF' + 'UUUU' + 'FFFF' + 'MMMM',
    );
    const [zone0, zone1] = map.zones;
    expect(zone0!.classes).toBe('FUF');
    expect(zone1!.classes).toBe('FM');
    expect(zone0!.overlapsWith).toEqual(['1 Normal']);
    expect(zone1!.overlapsWith).toEqual(['0 Normal']);
    expect(zone0!.cleanRanges[2]).toBe(2);
    expect(zone1!.cleanRanges[2]).toBe(2);
  });

  it('marks frames past a short read as unread and keeps them in the ceiling, which must stay an upper bound', () => {
    const builder = new PageblockMapBuilder(layout);
    builder.addChunk(0, words('UUUU' + 'FF'));
    expect(builder.nextPfn()).toBe(8);
    const zone = builder.finish({ timeMs: 0, readMs: 1, pageSizeBytes: 4096 }).zones[0]!;
    expect(zone.classes).toBe('U???');
    expect(zone.pages).toEqual({ free: 2, movable: 0, unmovable: 4, hole: 0, unread: 10 });
    expect(zone.cleanRanges[2]).toBe(3);
    expect(zoneCeiling(zone, 2)!.ceiling).toBe(3);
  });

  it('works with 64 KiB pages: 14 orders and 512 MiB pageblocks (order 13)', () => {
    const big: MapLayout = {
      zones: [{ node: 0, zone: 'Normal', startPfn: 8192, spannedPages: 16384 }],
      pageblockOrder: 13,
      orderCount: 14,
    };
    const pages = 'F'.repeat(8192) + 'M'.repeat(8191) + 'U';
    const builder = new PageblockMapBuilder(big);
    builder.addChunk(8192, words(pages));
    const zone = builder.finish({ timeMs: 0, readMs: 1, pageSizeBytes: 65536 }).zones[0]!;
    expect(zone.classes).toBe('FU');
    expect(zone.cleanRanges[13]).toBe(1);
    expect(zone.cleanRanges[12]).toBe(3);
    expect(zoneCeiling(zone, 13)!.ceiling).toBe(1);
  });

  it('on kernels that flag only a free block’s head page, takes the flagless pages after it as the block', () => {
    const map = build(layout, 'F000' + 'MMMM' + 'F0MM' + 'F0F0');
    const zone = map.zones[0]!;
    expect(zone.pages.free).toBe(4 + 2 + 4);
    expect(zone.classes).toBe('FMMF');
  });

  it('leaves flagless pages unmovable once the kernel is seen flagging every free page', () => {
    const map = build(layout, 'FF00' + 'MMMM' + 'MMMM' + 'MMMM');
    expect(map.zones[0]!.pages).toMatchObject({ free: 2, unmovable: 2 });
    expect(map.zones[0]!.flaglessBlocks).toBe(0);
  });
});

describe('pageblocks with no flags at all', () => {
  it('stay unmovable in the map but count as possibly free in the ceiling (lazily initialised memory)', () => {
    const layout: MapLayout = {
      zones: [{ node: 0, zone: 'Normal', startPfn: 0, spannedPages: 16 }],
      pageblockOrder: 2,
      orderCount: 3,
    };
    const map = build(layout, 'FFMM' + '0000' + 'MMMM' + 'UUUU');
    const zone = map.zones[0]!;
    expect(zone.classes).toBe('MUMU');
    expect(zone.flaglessBlocks).toBe(1);
    expect(zone.flaglessPages).toBe(4);
    expect(zone.cleanRanges[2]).toBe(3);
    expect(zoneCeiling(zone, 2)).toMatchObject({ freeLimit: 1, ceiling: 1 });
  });
});

describe('blocksAtOrAbove', () => {
  it('counts larger free blocks as the order-N blocks they split into', () => {
    expect(blocksAtOrAbove([5, 4, 3, 2], 2)).toBe(3 + 2 * 2);
    expect(blocksAtOrAbove([5, 4, 3, 2], 0)).toBe(5 + 8 + 12 + 16);
  });
});

describe('mapLayoutOf', () => {
  it('takes spans from zoneinfo, the pageblock order from pagetypeinfo and the orders from buddyinfo', () => {
    const zoneinfo = parseZoneInfo(
      [
        'Node 0, zone      DMA',
        '  pages free     3840',
        '        spanned  4095',
        '        present  3998',
        '  pagesets',
        '    cpu: 0',
        '              count: 0',
        '  node_unreclaimable:  0',
        '  start_pfn:           1',
      ].join('\n'),
    ).value;
    const types = parsePageTypeInfo('Page block order: 9\nPages per block:  512\n').value;
    const buddy = parseBuddyInfo(
      'Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3\n',
    ).value;
    expect(mapLayoutOf(zoneinfo, types, buddy)).toEqual({
      ok: true,
      layout: {
        zones: [{ node: 0, zone: 'DMA', startPfn: 1, spannedPages: 4095 }],
        pageblockOrder: 9,
        orderCount: 11,
      },
    });
    expect(mapLayoutOf(zoneinfo, null, buddy)).toEqual({
      ok: false,
      message: 'pagetypeinfo (root) is needed for the pageblock order',
    });
  });
});
