// Tests why an allocation failure happened (its cause) and what asked for the memory (its culprit).
import { describe, it, expect } from 'vitest';
import { explainFailure, type FailureFacts } from '../../src/analyze/explain-failure.js';

const ALLOC = ['dump_stack', 'warn_alloc', '__alloc_pages_slowpath', '__alloc_pages_nodemask'];

function facts(over: Partial<FailureFacts>): FailureFacts {
  return { kind: 'page-allocation-failure', order: 6, trace: [], kernel: null, memInfoZones: null, ...over };
}

function zone(name: string, freeKb: number, watermarkMinKb: number) {
  return { zone: name, freeKb, watermarkMinKb };
}

describe('explainFailure: cause', () => {
  it('calls an order-0 failure low memory: fragmentation cannot stop a single page', () => {
    expect(explainFailure(facts({ order: 0, memInfoZones: [zone('Normal', 900000, 1000)] })).cause).toBe(
      'low-memory',
    );
  });

  it('calls a higher order fragmentation while zones are above their min watermark', () => {
    // The 3.10 sample's zones: free far above min everywhere.
    const zones = [zone('DMA', 15908, 64), zone('DMA32', 127248, 11976), zone('Normal', 311184, 55536)];
    expect(explainFailure(facts({ memInfoZones: zones })).cause).toBe('fragmentation');
    expect(explainFailure(facts({ memInfoZones: null })).cause).toBe('fragmentation');
  });

  it('calls it low memory when every zone but DMA is at or below min', () => {
    const zones = [zone('DMA', 15908, 64), zone('DMA32', 11976, 11976), zone('Normal', 50000, 55536)];
    expect(explainFailure(facts({ memInfoZones: zones })).cause).toBe('low-memory');
    const oneAbove = [zone('DMA', 15908, 64), zone('DMA32', 11977, 11976), zone('Normal', 50000, 55536)];
    expect(explainFailure(facts({ memInfoZones: oneAbove })).cause).toBe('fragmentation');
    // A machine with only a DMA zone is judged by it.
    expect(explainFailure(facts({ memInfoZones: [zone('DMA', 100, 200)] })).cause).toBe('low-memory');
  });

  it('calls an OOM kill low memory whatever its order', () => {
    expect(explainFailure(facts({ kind: 'oom-kill', order: 3 })).cause).toBe('low-memory');
  });
});

describe('explainFailure: culprit', () => {
  const conntrack = [
    ...ALLOC,
    'kmalloc_order_trace',
    '__kmalloc',
    'memcg_register_cache',
    'kmem_cache_create_memcg',
    'kmem_cache_create',
    'nf_conntrack_init_net',
    'nf_conntrack_pernet_init',
    'ops_init',
    'setup_net',
    'copy_net_ns',
  ];

  it('recognises netns creation through the per-namespace nf_conntrack cache', () => {
    const { culprit } = explainFailure(facts({ trace: conntrack, kernel: '3.10.0-514.el7.x86_64' }));
    expect(culprit.id).toBe('netns-nf-conntrack-cache');
    expect(culprit.title).toBe('netns creation: nf_conntrack per-namespace slab cache');
    expect(culprit.explanation).toContain('order 6 (64 contiguous pages)');
    expect(culprit.advice).toContain('compact_memory');
    expect(culprit.advice).toContain('upgrade past 4.6');
  });

  it('does not advise the upgrade to a kernel already past 4.6', () => {
    const { culprit } = explainFailure(facts({ trace: conntrack, kernel: '5.4.214' }));
    expect(culprit.id).toBe('netns-nf-conntrack-cache');
    expect(culprit.advice).not.toContain('upgrade past 4.6');
    expect(culprit.advice).toContain('this kernel is past 4.6');
  });

  it('recognises the memcg cache-parameter array', () => {
    const trace = [
      ...ALLOC,
      '__kmalloc',
      'memcg_alloc_cache_params',
      'kmem_cache_create_memcg',
      'kmem_cache_create',
    ];
    expect(explainFailure(facts({ trace })).culprit.id).toBe('memcg-cache-params');
  });

  it('recognises veth queue allocation, even when it goes through a large kmalloc', () => {
    const trace = [...ALLOC, 'kmalloc_order_trace', '__kmalloc', 'veth_newlink', 'rtnl_newlink'];
    expect(explainFailure(facts({ trace })).culprit.id).toBe('veth-queues');
  });

  it('recognises PF_RING by its module', () => {
    const trace = [...ALLOC, 'alloc_pages_current', 'ring_mmap', 'mmap_region'];
    expect(explainFailure(facts({ trace, traceModules: ['pf_ring'] })).culprit.id).toBe('pf-ring');
    expect(explainFailure(facts({ trace, traceModules: [] })).culprit.id).toBe('unknown');
  });

  it('recognises a large kmalloc and names its caller', () => {
    const trace = [
      ...ALLOC,
      'kmalloc_order',
      'kmalloc_order_trace',
      'ipmi_create_user',
      'ipmi_open',
      'chrdev_open',
    ];
    const { culprit } = explainFailure(facts({ order: 4, trace }));
    expect(culprit.id).toBe('large-kmalloc');
    expect(culprit.title).toBe('large kmalloc from ipmi_create_user');
    expect(culprit.explanation).toContain('order 4 (16 contiguous pages)');
  });

  it('ignores compiler suffixes on frame names', () => {
    const trace = [...ALLOC, 'kmalloc_order_trace.constprop.0', 'foo_init.isra.3'];
    expect(explainFailure(facts({ trace })).culprit).toMatchObject({
      id: 'large-kmalloc',
      title: 'large kmalloc from foo_init',
    });
  });

  it('calls other sites unknown, naming the first frame after the allocator', () => {
    const trace = [...ALLOC, 'alloc_pages_current', 'new_slab', '___slab_alloc'];
    expect(explainFailure(facts({ order: 3, trace })).culprit).toMatchObject({
      id: 'unknown',
      title: 'unrecognised allocation site (new_slab)',
    });
    expect(explainFailure(facts({ order: 0, trace: [] })).culprit).toMatchObject({
      id: 'unknown',
      title: 'unrecognised allocation site',
    });
  });
});
