// Tests for the /proc/slabinfo parser.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseSlabInfo } from '../../src/parse/slabinfo.js';
import { allNumbers, anyInput, fixture, problemsPointInside, PROPERTY_RUNS } from './helpers.js';

const SLAB = 'arm32-2.6.16-slab/proc/slabinfo';
const SLUB_SAMPLES: [string, number][] = [
  ['ubuntu-3.2/proc/slabinfo', 136],
  ['samples/slabinfo-slub-jc-fixture.txt', 145],
  ['samples/slabinfo-slub-nvidia-kvm-prometheus-procfs-fixture.txt', 300],
  ['centos7-numa-k8s/proc/slabinfo', 129],
  ['samples/slabinfo-slub-short-node-exporter-fixture.txt', 4],
];

const LEGEND_21 =
  '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>';

function find(name: string, file: string) {
  return parseSlabInfo(fixture(file)).value.caches.find((c) => c.name === name);
}

describe('parseSlabInfo on real samples', () => {
  it.each(SLUB_SAMPLES)('%s is SLUB 2.1 with %i caches and no problems', (name, count) => {
    const { value, problems } = parseSlabInfo(fixture(name));
    expect(problems).toEqual([]);
    expect(value.version).toBe('2.1');
    expect(value.allocator).toBe('slub');
    expect(value.caches).toHaveLength(count);
  });

  it('reads the SLAB allocator of 2.6.16 with its tunables and odd names', () => {
    const { value, problems } = parseSlabInfo(fixture(SLAB));
    expect(problems).toEqual([]);
    expect(value.version).toBe('2.1');
    expect(value.allocator).toBe('slab');
    expect(value.caches).toHaveLength(126);
    expect(value.caches[0]?.name).toBe('TIPC');
    expect(value.caches.find((c) => c.name === 'biovec-(256)')).toEqual({
      name: 'biovec-(256)',
      activeObjs: 1,
      numObjs: 1,
      objSizeBytes: 3072,
      objPerSlab: 1,
      pagesPerSlab: 1,
      activeSlabs: 1,
      numSlabs: 1,
      sharedAvail: 0,
      tunables: { limit: 24, batchCount: 12, sharedFactor: 0 },
    });
    const dma = value.caches.find((c) => c.name === 'size-131072(DMA)');
    expect(dma?.objSizeBytes).toBe(131072);
    expect(dma?.pagesPerSlab).toBe(32);
    expect(dma?.tunables).toEqual({ limit: 8, batchCount: 4, sharedFactor: 0 });
  });

  it('reads a long name that pushes the columns right', () => {
    expect(find('dmaengine-unmap-128', 'samples/slabinfo-slub-short-node-exporter-fixture.txt')).toEqual({
      name: 'dmaengine-unmap-128',
      activeObjs: 1206,
      numObjs: 1320,
      objSizeBytes: 1088,
      objPerSlab: 30,
      pagesPerSlab: 8,
      activeSlabs: 44,
      numSlabs: 44,
      sharedAvail: 0,
      tunables: { limit: 0, batchCount: 0, sharedFactor: 0 },
    });
  });

  it('reads the per-netns nf_conntrack caches of a RHEL7-era node', () => {
    const rhel7 = 'centos7-numa-k8s/proc/slabinfo';
    const { value } = parseSlabInfo(fixture(rhel7));
    expect(value.caches.filter((c) => c.name.startsWith('nf_conntrack_')).map((c) => c.name)).toEqual([
      'nf_conntrack_ffff881026e52400',
      'nf_conntrack_ffff881026e50000',
      'nf_conntrack_ffffffff81a25e00',
    ]);
    const live = find('nf_conntrack_ffffffff81a25e00', rhel7);
    expect([
      live?.activeObjs,
      live?.numObjs,
      live?.objSizeBytes,
      live?.objPerSlab,
      live?.pagesPerSlab,
    ]).toEqual([1632, 1632, 320, 51, 4]);
    expect([live?.activeSlabs, live?.numSlabs]).toEqual([32, 32]);
    const dentry = find('dentry', rhel7);
    expect([dentry?.activeObjs, dentry?.numObjs, dentry?.objSizeBytes, dentry?.numSlabs]).toEqual([
      540173, 540456, 192, 12868,
    ]);
  });

  it('reads big objects and names with parentheses', () => {
    const nv = find('nvidia_stack_cache', 'samples/slabinfo-slub-nvidia-kvm-prometheus-procfs-fixture.txt');
    expect([
      nv?.activeObjs,
      nv?.numObjs,
      nv?.objSizeBytes,
      nv?.objPerSlab,
      nv?.pagesPerSlab,
      nv?.numSlabs,
    ]).toEqual([321, 326, 12624, 2, 8, 163]);
    const gfs = find('gfs2_glock(aspace)', 'ubuntu-3.2/proc/slabinfo');
    expect([gfs?.objSizeBytes, gfs?.objPerSlab, gfs?.pagesPerSlab]).toEqual([1056, 31, 8]);
  });
});

describe('parseSlabInfo on shapes the samples lack', () => {
  it('keeps both rows of a name that appears twice', () => {
    const text = [
      'slabinfo - version: 2.1',
      LEGEND_21,
      'nf_conntrack        204    204    320   51    4 : tunables    0    0    0 : slabdata      4      4      0',
      'nf_conntrack       1632   1632    320   51    4 : tunables    0    0    0 : slabdata     32     32      0',
    ].join('\n');
    const { value, problems } = parseSlabInfo(text);
    expect(problems).toEqual([]);
    expect(value.caches.map((c) => [c.name, c.numObjs])).toEqual([
      ['nf_conntrack', 204],
      ['nf_conntrack', 1632],
    ]);
  });

  it('reads the SLAB statistics variant', () => {
    const text = [
      'slabinfo - version: 2.1 (statistics)',
      LEGEND_21 +
        ' : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <nodeallocs> <remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss> <freehit> <freemiss>',
      'kmalloc-64          5760   5760     64   64    1 : tunables  120   60    8 : slabdata     90     90      0 : globalstat   12345   5824    91    1    0    0    3    2    0 : cpustat 900000   2000 880000   1500',
    ].join('\n');
    const { value, problems } = parseSlabInfo(text);
    expect(problems).toEqual([]);
    expect(value.version).toBe('2.1');
    expect(value.allocator).toBe('slab');
    expect(value.caches[0]).toEqual({
      name: 'kmalloc-64',
      activeObjs: 5760,
      numObjs: 5760,
      objSizeBytes: 64,
      objPerSlab: 64,
      pagesPerSlab: 1,
      activeSlabs: 90,
      numSlabs: 90,
      sharedAvail: 0,
      tunables: { limit: 120, batchCount: 60, sharedFactor: 8 },
      globalStat: [12345, 5824, 91, 1, 0, 0, 3, 2, 0],
      cpuStat: [900000, 2000, 880000, 1500],
    });
  });

  it('reads version 2.0, whose legend lists batchcount first while rows print limit first', () => {
    const text = [
      'slabinfo - version: 2.0',
      '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <batchcount> <limit> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>',
      'unix_sock            200    200    384   10    1 : tunables   54   27    0 : slabdata     20     20      0',
    ].join('\n');
    const { value, problems } = parseSlabInfo(text);
    expect(problems).toEqual([]);
    expect(value.version).toBe('2.0');
    expect(value.caches[0]?.tunables).toEqual({ limit: 54, batchCount: 27, sharedFactor: 0 });
  });

  it('says unknown when there are no rows', () => {
    expect(parseSlabInfo('slabinfo - version: 2.1\n' + LEGEND_21 + '\n')).toEqual({
      value: { version: '2.1', allocator: 'unknown', caches: [] },
      problems: [],
    });
    expect(parseSlabInfo('').value).toEqual({ version: undefined, allocator: 'unknown', caches: [] });
  });

  it('says unknown when tunables are zero but some slabs are inactive', () => {
    const text = 'foo 10 20 64 64 1 : tunables 0 0 0 : slabdata 1 2 0\n';
    expect(parseSlabInfo(text).value.allocator).toBe('unknown');
  });
});

describe('parseSlabInfo on malformed lines', () => {
  it('skips a row with too few columns', () => {
    const { value, problems } = parseSlabInfo(
      'slabinfo - version: 2.1\nfoo 1 2 3 : tunables 0 0 0 : slabdata 0 0 0\n',
    );
    expect(value.caches).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'slabinfo',
        line: 2,
        message: 'too few columns: "foo 1 2 3 : tunables 0 0 0 : slabdata 0 0 0"',
      },
    ]);
  });

  it('skips a row with a bad count', () => {
    const { problems } = parseSlabInfo('foo 1 2 3x 4 5 : tunables 0 0 0 : slabdata 0 0 0\n');
    expect(problems).toEqual([{ file: 'slabinfo', line: 1, message: 'bad number "3x" in cache "foo"' }]);
  });

  it('skips a row with a bad number inside a group', () => {
    const { problems } = parseSlabInfo('foo 1 2 3 4 5 : tunables 0 -1 0 : slabdata 0 0 0\n');
    expect(problems).toEqual([
      { file: 'slabinfo', line: 1, message: 'bad number "-1" in tunables of cache "foo"' },
    ]);
  });

  it('skips a row without slabdata', () => {
    const { problems } = parseSlabInfo('foo 1 2 3 4 5 : tunables 0 0 0\n');
    expect(problems).toEqual([
      { file: 'slabinfo', line: 1, message: 'cache "foo" lacks "slabdata" with 3 numbers' },
    ]);
  });

  it('skips a row with a short slabdata group', () => {
    const { problems } = parseSlabInfo('foo 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1\n');
    expect(problems).toEqual([
      { file: 'slabinfo', line: 1, message: 'cache "foo" lacks "slabdata" with 3 numbers' },
    ]);
  });

  it('skips a row with the wrong number of tunables', () => {
    const { problems } = parseSlabInfo('foo 1 2 3 4 5 : tunables 0 0 : slabdata 1 1 0\n');
    expect(problems).toEqual([
      { file: 'slabinfo', line: 1, message: 'cache "foo" has 2 tunables, expected 3' },
    ]);
  });

  it('skips a row with an unknown group', () => {
    const { problems } = parseSlabInfo('foo 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 : extra 1\n');
    expect(problems).toEqual([
      { file: 'slabinfo', line: 1, message: 'unknown group "extra" in cache "foo"' },
    ]);
  });

  it('refuses the 1.x format of 2.4 kernels instead of misreading its columns', () => {
    const text = 'slabinfo - version: 1.1\nkmem_cache 80 80 248 5 5 1 : 252 126\n';
    const { value, problems } = parseSlabInfo(text, 'old/slabinfo');
    expect(value).toEqual({ version: '1.1', allocator: 'unknown', caches: [] });
    expect(problems).toEqual([
      { file: 'old/slabinfo', line: 1, message: 'unsupported slabinfo version 1.1' },
    ]);
  });
});

describe('parseSlabInfo never throws', () => {
  const texts = [SLAB, ...SLUB_SAMPLES.map(([n]) => n)].map(fixture);
  it('returns arrays and finite numbers for any input', () => {
    fc.assert(
      fc.property(anyInput(texts), (text) => {
        const { value, problems } = parseSlabInfo(text);
        expect(Array.isArray(problems)).toBe(true);
        expect(Array.isArray(value.caches)).toBe(true);
        expect(['slub', 'slab', 'unknown']).toContain(value.allocator);
        expect(allNumbers(value).every(Number.isFinite)).toBe(true);
        expect(problemsPointInside(problems, text)).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
