// Checks the pageblock map and trace tallies read back from a recording: untrusted input becomes data or a reason.
import { PAGEBLOCK_CLASSES, type PageblockMapRead, type TraceTalliesRead } from '../model/pageblock-map.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCounts = (v: unknown): boolean => Array.isArray(v) && v.every(isCount);

function validZone(zone: unknown): boolean {
  if (!isObject(zone)) return false;
  const pages = zone.pages;
  return (
    isCount(zone.node) &&
    typeof zone.zone === 'string' &&
    isCount(zone.startPfn) &&
    isCount(zone.spannedPages) &&
    typeof zone.classes === 'string' &&
    /^[FMUH?]*$/.test(zone.classes) &&
    isObject(pages) &&
    PAGEBLOCK_CLASSES.every((cls) => isCount(pages[cls])) &&
    isCounts(zone.cleanRanges) &&
    isCount(zone.flaglessBlocks) &&
    isCount(zone.flaglessPages) &&
    Array.isArray(zone.overlapsWith) &&
    zone.overlapsWith.every((z) => typeof z === 'string')
  );
}

export function pageblocksFromRecording(value: unknown): PageblockMapRead {
  const damaged: PageblockMapRead = { ok: false, message: 'the recording’s pageblock map is damaged' };
  if (!isObject(value) || typeof value.ok !== 'boolean') return damaged;
  if (!value.ok) return { ok: false, message: typeof value.message === 'string' ? value.message : 'unknown' };
  const map = value.map;
  if (
    !isObject(map) ||
    !isCount(map.timeMs) ||
    !isCount(map.readMs) ||
    !isCount(map.pageSizeBytes) ||
    !isCount(map.pageblockOrder) ||
    !isCount(map.orderCount) ||
    !Array.isArray(map.zones) ||
    !map.zones.every(validZone) ||
    !Array.isArray(map.notes) ||
    !map.notes.every((n) => typeof n === 'string')
  )
    return damaged;
  return value as PageblockMapRead;
}

/** A process row: its name as text, every other key a number. */
const validRow = (row: unknown, numbers: string[]): boolean =>
  isObject(row) && typeof row.comm === 'string' && numbers.every((key) => typeof row[key] === 'number');

const validDirection = (row: unknown): boolean =>
  isObject(row) && typeof row.from === 'string' && typeof row.to === 'string' && isCount(row.count);

export function eventsFromRecording(value: unknown): TraceTalliesRead {
  const damaged: TraceTalliesRead = { ok: false, message: 'the recording’s trace tallies are damaged' };
  if (!isObject(value) || typeof value.ok !== 'boolean') return damaged;
  if (!value.ok) return { ok: false, message: typeof value.message === 'string' ? value.message : 'unknown' };
  const t = value.tallies;
  if (!isObject(t) || !isObject(t.extfrag) || !isObject(t.compaction)) return damaged;
  const e = t.extfrag;
  const c = t.compaction;
  const ok =
    [t.sinceMs, t.untilMs, t.lost, t.unparsed, e.total, e.fragmenting].every(isCount) &&
    Array.isArray(e.byProcess) &&
    e.byProcess.every((r) => validRow(r, ['pid', 'count', 'fragmenting'])) &&
    Array.isArray(e.byDirection) &&
    e.byDirection.every(validDirection) &&
    isCounts(e.byOrder) &&
    [c.kcompactdWakes, c.directCompactions, c.begins, c.ends].every(isCount) &&
    Array.isArray(c.stalls) &&
    c.stalls.every((r) => validRow(r, ['pid', 'count', 'totalMs', 'maxMs'])) &&
    Array.isArray(t.missingEvents) &&
    t.missingEvents.every((m) => typeof m === 'string') &&
    (value.note === null || typeof value.note === 'string');
  return ok ? (value as TraceTalliesRead) : damaged;
}
