// Turns one RawFrame into a Snapshot: parse every file, join zones across files, compute per-order facts.
import type { FileRead, ProcFileName, RawFrame } from '../model/raw-frame.js';
import { parseBuddyInfo } from '../parse/buddyinfo.js';
import { parseMeminfo, parseVmstat } from '../parse/counters.js';
import { parsePageTypeInfo } from '../parse/pagetypeinfo.js';
import { parseSlabInfo } from '../parse/slabinfo.js';
import { parseZoneInfo } from '../parse/zoneinfo.js';
import type { BuddyZone, PageTypeInfo, Parsed, Problem, ZoneInfo } from '../parse/types.js';
import { terminalSafe, terminalSafeOrNull } from '../parse/terminal-text.js';
import { sameZone } from '../parse/zone-key.js';
import { fragmentationIndex, toDebugfs, unusableIndex } from './fragmentation-index.js';
import type { MemorySummary, SlabRow, Snapshot, Unavailable, ZoneSnapshot } from './snapshot-types.js';
import { canAllocate } from './watermark-check.js';
import { watermarkInputFor } from './diagnosis.js';

function parseFile<T>(
  name: ProcFileName,
  read: FileRead | undefined,
  parse: (text: string, file: string) => Parsed<T>,
  unavailable: Unavailable,
  problems: Problem[],
): T | null {
  if (!read) {
    unavailable[name] = `${name} not captured`;
    return null;
  }
  if (!read.ok) {
    unavailable[name] = read.reason === 'permission' ? `${name} needs root` : terminalSafe(read.message);
    return null;
  }
  const parsed = parse(read.text, name);
  problems.push(...parsed.problems);
  return parsed.value;
}

function zoneFromBuddy(
  buddy: BuddyZone,
  zoneinfo: ZoneInfo | null,
  pageTypes: PageTypeInfo | null,
  kernel: string | null,
): ZoneSnapshot {
  const info = zoneinfo?.zones.find((zone) => sameZone(zone, buddy));
  const free = buddy.freeBlocksByOrder;
  const orders = free.map((_, o) => o);
  const freePages = free.reduce((sum, blocks, o) => sum + blocks * 2 ** o, 0);
  let highestFreeOrder = -1;
  free.forEach((blocks, o) => {
    if (blocks > 0) highestFreeOrder = o;
  });

  const typeRows = pageTypes?.free.filter((row) => sameZone(row, buddy)) ?? [];
  const freeByType = typeRows.length
    ? Object.fromEntries(typeRows.map((row) => [row.type, row.freeBlocksByOrder]))
    : null;
  const blockRow = pageTypes?.blocks.find((row) => sameZone(row, buddy));
  const watermarkInput = watermarkInputFor(buddy, {
    kernel,
    zoneinfo: zoneinfo?.zones,
    pagetypeFree: pageTypes?.free,
  });
  const min = info?.watermarkMinPages;
  const watermarks =
    info && min !== undefined
      ? { min, low: info.watermarkLowPages ?? min, high: info.watermarkHighPages ?? min }
      : null;
  const canAllocateByOrder = watermarkInput
    ? orders.map((order) => canAllocate({ ...watermarkInput, order }))
    : null;

  return {
    node: buddy.node,
    zone: buddy.zone,
    freeBlocksByOrder: free,
    freePages,
    highestFreeOrder,
    unusableIndex: orders.map((o) => toDebugfs(unusableIndex(free, o))),
    fragmentationIndex: orders.map((o) => toDebugfs(fragmentationIndex(free, o))),
    watermarks,
    canAllocate: canAllocateByOrder,
    freeByType,
    blocksByType: blockRow ? blockRow.blocksByType : null,
    managedPages: info?.managedPages ?? null,
    cmaFreePages: info?.stats['nr_free_cma'] ?? 0,
  };
}

/**
 * pagetypeinfo only when its free lists have the orders buddyinfo has: with other orders (a damaged or
 * mismatched capture) the lists would be read at the wrong block sizes and the watermark check would lie.
 */
function consistentPageTypes(
  pageTypes: PageTypeInfo | null,
  buddy: { zones: BuddyZone[] } | null,
  unavailable: Unavailable,
): PageTypeInfo | null {
  if (!pageTypes || !buddy) return pageTypes;
  for (const row of pageTypes.free) {
    const zone = buddy.zones.find((z) => sameZone(z, row));
    if (zone && zone.freeBlocksByOrder.length !== row.freeBlocksByOrder.length) {
      unavailable.pagetypeinfo = `pagetypeinfo lists ${row.freeBlocksByOrder.length} orders for ${row.zone} ${row.type} but buddyinfo ${zone.freeBlocksByOrder.length}: not used`;
      return null;
    }
  }
  return pageTypes;
}

function slabRows(caches: SlabRow[] | null): SlabRow[] {
  return caches ? [...caches].sort((a, b) => b.bytes - a.bytes) : [];
}

function memorySummary(meminfo: Record<string, number> | null): MemorySummary {
  const kib = (key: string): number | null => {
    const value = meminfo?.[key];
    return value === undefined ? null : value * 1024;
  };
  return {
    totalBytes: kib('MemTotal'),
    freeBytes: kib('MemFree'),
    availableBytes: kib('MemAvailable'),
    cachedBytes: kib('Cached'),
  };
}

export function buildSnapshot(frame: RawFrame): Snapshot {
  const unavailable: Unavailable = {};
  const problems: Problem[] = [];
  const { files } = frame;
  const buddy = parseFile('buddyinfo', files.buddyinfo, parseBuddyInfo, unavailable, problems);
  const zoneinfo = parseFile('zoneinfo', files.zoneinfo, parseZoneInfo, unavailable, problems);
  const pageTypes = consistentPageTypes(
    parseFile('pagetypeinfo', files.pagetypeinfo, parsePageTypeInfo, unavailable, problems),
    buddy,
    unavailable,
  );
  const slabinfo = parseFile('slabinfo', files.slabinfo, parseSlabInfo, unavailable, problems);
  const vmstat = parseFile('vmstat', files.vmstat, parseVmstat, unavailable, problems);
  const meminfo = parseFile('meminfo', files.meminfo, parseMeminfo, unavailable, problems);

  const zones = (buddy?.zones ?? []).map((zone) => zoneFromBuddy(zone, zoneinfo, pageTypes, frame.kernel));
  const pageSize = frame.pageSizeBytes;
  const slabs = slabRows(
    slabinfo?.caches.map((cache) => ({ ...cache, bytes: cache.numSlabs * cache.pagesPerSlab * pageSize })) ??
      null,
  );
  const readMs: Snapshot['readMs'] = {};
  for (const [name, read] of Object.entries(files)) if (read?.ok) readMs[name] = read.readMs;

  return {
    timeMs: frame.timeMs,
    host: terminalSafeOrNull(frame.host, 253),
    kernel: terminalSafeOrNull(frame.kernel, 128),
    pageSizeBytes: pageSize,
    orderCount: Math.max(0, ...zones.map((zone) => zone.freeBlocksByOrder.length)),
    zones,
    slabs,
    slabAllocator: slabinfo?.allocator ?? null,
    memory: memorySummary(meminfo),
    vmstat: vmstat ?? {},
    unavailable,
    problems,
    parsed: { buddy, zoneinfo, pageTypes, meminfo },
    pageblocks: frame.pageblocks ?? null,
    events: frame.events ?? null,
    readMs,
  };
}
