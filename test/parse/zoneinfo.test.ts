// Tests for the /proc/zoneinfo parser across kernel layouts.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseZoneInfo } from '../../src/parse/zoneinfo.js';
import type { ZoneInfo } from '../../src/parse/types.js';
import { allNumbers, anyInput, fixture, problemsPointInside, PROPERTY_RUNS } from './helpers.js';

const SAMPLES = [
  'arm32-2.6.16-slab/proc/zoneinfo',
  'ubuntu-3.2/proc/zoneinfo',
  'samples/zoneinfo-arm32-3.4-android-normal-highmem.txt',
  'samples/zoneinfo-3.10era-x86-numa2-32cpu-pcp-qa-002.txt',
  'samples/zoneinfo-4.14era-x86-pcp-qa-005.txt',
  'samples/zoneinfo-5.8ish-x86-1node-jc-fixture.txt',
  'samples/zoneinfo-5.8ish-x86-1node-movable-device-node-exporter-fixture.txt',
  'centos9-5.14-vm/proc/zoneinfo',
  'samples/zoneinfo-SYNTHETIC-2node-jc-fixture.txt',
  'samples/zoneinfo-6.18-x86-local-capture.txt',
];

function zone(info: ZoneInfo, node: number, name: string) {
  return info.zones.find((z) => z.node === node && z.zone === name);
}
function parse(name: string): ZoneInfo {
  const { value, problems } = parseZoneInfo(fixture(name));
  expect(problems).toEqual([]);
  return value;
}
function names(info: ZoneInfo): string[] {
  return info.zones.map((z) => `${z.node}:${z.zone}${z.populated ? '' : '(empty)'}`);
}

describe('parseZoneInfo on real samples', () => {
  it.each(SAMPLES)('%s parses without problems', (name) => {
    const { value, problems } = parseZoneInfo(fixture(name));
    expect(problems).toEqual([]);
    for (const z of value.zones) {
      expect(z.pagesFree).toBeTypeOf('number');
      expect(z.watermarkMinPages).toBeTypeOf('number');
      expect(z.protection.length).toBeGreaterThan(0);
    }
  });

  it('reads the 2.6.16 layout: active/inactive, scanned with detail, old pagesets', () => {
    const info = parse('arm32-2.6.16-slab/proc/zoneinfo');
    expect(info).toEqual({
      zones: [
        {
          node: 0,
          zone: 'DMA',
          pagesFree: 5410,
          watermarkMinPages: 181,
          watermarkLowPages: 226,
          watermarkHighPages: 271,
          spannedPages: 8192,
          // The footer's start_pfn line, after the per-CPU lists.
          startPfn: 196608,
          presentPages: 8192,
          protection: [0, 0, 0, 0],
          stats: { active: 367, inactive: 720, scanned: 0 },
          populated: true,
        },
      ],
      nodeStats: {},
    });
  });

  it('reads 3.2: no managed line, stats before protection', () => {
    const info = parse('ubuntu-3.2/proc/zoneinfo');
    expect(names(info)).toEqual(['0:DMA', '0:DMA32', '0:Normal']);
    const dma = zone(info, 0, 'DMA');
    expect(dma?.pagesFree).toBe(3960);
    expect([dma?.watermarkMinPages, dma?.watermarkLowPages, dma?.watermarkHighPages]).toEqual([32, 40, 48]);
    expect([dma?.spannedPages, dma?.presentPages, dma?.managedPages]).toEqual([4080, 3900, undefined]);
    expect(dma?.protection).toEqual([0, 3237, 7994, 7994]);
    expect(dma?.stats['nr_free_pages']).toBe(3960);
    expect(dma?.stats['numa_hit']).toBe(1);
    expect(dma?.stats['scanned']).toBe(0);
    const normal = zone(info, 0, 'Normal');
    expect([
      normal?.pagesFree,
      normal?.watermarkMinPages,
      normal?.watermarkLowPages,
      normal?.watermarkHighPages,
    ]).toEqual([607278, 10033, 12541, 15049]);
    expect(normal?.stats['numa_hit']).toBe(54181798);
    expect(info.nodeStats).toEqual({});
  });

  it('reads 3.4 HighMem on 32-bit ARM', () => {
    const info = parse('samples/zoneinfo-arm32-3.4-android-normal-highmem.txt');
    expect(names(info)).toEqual(['0:Normal', '0:HighMem']);
    const normal = zone(info, 0, 'Normal');
    expect([normal?.pagesFree, normal?.watermarkMinPages, normal?.presentPages]).toEqual([
      38277, 696, 121412,
    ]);
    expect(normal?.protection).toEqual([0, 4038, 4038]);
    expect(normal?.stats['nr_slab_unreclaimable']).toBe(4112);
  });

  it('reads a real 2-node 3.10 box', () => {
    const info = parse('samples/zoneinfo-3.10era-x86-numa2-32cpu-pcp-qa-002.txt');
    expect(names(info)).toEqual(['0:DMA', '0:DMA32', '0:Normal', '1:Normal']);
    const n1 = zone(info, 1, 'Normal');
    expect(n1).toMatchObject({
      pagesFree: 11093906,
      watermarkMinPages: 11288,
      watermarkLowPages: 14110,
      watermarkHighPages: 16932,
      spannedPages: 16777216,
      presentPages: 16777216,
      managedPages: 16514387,
      protection: [0, 0, 0, 0],
      populated: true,
    });
    expect(n1?.stats['nr_free_pages']).toBe(11093906);
    expect(n1?.stats['nr_free_cma']).toBe(0);
    expect(zone(info, 0, 'DMA')?.protection).toEqual([0, 1754, 64216, 64216]);
    expect(zone(info, 0, 'DMA')?.managedPages).toBe(3974);
    expect(info.nodeStats).toEqual({});
  });

  it('reads 4.14: per-node stats go to the node, not to the zone above them', () => {
    const info = parse('samples/zoneinfo-4.14era-x86-pcp-qa-005.txt');
    expect(names(info)).toEqual(['0:DMA', '0:DMA32', '0:Normal', '0:Movable(empty)', '0:Device(empty)']);
    const node0 = info.nodeStats[0] ?? {};
    expect(Object.keys(node0)).toHaveLength(25);
    expect(node0['nr_inactive_anon']).toBe(308899);
    expect(node0['workingset_refault']).toBe(1029558);
    expect(node0['nr_written']).toBe(37112522);
    const dma = zone(info, 0, 'DMA');
    expect(dma?.pagesFree).toBe(3971);
    expect(dma?.protection).toEqual([0, 1598, 15633, 15633, 15633]);
    expect(dma?.stats).toEqual({
      nr_free_pages: 3971,
      nr_zone_inactive_anon: 0,
      nr_zone_active_anon: 0,
      nr_zone_inactive_file: 0,
      nr_zone_active_file: 0,
      nr_zone_unevictable: 0,
      nr_zone_write_pending: 0,
      nr_mlock: 0,
      nr_slab_reclaimable: 0,
      nr_slab_unreclaimable: 4,
      nr_page_table_pages: 0,
      nr_kernel_stack: 0,
      nr_bounce: 0,
      nr_zspages: 0,
      numa_hit: 1,
      numa_miss: 0,
      numa_foreign: 0,
      numa_interleave: 0,
      numa_local: 1,
      numa_other: 0,
      nr_free_cma: 0,
    });
    expect(zone(info, 0, 'Movable')).toEqual({
      node: 0,
      zone: 'Movable',
      pagesFree: 0,
      watermarkMinPages: 0,
      watermarkLowPages: 0,
      watermarkHighPages: 0,
      spannedPages: 0,
      presentPages: 0,
      managedPages: 0,
      protection: [0, 0, 0, 0, 0],
      stats: {},
      populated: false,
    });
  });

  it('reads the 5.8 layouts', () => {
    const jc = parse('samples/zoneinfo-5.8ish-x86-1node-jc-fixture.txt');
    expect(names(jc)).toEqual(['0:DMA', '0:DMA32', '0:Normal', '0:Movable(empty)', '0:Device(empty)']);
    expect(zone(jc, 0, 'Normal')).toMatchObject({
      pagesFree: 5113,
      watermarkMinPages: 4097,
      watermarkLowPages: 5121,
      watermarkHighPages: 6145,
      managedPages: 236634,
    });
    const ne = parse('samples/zoneinfo-5.8ish-x86-1node-movable-device-node-exporter-fixture.txt');
    expect(ne.nodeStats[0]?.['nr_inactive_anon']).toBe(95612);
    expect(zone(ne, 0, 'DMA')?.stats['nr_inactive_anon']).toBeUndefined();
    expect(zone(ne, 0, 'Normal')).toMatchObject({
      pagesFree: 4539739,
      watermarkMinPages: 15809,
      managedPages: 7654794,
    });
    expect(zone(ne, 0, 'DMA32')?.protection).toEqual([0, 0, 29893, 29893, 29893]);
  });

  it('reads CentOS 9 5.14 with backported boost and cma lines', () => {
    const info = parse('centos9-5.14-vm/proc/zoneinfo');
    expect(names(info)).toEqual([
      '0:DMA',
      '0:DMA32',
      '0:Normal(empty)',
      '0:Movable(empty)',
      '0:Device(empty)',
    ]);
    expect(zone(info, 0, 'DMA')).toMatchObject({
      pagesFree: 3808,
      boostPages: 0,
      watermarkMinPages: 190,
      watermarkLowPages: 237,
      watermarkHighPages: 284,
      managedPages: 3840,
      cmaPages: 0,
      protection: [0, 756, 756, 756, 756],
    });
    expect(zone(info, 0, 'DMA')?.watermarkPromoPages).toBeUndefined();
    expect(zone(info, 0, 'DMA32')?.pagesFree).toBe(59214);
    expect(info.nodeStats[0]?.['pgpromote_success']).toBe(0);
    expect(info.nodeStats[0]?.['nr_slab_unreclaimable']).toBe(8802);
  });

  it('reads the synthetic 2-node file: per-node stats for both nodes', () => {
    const info = parse('samples/zoneinfo-SYNTHETIC-2node-jc-fixture.txt');
    expect(info.zones).toHaveLength(10);
    expect(Object.keys(info.nodeStats)).toEqual(['0', '1']);
    expect(zone(info, 1, 'DMA32')).toMatchObject({
      pagesFree: 606010,
      watermarkMinPages: 12729,
      managedPages: 758708,
    });
    expect(zone(info, 1, 'Device')?.populated).toBe(false);
  });

  it('reads 6.18: promo watermark and nr_free_pages_blocks', () => {
    const info = parse('samples/zoneinfo-6.18-x86-local-capture.txt');
    expect(names(info)).toEqual(['0:DMA', '0:DMA32', '0:Normal', '0:Movable(empty)', '0:Device(empty)']);
    expect(zone(info, 0, 'DMA')).toMatchObject({
      pagesFree: 3840,
      boostPages: 0,
      watermarkMinPages: 62,
      watermarkLowPages: 77,
      watermarkPromoPages: 107,
      spannedPages: 4095,
      presentPages: 3998,
      managedPages: 3840,
      cmaPages: 0,
      protection: [0, 3019, 4043, 4043, 4043],
    });
    expect(zone(info, 0, 'DMA')?.stats['nr_free_pages_blocks']).toBe(3584);
    // Unpopulated even though its watermarks are not zero.
    expect(zone(info, 0, 'Movable')).toMatchObject({
      watermarkMinPages: 32,
      presentPages: 0,
      populated: false,
    });
  });
});

describe('parseZoneInfo on malformed lines', () => {
  it('reports text before the first zone', () => {
    const { value, problems } = parseZoneInfo('hello\nNode 0, zone DMA\n  pages free 1\n');
    expect(value.zones).toHaveLength(1);
    expect(problems).toEqual([{ file: 'zoneinfo', line: 1, message: 'line outside a zone block: "hello"' }]);
  });

  it('reports a zone without a "pages free" line', () => {
    const { value, problems } = parseZoneInfo(
      'Node 0, zone DMA\n        min 5\nNode 0, zone Normal\n  pages free 1\n',
    );
    expect(value.zones[0]?.pagesFree).toBeUndefined();
    expect(value.zones[0]?.watermarkMinPages).toBe(5);
    expect(problems).toEqual([
      { file: 'zoneinfo', line: 1, message: 'node 0 zone DMA has no "pages free" line' },
    ]);
  });

  it('reports a bad protection list and keeps the zone', () => {
    const { value, problems } = parseZoneInfo(
      'Node 0, zone DMA\n  pages free 1\n        protection: (0, x)\n',
    );
    expect(value.zones[0]?.protection).toEqual([]);
    expect(problems).toEqual([
      { file: 'zoneinfo', line: 3, message: 'bad protection list: "protection: (0, x)"' },
    ]);
  });

  it('reports an unrecognised zone line', () => {
    const { problems } = parseZoneInfo('Node 0, zone DMA\n  pages free 1\n        min lots\n');
    expect(problems).toEqual([{ file: 'zoneinfo', line: 3, message: 'unrecognised line: "min lots"' }]);
  });

  it('reports an unrecognised per-node stat', () => {
    const text =
      'Node 0, zone DMA\n  per-node stats\n      nr_dirty 3\n      nr_dirty three\n  pages free 1\n';
    const { value, problems } = parseZoneInfo(text, 'z');
    expect(value.nodeStats).toEqual({ 0: { nr_dirty: 3 } });
    expect(problems).toEqual([
      { file: 'z', line: 4, message: 'unrecognised per-node stat: "nr_dirty three"' },
    ]);
  });

  it('ignores everything from pagesets to the next zone', () => {
    const text = [
      'Node 0, zone DMA',
      '  pages free 1',
      '  pagesets',
      '    cpu: 0',
      '              count: 2',
      '              high_min: 2664',
      '  vm stats threshold: 20',
      '  node_unreclaimable:  0',
      '  start_pfn:           1',
      'anything at all',
    ].join('\n');
    const { value, problems } = parseZoneInfo(text);
    expect(problems).toEqual([]);
    expect(value.zones[0]?.stats).toEqual({});
    expect(value.zones[0]?.populated).toBe(true);
  });

  it('gives empty results for empty input', () => {
    expect(parseZoneInfo('')).toEqual({ value: { zones: [], nodeStats: {} }, problems: [] });
  });
});

describe('parseZoneInfo never throws', () => {
  const texts = SAMPLES.map(fixture);
  it('returns arrays and finite numbers for any input', () => {
    fc.assert(
      fc.property(anyInput(texts), (text) => {
        const { value, problems } = parseZoneInfo(text);
        expect(Array.isArray(problems)).toBe(true);
        expect(Array.isArray(value.zones)).toBe(true);
        for (const z of value.zones) expect(Array.isArray(z.protection)).toBe(true);
        expect(allNumbers(value).every(Number.isFinite)).toBe(true);
        expect(problemsPointInside(problems, text)).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
