// Parses /proc/zoneinfo (2.6.16 to 6.18 layouts): watermarks, sizes and counters per zone, plus per-node stats.
import type { Parsed, Problem, ZoneInfo, ZoneInfoZone } from './types.js';
import { quote } from './problem-text.js';
import { terminalSafe } from './terminal-text.js';
import { kernelCount, MAX_COUNTER, MAX_PAGE_COUNT } from './kernel-number.js';

const ZONE_HEADER = /^Node\s+(\d+),\s*zone\s+(\S+)\s*$/;
const PAGES_FREE = /^pages free\s+(\d+)\s*$/;
const PROTECTION = /^protection:\s*\((.*)\)\s*$/;
// `scanned  0 (a: 0 i: 0)` on 2.6.1x: the count comes first, the rest is per-list detail.
const SCANNED = /^scanned\s+(\d+)(?:\s+\(.*\))?\s*$/;
// The zone's first page frame, printed in the footer after the per-CPU lists.
const START_PFN = /^start_pfn:\s+(\d+)\s*$/;
const KEY_VALUE = /^([A-Za-z_][\w-]*)\s+(-?\d+)\s*$/;

/** Lines between `pages free` and `protection:` that have a field of their own. */
const ZONE_FIELDS = {
  min: 'watermarkMinPages',
  low: 'watermarkLowPages',
  high: 'watermarkHighPages',
  promo: 'watermarkPromoPages',
  boost: 'boostPages',
  spanned: 'spannedPages',
  present: 'presentPages',
  managed: 'managedPages',
  cma: 'cmaPages',
} as const satisfies Record<string, keyof ZoneInfoZone>;
type ZoneFieldKey = keyof typeof ZONE_FIELDS;

function isZoneField(key: string): key is ZoneFieldKey {
  return Object.prototype.hasOwnProperty.call(ZONE_FIELDS, key);
}

/**
 * Where we are inside a zone block: `node` is the per-node stats block (4.8+) printed under the
 * first populated zone of a node; `zone` is the zone's own lines; `pagesets` runs from the per-CPU
 * lists through the footer to the next zone header, and carries nothing we keep.
 */
type Mode = 'outside' | 'node' | 'zone' | 'pagesets';

interface Building {
  zone: ZoneInfoZone;
  headerLine: number;
  sawPagesFree: boolean;
  sawPagesets: boolean;
}

export function parseZoneInfo(text: string, file = 'zoneinfo'): Parsed<ZoneInfo> {
  const problems: Problem[] = [];
  const zones: ZoneInfoZone[] = [];
  const nodeStats: Record<number, Record<string, number>> = {};
  let mode: Mode = 'outside';
  let current: Building | undefined;

  const finish = (): void => {
    if (!current) return;
    const { zone } = current;
    if (!current.sawPagesFree) {
      problems.push({
        file,
        line: current.headerLine,
        message: `node ${zone.node} zone ${zone.zone} has no "pages free" line`,
      });
    }
    // The kernel's populated_zone() is present_pages != 0; before that line existed, only
    // populated zones were printed, and they all have pagesets.
    zone.populated = zone.presentPages !== undefined ? zone.presentPages > 0 : current.sawPagesets;
    zones.push(zone);
    current = undefined;
  };

  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    const report = (message: string): void => {
      problems.push({ file, line: lineNo, message });
    };

    const header = ZONE_HEADER.exec(line);
    if (header) {
      finish();
      current = {
        zone: {
          node: Number(header[1]),
          zone: terminalSafe(header[2] ?? '', 32),
          pagesFree: undefined,
          watermarkMinPages: undefined,
          watermarkLowPages: undefined,
          watermarkHighPages: undefined,
          protection: [],
          stats: {},
          populated: false,
        },
        headerLine: lineNo,
        sawPagesFree: false,
        sawPagesets: false,
      };
      mode = 'zone';
      return;
    }
    if (!current || mode === 'outside') {
      report(`line outside a zone block: ${quote(line)}`);
      return;
    }
    const startPfn = START_PFN.exec(line);
    if (startPfn) {
      current.zone.startPfn = Number(startPfn[1]);
      return;
    }
    if (mode === 'pagesets') return;
    const { zone } = current;

    if (line === 'per-node stats') {
      mode = 'node';
      return;
    }
    if (line === 'pagesets') {
      current.sawPagesets = true;
      mode = 'pagesets';
      return;
    }
    const free = PAGES_FREE.exec(line);
    if (free) {
      const pages = kernelCount(free[1] ?? '');
      if (pages === null) report(`pages free ${quote(free[1] ?? '')} is more than any kernel can have`);
      else zone.pagesFree = pages;
      current.sawPagesFree = true;
      mode = 'zone';
      return;
    }
    const kv = KEY_VALUE.exec(line);
    if (mode === 'node') {
      if (!kv) {
        report(`unrecognised per-node stat: ${quote(line)}`);
        return;
      }
      const stats = (nodeStats[zone.node] ??= {});
      stats[kv[1] ?? ''] = Number(kv[2]);
      return;
    }

    // mode === 'zone'
    const protection = PROTECTION.exec(line);
    if (protection) {
      const cells = (protection[1] ?? '').split(',').map((c) => c.trim());
      if (cells.some((c) => !/^-?\d+$/.test(c))) {
        report(`bad protection list: ${quote(line)}`);
        return;
      }
      if (cells.some((c) => Math.abs(Number(c)) > MAX_PAGE_COUNT)) {
        report(`protection list out of range: ${quote(line)}`);
        return;
      }
      zone.protection = cells.map(Number);
      return;
    }
    const scanned = SCANNED.exec(line);
    if (scanned) {
      zone.stats['scanned'] = Number(scanned[1]);
      return;
    }
    if (!kv) {
      report(`unrecognised line: ${quote(line)}`);
      return;
    }
    const key = kv[1] ?? '';
    const value = Number(kv[2]);
    // Page quantities beyond any machine's memory, or counters beyond 64 bits, are damage, not data.
    if (Math.abs(value) > (isZoneField(key) ? MAX_PAGE_COUNT : MAX_COUNTER)) {
      report(`${key} ${quote(kv[2] ?? '')} is out of range`);
      return;
    }
    if (isZoneField(key)) zone[ZONE_FIELDS[key]] = value;
    else zone.stats[key] = value;
  });
  finish();

  return { value: { zones, nodeStats }, problems };
}
