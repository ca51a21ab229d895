// Runs the parsers on this machine's live /proc and checks that the files agree with one another.
import { describe, it, expect } from 'vitest';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';
import { parsePageTypeInfo } from '../../src/parse/pagetypeinfo.js';
import { parseSlabInfo } from '../../src/parse/slabinfo.js';
import { parseZoneInfo } from '../../src/parse/zoneinfo.js';
import { parseMeminfo, parseVmstat } from '../../src/parse/counters.js';
import type { BuddyZone } from '../../src/parse/types.js';
import { readProc } from './helpers.js';

// Reads are not atomic across files, so counts can move between them; compare a few times and
// accept the first quiet moment that agrees within a small margin (per-CPU counter drift).
const ATTEMPTS = 30;
function tolerancePages(freePages: number): number {
  return 256 + Math.ceil(freePages * 0.01);
}
function freePagesOf(zone: BuddyZone): number {
  return zone.freeBlocksByOrder.reduce((sum, n, order) => sum + n * 2 ** order, 0);
}
function key(z: { node: number; zone: string }): string {
  return `${z.node}:${z.zone}`;
}

const canRead = (name: string): boolean => readProc(name) !== undefined;
/** Appended to a test's name only when it is skipped, so the run says why. */
const unreadable = (...names: string[]): string => {
  const missing = names.filter((n) => !canRead(n));
  return missing.length === 0
    ? ''
    : `(skipped: cannot read ${missing.map((n) => `/proc/${n}`).join(', ')}; needs Linux and root)`;
};

describe('live /proc', () => {
  it.skipIf(!canRead('buddyinfo'))(`buddyinfo parses without problems ${unreadable('buddyinfo')}`, () => {
    const { value, problems } = parseBuddyInfo(readProc('buddyinfo') ?? '');
    expect(problems).toEqual([]);
    expect(value.zones.length).toBeGreaterThan(0);
  });

  it.skipIf(!canRead('buddyinfo') || !canRead('zoneinfo'))(
    `buddyinfo zones are zoneinfo's populated zones, with matching free pages ${unreadable('buddyinfo', 'zoneinfo')}`,
    () => {
      const mismatches: string[] = [];
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const buddy = parseBuddyInfo(readProc('buddyinfo') ?? '');
        const zoneinfo = parseZoneInfo(readProc('zoneinfo') ?? '');
        expect(buddy.problems).toEqual([]);
        expect(zoneinfo.problems).toEqual([]);
        const populated = zoneinfo.value.zones.filter((z) => z.populated);
        expect(buddy.value.zones.map(key)).toEqual(populated.map(key));
        mismatches.length = 0;
        for (const bz of buddy.value.zones) {
          const pagesFree = populated.find((z) => key(z) === key(bz))?.pagesFree ?? NaN;
          const diff = Math.abs(freePagesOf(bz) - pagesFree);
          if (!(diff <= tolerancePages(pagesFree))) mismatches.push(`${key(bz)} off by ${diff}`);
        }
        if (mismatches.length === 0) break;
      }
      expect(mismatches).toEqual([]);
    },
  );

  it.skipIf(!canRead('vmstat') || !canRead('zoneinfo'))(
    `vmstat nr_free_pages is the sum of the zones' free pages ${unreadable('vmstat', 'zoneinfo')}`,
    () => {
      let diff = Infinity;
      let total = 0;
      for (let attempt = 0; attempt < ATTEMPTS && !(diff <= tolerancePages(total)); attempt++) {
        const vmstat = parseVmstat(readProc('vmstat') ?? '');
        const zoneinfo = parseZoneInfo(readProc('zoneinfo') ?? '');
        expect(vmstat.problems).toEqual([]);
        total = zoneinfo.value.zones.reduce((s, z) => s + (z.pagesFree ?? 0), 0);
        diff = Math.abs((vmstat.value['nr_free_pages'] ?? NaN) - total);
      }
      expect(diff).toBeLessThanOrEqual(tolerancePages(total));
    },
  );

  it.skipIf(!canRead('pagetypeinfo') || !canRead('buddyinfo'))(
    `pagetypeinfo covers every buddyinfo zone and its free pages agree ${unreadable('pagetypeinfo', 'buddyinfo')}`,
    () => {
      const mismatches: string[] = [];
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const pt = parsePageTypeInfo(readProc('pagetypeinfo') ?? '');
        const buddy = parseBuddyInfo(readProc('buddyinfo') ?? '');
        expect(pt.problems).toEqual([]);
        expect(pt.value.pageblockOrder).toBeTypeOf('number');
        expect(pt.value.pagesPerBlock).toBe(2 ** (pt.value.pageblockOrder ?? 0));
        expect(pt.value.blocks.map(key)).toEqual(buddy.value.zones.map(key));
        expect(pt.value.free).toHaveLength(pt.value.migrateTypes.length * buddy.value.zones.length);
        mismatches.length = 0;
        for (const bz of buddy.value.zones) {
          const rows = pt.value.free.filter((r) => key(r) === key(bz));
          const typed = rows.reduce(
            (sum, r) => sum + r.freeBlocksByOrder.reduce((s, n, order) => s + n * 2 ** order, 0),
            0,
          );
          const diff = Math.abs(typed - freePagesOf(bz));
          if (diff > tolerancePages(freePagesOf(bz))) mismatches.push(`${key(bz)} off by ${diff}`);
        }
        if (mismatches.length === 0) break;
      }
      expect(mismatches).toEqual([]);
    },
  );

  it.skipIf(!canRead('slabinfo'))(`slabinfo parses without problems ${unreadable('slabinfo')}`, () => {
    const { value, problems } = parseSlabInfo(readProc('slabinfo') ?? '');
    expect(problems).toEqual([]);
    expect(value.version).toBe('2.1');
    expect(value.caches.length).toBeGreaterThan(0);
    expect(value.caches.some((c) => c.name === 'kmem_cache')).toBe(true);
    // SLAB left the kernel in 6.8, so a newer kernel can only be SLUB.
    const [major = 0, minor = 0] = (readProc('sys/kernel/osrelease') ?? '')
      .split('.')
      .map((n) => parseInt(n, 10));
    if (major > 6 || (major === 6 && minor >= 8)) expect(value.allocator).toBe('slub');
  });

  it.skipIf(!canRead('meminfo'))(`meminfo parses without problems ${unreadable('meminfo')}`, () => {
    const { value, problems } = parseMeminfo(readProc('meminfo') ?? '');
    expect(problems).toEqual([]);
    expect(value['MemTotal']).toBeGreaterThan(0);
    expect(value['MemFree']).toBeLessThanOrEqual(value['MemTotal'] ?? 0);
    expect(value['HugePages_Total']).toBeTypeOf('number');
  });
});
