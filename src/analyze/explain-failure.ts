// Says why a kernel allocation failed (fragmentation or lack of memory) and which known code path asked for it.

export type FailureCause = 'fragmentation' | 'low-memory';

export type CulpritId =
  'netns-nf-conntrack-cache' | 'memcg-cache-params' | 'veth-queues' | 'pf-ring' | 'large-kmalloc' | 'unknown';

export interface Culprit {
  id: CulpritId;
  title: string;
  explanation: string;
  advice: string;
}

/** What the explanation needs from a parsed report. */
export interface FailureFacts {
  kind: 'page-allocation-failure' | 'oom-kill';
  order: number;
  trace: readonly string[];
  /** Modules named in the trace (`[nf_conntrack]`). */
  traceModules?: readonly string[];
  kernel: string | null;
  /** The Mem-Info zone lines; null when the report had none. */
  memInfoZones: ReadonlyArray<{ zone: string; freeKb: number; watermarkMinKb: number }> | null;
}

export interface FailureExplanation {
  cause: FailureCause;
  culprit: Culprit;
}

/** The large-kmalloc paths: a request above the slab sizes goes straight to the page allocator. */
const LARGE_KMALLOC_FRAMES = new Set([
  'kmalloc_order',
  'kmalloc_order_trace',
  'kmalloc_large',
  'kmalloc_large_node',
  '__kmalloc_large_node',
  '___kmalloc_large_node',
  'kmalloc_large_noprof',
  '__kmalloc_large_node_noprof',
]);

/** Frames of the allocator itself: the caller is the first frame after them. */
const ALLOCATOR_FRAMES = new Set([
  ...LARGE_KMALLOC_FRAMES,
  'dump_stack',
  'dump_stack_lvl',
  'show_stack',
  'dump_backtrace',
  'warn_alloc',
  'warn_alloc_failed',
  '__alloc_pages_slowpath',
  '__alloc_pages_nodemask',
  '__alloc_pages',
  '__alloc_pages_noprof',
  'alloc_pages_current',
  'alloc_pages',
  'alloc_pages_noprof',
  'alloc_pages_mpol',
  'alloc_pages_mpol_noprof',
  '__get_free_pages',
  'get_free_pages_noprof',
  '__alloc_pages_node',
  'alloc_pages_node',
  '__kmalloc',
  '__kmalloc_node',
  '__kmalloc_noprof',
  '__kmalloc_node_noprof',
  '__kmalloc_track_caller',
  '__kmalloc_node_track_caller',
  'kmalloc_trace',
  'kmalloc_node_trace',
  'krealloc',
  'kmemdup',
  'kvmalloc_node',
  '__kvmalloc_node',
  '__kvmalloc_node_noprof',
]);

const MEMCG_PARAMS_FRAMES = new Set([
  'memcg_alloc_cache_params',
  'memcg_register_cache',
  'memcg_update_cache_size',
  'memcg_update_all_caches',
]);

/** `__alloc_pages_slowpath.constprop.0` → `__alloc_pages_slowpath`: compiler suffixes do not change the site. */
function baseName(frame: string): string {
  const dot = frame.indexOf('.');
  return dot > 0 ? frame.slice(0, dot) : frame;
}

function firstCaller(trace: readonly string[]): string | null {
  let lastAllocator = -1;
  trace.forEach((frame, i) => {
    if (ALLOCATOR_FRAMES.has(baseName(frame))) lastAllocator = i;
  });
  const caller = trace[lastAllocator + 1];
  return caller === undefined ? null : baseName(caller);
}

function blockText(order: number): string {
  return order > 0 ? `order ${order} (${2 ** order} contiguous pages)` : 'order 0';
}

function kernelAtMost(kernel: string | null, major: number, minor: number): boolean | null {
  const m = kernel === null ? null : /^(\d+)\.(\d+)/.exec(kernel);
  if (!m) return null;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj < major || (maj === major && min <= minor);
}

const COMPACT_ADVICE =
  'compact memory (echo 1 > /proc/sys/vm/compact_memory) or drop caches (echo 3 > /proc/sys/vm/drop_caches) to rebuild large free blocks';

function culpritOf(f: FailureFacts): Culprit {
  const frames = f.trace.map(baseName);
  const has = (name: string): boolean => frames.includes(name);
  const blocks = blockText(f.order);

  if (has('nf_conntrack_init_net') || has('nf_conntrack_pernet_init')) {
    const oldKernel = kernelAtMost(f.kernel, 4, 6);
    const upgrade =
      oldKernel === false
        ? 'this kernel is past 4.6, where conntrack shares one cache between namespaces, so look at what else the trace allocates'
        : 'for a lasting fix upgrade past 4.6, where conntrack shares one cache between all namespaces';
    return {
      id: 'netns-nf-conntrack-cache',
      title: 'netns creation: nf_conntrack per-namespace slab cache',
      explanation:
        `Creating a network namespace (each pod sandbox or container with its own network) runs nf_conntrack_init_net, ` +
        `which on kernels 2.6.33-4.6 creates a slab cache per namespace (nf_conntrack_<address>); with kernel-memory ` +
        `accounting that needs a zeroed kmalloc of ${blocks}. No free block of that size was left, so the namespace ` +
        `and the container start failed.`,
      advice: `${COMPACT_ADVICE}; ${upgrade}.`,
    };
  }
  if (frames.some((frame) => MEMCG_PARAMS_FRAMES.has(frame))) {
    return {
      id: 'memcg-cache-params',
      title: 'memcg cache parameters array (memcg_alloc_cache_params)',
      explanation:
        `Creating a slab cache with kernel-memory accounting allocates an array with one slot per kmem-accounted ` +
        `memory cgroup; with many cgroups (often leaked ones of deleted pods) it needs ${blocks}.`,
      advice: `${COMPACT_ADVICE}; remove leaked memory cgroups, or turn kernel-memory accounting off (cgroup.memory=nokmem) where the kernel supports it; kernels from 5.9 no longer keep per-cgroup caches.`,
    };
  }
  if (frames.some((frame) => frame.startsWith('veth_'))) {
    return {
      id: 'veth-queues',
      title: 'veth device creation: per-queue arrays',
      explanation:
        `Creating a veth pair (container networking) allocates its queue arrays with kmalloc, one entry per queue; ` +
        `on hosts with many CPUs that needs ${blocks}.`,
      advice: `${COMPACT_ADVICE}; newer kernels allocate these arrays with kvmalloc, which can fall back to vmalloc.`,
    };
  }
  if ((f.traceModules ?? []).includes('pf_ring') || frames.some((frame) => frame.startsWith('pf_ring'))) {
    return {
      id: 'pf-ring',
      title: 'PF_RING packet ring allocation',
      explanation: `The PF_RING module asked for its packet ring as physically contiguous memory: ${blocks}.`,
      advice: `${COMPACT_ADVICE}; use a smaller ring (the min_num_slots module parameter) or open rings early, before memory fragments.`,
    };
  }
  if (frames.some((frame) => LARGE_KMALLOC_FRAMES.has(frame))) {
    const caller = firstCaller(f.trace);
    return {
      id: 'large-kmalloc',
      title: `large kmalloc${caller ? ` from ${caller}` : ''}`,
      explanation:
        `A kmalloc() larger than the biggest slab size goes straight to the page allocator as one physically ` +
        `contiguous block: ${blocks}.${caller ? ` The caller is ${caller}.` : ''}`,
      advice: `${COMPACT_ADVICE}; the caller should use kvmalloc/vmalloc for this size: look for a kernel or module update that does.`,
    };
  }
  const caller = firstCaller(f.trace);
  return {
    id: 'unknown',
    title: caller ? `unrecognised allocation site (${caller})` : 'unrecognised allocation site',
    explanation: `The kernel could not allocate ${blocks}${caller ? ` for ${caller}` : ''}.`,
    advice:
      f.order > 0
        ? `${COMPACT_ADVICE}.`
        : 'free memory: find what uses it (slab caches, page cache, processes) and reclaim or limit it.',
  };
}

function causeOf(f: FailureFacts): FailureCause {
  // An OOM kill means reclaim found nothing to free; order 0 cannot fail from fragmentation.
  if (f.kind === 'oom-kill' || f.order <= 0) return 'low-memory';
  const zones = f.memInfoZones ?? [];
  // DMA is tiny and kept back by lowmem_reserve for other allocations: judge by the other zones when there are any.
  const judged = zones.some((z) => z.zone !== 'DMA') ? zones.filter((z) => z.zone !== 'DMA') : zones;
  // The watermark check fails at free <= min, so a zone at its min watermark counts as below it.
  if (judged.length > 0 && judged.every((z) => z.freeKb <= z.watermarkMinKb)) return 'low-memory';
  return 'fragmentation';
}

/** The cause and the known allocation site (culprit) of one failure report. */
export function explainFailure(f: FailureFacts): FailureExplanation {
  return { cause: causeOf(f), culprit: culpritOf(f) };
}
