// Explains the kernel's other memory warnings on container nodes (SLUB, stalls, vmalloc, memory-cgroup ids), ties
// a SLUB report to its container and pod, and reads the memory-cgroup count against the kernel's id limit.
import type { KernelMemoryEvent } from '../parse/kernel-memory-events.js';
import type { CgroupController } from '../parse/proc-cgroups.js';
import type { ContainerPod, PodRef } from '../parse/pod-start-line.js';
import { terminalSafe, terminalSafeOrNull } from '../parse/terminal-text.js';

/** Memory cgroup ids are an unsigned short (MEM_CGROUP_ID_MAX): mkdir fails with ENOMEM past it. */
export const MEMORY_CGROUP_ID_LIMIT = 65_535;
/** From this share of the limit on, the count is shown as a warning. */
export const MEMORY_CGROUP_WARN_SHARE = 0.9;

export type MemoryEventKind = KernelMemoryEvent['kind'] | 'memcg-ids';

export interface MemoryEventExplanation {
  title: string;
  explanation: string;
  advice: string;
}

const EXPLAIN: Record<MemoryEventKind, MemoryEventExplanation> = {
  slub: {
    title: 'SLUB could not grow a cache',
    explanation:
      "the slab allocator could not get pages for a new slab; the (id:name) after the cache is a container's memory cgroup, so the kernel memory charged to that container hit its limit or the node's memory ran short (kernel-memory accounting of containers on 3.10 / RHEL 7 kernels)",
    advice:
      "raise or drop the container's memory limit; on RHEL/CentOS 7 boot with cgroup.memory=nokmem or move to 3.10.0-1075 or later, where kernel-memory accounting of cgroups no longer leaks",
  },
  stall: {
    title: 'allocation stalled',
    explanation:
      'an allocation spent this long in direct reclaim and compaction before it succeeded or failed (printed by 4.9-4.14 kernels): the node is short of free or contiguous memory and every allocation slows down',
    advice:
      'look at the verdict for the stalled order: fragmentation is helped by compaction or dropping caches, low memory only by freeing memory or lowering limits',
  },
  vmalloc: {
    title: 'vmalloc failed',
    explanation:
      'a vmalloc allocation failed; vmalloc needs no contiguous memory, so this is a shortage of order-0 pages or of vmalloc address space (32-bit), not fragmentation',
    advice: 'free memory or lower limits; on 32-bit kernels raise vmalloc= on the kernel command line',
  },
  'memcg-ids': {
    title: 'memory cgroup could not be created',
    explanation:
      "mkdir in the memory controller failed with ENOMEM: the kernel's 65,535 memory-cgroup ids are used up by leaked (removed but still charged) cgroups, or the kernel memory for the cgroup could not be allocated; RHEL/CentOS 7 kernels before 3.10.0-1075 leak them when kernel-memory accounting is on",
    advice:
      'boot with cgroup.memory=nokmem or upgrade to 3.10.0-1075 or later (the fix); until then drain and reboot the node, which frees the leaked ids',
  },
};

export function memoryEventExplanation(kind: MemoryEventKind): MemoryEventExplanation {
  return EXPLAIN[kind];
}

/**
 * The pod a SLUB report's cgroup belongs to: the text after the colon is the container's id (docker and
 * containerd name cgroups by it; the kernel may cut it short), matched against the containers the kubelet named.
 */
export function podOfSlubCgroup(
  cgroupName: string | null,
  containers: readonly ContainerPod[],
): { containerId: string; pod: PodRef } | null {
  if (cgroupName === null) return null;
  const id = /^(?:docker-|cri-containerd-)?([0-9a-f]{12,64})(?:\.scope)?$/.exec(cgroupName)?.[1];
  if (id === undefined) return null;
  for (let i = containers.length - 1; i >= 0; i--) {
    const tie = containers[i];
    if (tie && tie.containerId.startsWith(id)) return tie;
  }
  return null;
}

export interface MemoryCgroupCount {
  count: number;
  limit: number;
  /** At or above MEMORY_CGROUP_WARN_SHARE of the limit. */
  high: boolean;
}

/** The memory controller's count from /proc/cgroups; null when it is not listed (no memory controller). */
export function memoryCgroupCount(controllers: readonly CgroupController[]): MemoryCgroupCount | null {
  const memory = controllers.find((controller) => controller.name === 'memory');
  if (!memory) return null;
  return {
    count: memory.numCgroups,
    limit: MEMORY_CGROUP_ID_LIMIT,
    high: memory.numCgroups >= MEMORY_CGROUP_ID_LIMIT * MEMORY_CGROUP_WARN_SHARE,
  };
}

/** A pod reference made safe for a terminal. */
export function safePod(pod: PodRef): PodRef {
  return {
    name: terminalSafeOrNull(pod.name, 253),
    namespace: terminalSafeOrNull(pod.namespace, 63),
    uid: terminalSafeOrNull(pod.uid, 36),
  };
}

export function safeText(text: string): string {
  return terminalSafe(text, 200);
}
