// Reads the kernel's other memory warnings that come with fragmentation on container nodes: SLUB slab failures
// (with the memory cgroup and container in brackets), `page allocation stalls for Nms`, and vmalloc failures.
import { parseLogLine } from './kernel-log-line.js';

export interface SlabNodeCounts {
  node: number;
  slabs: number;
  objs: number;
  free: number;
}

interface EventBase {
  /** As the kernel line gave it: seconds since boot, an ISO string, a year-less `--MM-DDT…`, or null. */
  time: number | string | null;
  /** 1-based line in the input. */
  line: number;
  /** The GFP mask as printed (`0x8020`), null when none. */
  mode: string | null;
  /** Flag names printed after the mask, null when only hex was printed. */
  printedFlags: string[] | null;
}

/** `SLUB: Unable to allocate memory on node -1 (gfp=0x8020)` and the `cache:` / `node N: slabs:` lines after it. */
export interface SlubFailureEvent extends EventBase {
  kind: 'slub';
  /** The node asked for; -1 means any. */
  node: number;
  /** The cache's base name (`kmalloc-256`), null when no `cache:` line followed. */
  cache: string | null;
  /** The memory cgroup's id from `cache: NAME(ID:…)` (a per-memcg copy of the cache), else null. */
  memcgId: number | null;
  /** The text after the colon: the container's id (docker names cgroups by it), maybe cut short by the kernel. */
  cgroupName: string | null;
  objectSizeBytes: number | null;
  /** Per node: slabs, objects and free objects; free 0 everywhere means the cache could not grow. */
  nodes: SlabNodeCounts[];
}

/** `comm: page allocation stalls for 10060ms, order:1, mode:0x15080c0(GFP_KERNEL_ACCOUNT|__GFP_ZERO)` (4.9-4.14). */
export interface AllocationStallEvent extends EventBase {
  kind: 'stall';
  process: string;
  stallMs: number;
  order: number;
}

/** `comm: vmalloc: allocation failure: 425984 bytes, mode:0x14000c0(GFP_KERNEL)`; before 4.x no comm and no mode. */
export interface VmallocFailureEvent extends EventBase {
  kind: 'vmalloc';
  process: string | null;
  bytes: number;
}

export type KernelMemoryEvent = SlubFailureEvent | AllocationStallEvent | VmallocFailureEvent;

const SLUB_HEADER =
  /^SLUB: Unable to allocate memory on node (-?\d{1,5}) \(gfp=(0x[0-9a-fA-F]{1,16})(?:\(([^)]{0,300})\))?\)/;
// `cache: kmalloc-256(255:2cb79029be5b…), object size: 256, buffer size: 256, default order: 1, min order: 0`.
const SLUB_CACHE = /^\s*cache: ([^(,\s]{1,100})(?:\((\d{1,10}):([^)]{0,200})\))?, object size: (\d{1,10})/;
const SLUB_CACHE_PLAIN = /^\s*cache: ([^(,\s]{1,100})(?:\((\d{1,10}):([^)]{0,200})\))?/;
const SLUB_NODE = /^\s*node (\d{1,5}): slabs: (\d{1,12}), objs: (\d{1,12}), free: (\d{1,12})/;
const STALL =
  /^(.{1,64}?): page allocation stalls for (\d{1,10})ms, order:(\d{1,2}), mode:(0x[0-9a-fA-F]{1,16})(?:\(([^)]{0,300})\))?/;
const VMALLOC =
  /^(?:(.{1,64}?): )?vmalloc: allocation failure:? (\d{1,15}) bytes(?:, mode:(0x[0-9a-fA-F]{1,16})(?:\(([^)]{0,300})\))?)?/;
/** Lines after a SLUB header that still belong to it. */
const SLUB_FOLLOW_LINES = 8;

function flagsOf(text: string | undefined): string[] | null {
  return text === undefined || text === '' ? null : text.split('|').filter(Boolean);
}

/** Every such event in the lines, in order. Never throws; lines of other programs are skipped. */
export function parseKernelMemoryEvents(lines: readonly string[], firstLine = 1): KernelMemoryEvent[] {
  const events: KernelMemoryEvent[] = [];
  let slub: SlubFailureEvent | null = null;
  let slubAge = 0;
  lines.forEach((text, i) => {
    // Most lines are none of these: one cheap test skips them.
    if (!/SLUB|cache: |slabs: |stalls for|vmalloc/.test(text)) {
      slubAge++;
      return;
    }
    const parsed = parseLogLine(text);
    if (!parsed.kernel || parsed.dict) return;
    const message = parsed.message;
    const line = firstLine + i;
    const header = SLUB_HEADER.exec(message);
    if (header) {
      slub = {
        kind: 'slub',
        time: parsed.time,
        line,
        node: Number(header[1]),
        mode: header[2] ?? null,
        printedFlags: flagsOf(header[3]),
        cache: null,
        memcgId: null,
        cgroupName: null,
        objectSizeBytes: null,
        nodes: [],
      };
      slubAge = 0;
      events.push(slub);
      return;
    }
    slubAge++;
    if (slub !== null && slubAge <= SLUB_FOLLOW_LINES) {
      const cache = SLUB_CACHE.exec(message) ?? SLUB_CACHE_PLAIN.exec(message);
      if (cache && slub.cache === null) {
        slub.cache = cache[1] ?? null;
        slub.memcgId = cache[2] === undefined ? null : Number(cache[2]);
        slub.cgroupName = cache[3] === undefined ? null : cache[3];
        slub.objectSizeBytes = cache[4] === undefined ? null : Number(cache[4]);
        return;
      }
      const node = SLUB_NODE.exec(message);
      if (node) {
        slub.nodes.push({
          node: Number(node[1]),
          slabs: Number(node[2]),
          objs: Number(node[3]),
          free: Number(node[4]),
        });
        return;
      }
    }
    const stall = STALL.exec(message);
    if (stall) {
      events.push({
        kind: 'stall',
        time: parsed.time,
        line,
        process: stall[1] ?? '',
        stallMs: Number(stall[2]),
        order: Number(stall[3]),
        mode: stall[4] ?? null,
        printedFlags: flagsOf(stall[5]),
      });
      return;
    }
    const vmalloc = VMALLOC.exec(message);
    if (vmalloc) {
      events.push({
        kind: 'vmalloc',
        time: parsed.time,
        line,
        process: vmalloc[1] ?? null,
        bytes: Number(vmalloc[2]),
        mode: vmalloc[3] ?? null,
        printedFlags: flagsOf(vmalloc[4]),
      });
    }
  });
  return events;
}
