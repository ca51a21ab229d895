// The fleet from Prometheus answers: per host its zones, the verdict for order N, servable blocks, risk; pure.
import type { BuddyZone } from '../parse/types.js';
import type { FleetRawFrame } from '../model/fleet-frame.js';
import {
  parseLabelValuesAnswer,
  parseMatrixAnswer,
  parseVectorAnswer,
  type MatrixSeries,
  type VectorSample,
} from '../parse/prometheus-answer.js';
import { diagnose, type ExportedCheck, type Verdict, type ZoneAtOrder } from './diagnosis.js';
import { fragmentationIndexOfInfo, toDebugfs, unusableIndexOfInfo } from './fragmentation-index.js';
import { hostOf, type FleetQueryName } from './fleet-queries.js';

/** node_exporter's buddyinfo carries no page size; 4 KiB is assumed for its hosts' free memory, and said. */
export const ASSUMED_PAGE_SIZE = 4096;

/** Risk is 1 / (1 + blocks / 16): 1 with no servable block, 0.5 at 16 blocks, near 0 with thousands. */
export const RISK_HALF_BLOCKS = 16;

/** What one host last told Prometheus, each part with the time it was last read. */
export interface HostRecord {
  host: string;
  /** fragtop's own series (zones, watermark checks) or node_exporter's buddyinfo alone. */
  source: 'fragtop' | 'buddyinfo';
  /** Every zone at order `zonesOrder`: free pages, order-N blocks and the indices (not every order). */
  zonesAtOrder: ZoneAtOrder[];
  zonesOrder: number | null;
  /** Why the host's answers gave no zones though it reports (e.g. an older fragtop); null when they did. */
  zonesProblem: string | null;
  /** When `zonesAtOrder` was last in an answer (ms); older than the latest answer: the host stopped reporting. */
  zonesAtMs: number;
  /** Every order of every zone: read only while the host is open (Enter), else empty. */
  zones: BuddyZone[];
  /** When `zones` was read (ms); null when it has not been since the host was opened. */
  zonesReadAtMs: number | null;
  /** The exported watermark checks, for the order they were asked for. */
  checks: { order: number; zones: ExportedCheck[] } | null;
  pageSizeBytes: number | null;
  failuresLastHour: number | null;
  stallsPerSecond: number | null;
  /** Time of the host's newest scrape (s), from Prometheus. */
  lastScrapeSec: number | null;
  /** 0 when every target exporting the host's zones failed its latest scrape; null when not known. */
  up: number | null;
  /** Order ≥ N blocks over the last hour, a point a minute, oldest first; `trendOrder` says which N. */
  trend: number[];
  trendOrder: number | null;
}

export interface FleetState {
  hosts: Record<string, HostRecord>;
  /** Queries that failed in the latest refresh, with the server's or the network's words. */
  errors: { query: FleetQueryName; message: string }[];
  /** Series without the host label, or odd entries, from the latest refresh. */
  problems: string[];
  /** The latest refresh in which Prometheus answered at all. */
  lastAnswerMs: number | null;
  /** The latest good answer with each source's zones: a host missing from it has stopped reporting. */
  zonesAnswerMs: Record<HostRecord['source'], number | null>;
  /** Set while Prometheus cannot be reached: since when, and why. */
  down: { sinceMs: number; message: string } | null;
  lastRefresh: { atMs: number; queries: number; bytes: number; ms: number } | null;
  /** Orders the hosts have (the largest order label seen, plus one); null until Prometheus said. */
  orderCount: number | null;
}

export const EMPTY_FLEET: FleetState = {
  hosts: {},
  errors: [],
  problems: [],
  lastAnswerMs: null,
  zonesAnswerMs: { fragtop: null, buddyinfo: null },
  down: null,
  lastRefresh: null,
  orderCount: null,
};

/** One refresh's parsed answers: samples, series, or the reason a query has none. */
export type FleetAnswer =
  | {
      name: FleetQueryName;
      ok: true;
      samples?: VectorSample[];
      series?: MatrixSeries[];
      values?: string[];
      bytes: number;
      ms: number;
    }
  | { name: FleetQueryName; ok: false; unreachable: boolean; error: string; ms: number };

export interface FleetRefresh {
  timeMs: number;
  /** The order the checks and trend queries were built for. */
  order: number;
  hostLabel: string;
  /** The host whose every order was asked for; null when none is open. */
  openHost: string | null;
  answers: FleetAnswer[];
}

function emptyRecord(host: string, source: HostRecord['source']): HostRecord {
  return {
    host,
    source,
    zonesAtOrder: [],
    zonesOrder: null,
    zonesProblem: null,
    zonesAtMs: 0,
    zones: [],
    zonesReadAtMs: null,
    checks: null,
    pageSizeBytes: null,
    failuresLastHour: null,
    stallsPerSecond: null,
    lastScrapeSec: null,
    up: null,
    trend: [],
    trendOrder: null,
  };
}

/** Zones per host from per-zone, per-order samples (`numa_node`/`node`, `zone`, and the order label). */
function zonesByHost(
  samples: readonly VectorSample[],
  hostLabel: string,
  nodeLabel: string,
  orderLabel: string,
  problems: string[],
): Map<string, BuddyZone[]> {
  const result = new Map<string, BuddyZone[]>();
  let unlabelled = 0;
  for (const { labels, value } of samples) {
    const host = hostOf(labels, hostLabel);
    const node = Number(labels[nodeLabel]);
    const order = Number(labels[orderLabel]);
    const zoneName = labels['zone'];
    if (host === null) {
      unlabelled += 1;
      continue;
    }
    if (!Number.isInteger(node) || !Number.isInteger(order) || order < 0 || order > 30 || !zoneName) continue;
    const zones = result.get(host) ?? [];
    let zone = zones.find((z) => z.node === node && z.zone === zoneName);
    if (!zone) {
      zone = { node, zone: zoneName, freeBlocksByOrder: [] };
      zones.push(zone);
    }
    zone.freeBlocksByOrder[order] = Number.isFinite(value) ? value : 0;
    result.set(host, zones);
  }
  for (const zones of result.values()) {
    zones.sort((a, b) => a.node - b.node || a.zone.localeCompare(b.zone));
    // An order missing from the answer is a hole, not a zero: fill it so lengths agree, and it reads as 0 blocks.
    for (const zone of zones) zone.freeBlocksByOrder = Array.from(zone.freeBlocksByOrder, (v) => v ?? 0);
  }
  if (unlabelled > 0) problems.push(`${unlabelled} series without the "${hostLabel}" label were left out`);
  return result;
}

/** A zone's key within the fleet: host, NUMA node, zone name. */
function zoneKeyOf(
  labels: Record<string, string>,
  hostLabel: string,
  nodeLabel: string,
): { host: string; node: number; zone: string } | null {
  const host = hostOf(labels, hostLabel);
  const node = Number(labels[nodeLabel]);
  const zone = labels['zone'];
  if (host === null || !zone || !Number.isInteger(node) || node < 0) return null;
  return { host, node, zone };
}

function byZone(samples: readonly VectorSample[], hostLabel: string, nodeLabel: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const { labels, value } of samples) {
    const key = zoneKeyOf(labels, hostLabel, nodeLabel);
    if (key) result.set(`${key.host}\u0000${key.node}\u0000${key.zone}`, value);
  }
  return result;
}

/** A count from Prometheus as the kernel's unsigned sums see it: odd values (NaN, negative) count as nothing. */
function countOf(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}

/**
 * Each host's zones at order N from per-zone answers: free pages (every zone has them), order-N blocks (a zone
 * without any lacks order N) and the fragmentation index, given (fragtop) or from the free block count (buddyinfo).
 * A host whose answers do not fit together gets the reason instead of zones.
 */
function zonesAtOrderByHost(
  parts: {
    pages: readonly VectorSample[];
    suitable: readonly VectorSample[];
    fragmentation?: readonly VectorSample[];
    blocks?: readonly VectorSample[];
  },
  order: number,
  hostLabel: string,
  nodeLabel: string,
  problems: string[],
): Map<string, ZoneAtOrder[] | string> {
  const suitable = byZone(parts.suitable, hostLabel, nodeLabel);
  const fragmentation = parts.fragmentation && byZone(parts.fragmentation, hostLabel, nodeLabel);
  const blocks = parts.blocks && byZone(parts.blocks, hostLabel, nodeLabel);
  const result = new Map<string, ZoneAtOrder[] | string>();
  const broken = new Map<string, string>();
  let unlabelled = 0;
  for (const { labels, value } of parts.pages) {
    const key = zoneKeyOf(labels, hostLabel, nodeLabel);
    if (!key) {
      if (hostOf(labels, hostLabel) === null) unlabelled += 1;
      continue;
    }
    const id = `${key.host}\u0000${key.node}\u0000${key.zone}`;
    const suitableBlocks = suitable.get(id);
    const info = { freePages: countOf(value), freeBlocksSuitable: countOf(suitableBlocks) };
    let frag: number | undefined;
    if (info.freeBlocksSuitable > 0) frag = -1000;
    else if (blocks)
      frag = fragmentationIndexOfInfo({ ...info, freeBlocksTotal: countOf(blocks.get(id)) }, order);
    else {
      // Exported divided by 1000, as debugfs prints it; the kernel's integer is exact after rounding.
      const exported = fragmentation?.get(id);
      if (exported !== undefined && Number.isFinite(exported)) frag = Math.round(exported * 1000);
    }
    // Without the index the verdict could call fragmentation low memory; without the blocks, every zone would
    // look as if it had no order N. Either way no verdict, and the reason on the host's row.
    if (suitableBlocks !== undefined && frag === undefined)
      broken.set(key.host, `no fragmentation index at order ${order} in its answers`);
    if (suitableBlocks === undefined && fragmentation?.has(id))
      broken.set(
        key.host,
        'its fragtop exports no fragtop_zone_suitable_blocks (an older version): update it to read its zones',
      );
    if (broken.has(key.host)) continue;
    const previous = result.get(key.host);
    const zones = Array.isArray(previous) ? previous : [];
    zones.push({
      node: key.node,
      zone: key.zone,
      orderCount: null,
      hasOrder: suitableBlocks !== undefined,
      info,
      fragmentationIndex: frag ?? 0,
      unusableIndex: unusableIndexOfInfo(info, order),
    });
    result.set(key.host, zones);
  }
  for (const [host, why] of broken) result.set(host, why);
  if (unlabelled > 0) problems.push(`${unlabelled} series without the "${hostLabel}" label were left out`);
  for (const zones of result.values())
    if (Array.isArray(zones)) zones.sort((a, b) => a.node - b.node || a.zone.localeCompare(b.zone));
  return result;
}

function checksByHost(samples: readonly VectorSample[], hostLabel: string): Map<string, ExportedCheck[]> {
  const result = new Map<string, ExportedCheck[]>();
  for (const { labels, value } of samples) {
    const host = hostOf(labels, hostLabel);
    const node = Number(labels['numa_node']);
    const order = Number(labels['order']);
    const zoneName = labels['zone'];
    if (
      host === null ||
      !zoneName ||
      !Number.isInteger(node) ||
      !Number.isInteger(order) ||
      order < 0 ||
      order > 30
    )
      continue;
    const zones = result.get(host) ?? [];
    let zone = zones.find((z) => z.node === node && z.zone === zoneName);
    if (!zone) {
      zone = { node, zone: zoneName, canAllocate: [] };
      zones.push(zone);
    }
    (zone.canAllocate as (boolean | undefined)[])[order] = value === 1;
    result.set(host, zones);
  }
  return result;
}

function valueByHost(samples: readonly VectorSample[], hostLabel: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const { labels, value } of samples) {
    const host = hostOf(labels, hostLabel);
    // Two exporters on one host (fragtop and node_exporter) may both answer: the first, fragtop's, wins.
    if (host !== null && !result.has(host)) result.set(host, value);
  }
  return result;
}

function zonesOf(zones: ZoneAtOrder[] | string): Pick<HostRecord, 'zonesAtOrder' | 'zonesProblem'> {
  return typeof zones === 'string'
    ? { zonesAtOrder: [], zonesProblem: zones }
    : { zonesAtOrder: zones, zonesProblem: null };
}

/** Folds one refresh into the fleet: hosts in the answers are updated, the others keep their last data. */
export function absorbRefresh(previous: FleetState, refresh: FleetRefresh): FleetState {
  const hosts: Record<string, HostRecord> = {};
  for (const [name, record] of Object.entries(previous.hosts)) hosts[name] = { ...record };
  const errors: FleetState['errors'] = [];
  const problems: string[] = [];
  const answer = (name: FleetQueryName) => refresh.answers.find((a) => a.name === name);
  const ok = (name: FleetQueryName) => {
    const found = answer(name);
    return found?.ok ? found : null;
  };
  for (const a of refresh.answers) if (!a.ok) errors.push({ query: a.name, message: a.error });
  const { hostLabel, timeMs } = refresh;
  const record = (host: string, source: HostRecord['source']) => (hosts[host] ??= emptyRecord(host, source));

  const { order } = refresh;
  const zonePages = ok('zonePages')?.samples;
  const zoneSuitable = ok('zoneSuitable')?.samples;
  const zoneFragmentation = ok('zoneFragmentation')?.samples;
  const fragtopAnswered = zonePages && zoneSuitable && zoneFragmentation;
  const fragtopHosts = new Set<string>();
  if (fragtopAnswered) {
    const parts = { pages: zonePages, suitable: zoneSuitable, fragmentation: zoneFragmentation };
    for (const [host, zones] of zonesAtOrderByHost(parts, order, hostLabel, 'numa_node', problems)) {
      const r = record(host, 'fragtop');
      Object.assign(r, { source: 'fragtop', zonesOrder: order, zonesAtMs: timeMs }, zonesOf(zones));
      fragtopHosts.add(host);
    }
  }
  const buddyPages = ok('buddyPages')?.samples;
  const buddySuitable = ok('buddySuitable')?.samples;
  const buddyBlocks = ok('buddyBlocks')?.samples;
  const buddyAnswered = buddyPages && buddySuitable && buddyBlocks;
  if (buddyAnswered) {
    const parts = { pages: buddyPages, suitable: buddySuitable, blocks: buddyBlocks };
    for (const [host, zones] of zonesAtOrderByHost(parts, order, hostLabel, 'node', problems)) {
      // fragtop's series say more (watermarks): a host that has both is read through fragtop.
      if (fragtopHosts.has(host) || hosts[host]?.source === 'fragtop') continue;
      const r = record(host, 'buddyinfo');
      Object.assign(r, { source: 'buddyinfo', zonesOrder: order, zonesAtMs: timeMs }, zonesOf(zones));
    }
  }
  // Every order of the open host's zones, kept only while it is open (one host's worth, not the fleet's).
  for (const r of Object.values(hosts))
    if (r.host !== refresh.openHost) Object.assign(r, { zones: [], zonesReadAtMs: null });
  const hostBlocks = ok('hostBlocks')?.samples;
  const hostBuddy = ok('hostBuddyinfo')?.samples;
  const open = refresh.openHost ? hosts[refresh.openHost] : undefined;
  if (open && hostBlocks && hostBuddy) {
    const full =
      open.source === 'fragtop'
        ? zonesByHost(hostBlocks, hostLabel, 'numa_node', 'order', problems)
        : zonesByHost(hostBuddy, hostLabel, 'node', 'size', problems);
    Object.assign(open, { zones: full.get(open.host) ?? [], zonesReadAtMs: timeMs });
  }
  const checks = ok('checks')?.samples;
  if (checks)
    for (const [host, zones] of checksByHost(checks, hostLabel))
      if (hosts[host]) hosts[host].checks = { order: refresh.order, zones };
  const hostChecks = ok('hostChecks')?.samples;
  if (hostChecks)
    for (const [host, zones] of checksByHost(hostChecks, hostLabel))
      if (hosts[host]) hosts[host].checks = { order: refresh.order, zones };

  const perHost = (name: FleetQueryName, set: (r: HostRecord, value: number) => void) => {
    const samples = ok(name)?.samples;
    if (!samples) return;
    const values = valueByHost(samples, hostLabel);
    for (const r of Object.values(hosts)) {
      const value = values.get(r.host);
      if (value !== undefined) set(r, value);
      // fragtop exports no failure series until the kernel log holds one: absent from a good answer is 0.
      else if (name === 'failures' && r.source === 'fragtop' && fragtopHosts.has(r.host)) set(r, 0);
      // Otherwise absent means never exported (node_exporter) or gone: unknown, not 0.
      else if (name !== 'seen' && name !== 'pageSize' && name !== 'up') set(r, Number.NaN);
    }
  };
  perHost('pageSize', (r, v) => (r.pageSizeBytes = v));
  perHost('failures', (r, v) => (r.failuresLastHour = Number.isFinite(v) ? v : null));
  perHost('stalls', (r, v) => (r.stallsPerSecond = Number.isFinite(v) ? v : null));
  perHost('seen', (r, v) => (r.lastScrapeSec = v));
  perHost('up', (r, v) => (r.up = Number.isFinite(v) ? v : null));

  for (const name of ['trendFragtop', 'trendBuddyinfo'] as const) {
    const series = ok(name)?.series;
    if (!series) continue;
    const source = name === 'trendFragtop' ? 'fragtop' : 'buddyinfo';
    for (const s of series) {
      const host = hostOf(s.labels, hostLabel);
      if (host === null) continue;
      const r = hosts[host] ?? record(host, source);
      if (r.source !== source) continue;
      r.trend = s.points.map(([, v]) => v);
      r.trendOrder = refresh.order;
      // A host that stopped reporting before fragtop started is known from its trend alone.
      const last = s.points[s.points.length - 1];
      if (last && (r.lastScrapeSec === null || r.lastScrapeSec < last[0]) && r.zonesAtOrder.length === 0)
        r.lastScrapeSec = last[0];
    }
  }

  const unreachable = refresh.answers.length > 0 && refresh.answers.every((a) => !a.ok && a.unreachable);
  const first = refresh.answers.find((a) => !a.ok);
  const down = unreachable
    ? { sinceMs: previous.down?.sinceMs ?? timeMs, message: first && !first.ok ? first.error : 'no answer' }
    : null;
  const good = refresh.answers.filter((a): a is Extract<FleetAnswer, { ok: true }> => a.ok);
  return {
    hosts: unreachable ? previous.hosts : hosts,
    errors: unreachable ? [] : errors,
    problems,
    lastAnswerMs: unreachable ? previous.lastAnswerMs : timeMs,
    zonesAnswerMs: {
      fragtop: fragtopAnswered ? timeMs : previous.zonesAnswerMs.fragtop,
      buddyinfo: buddyAnswered ? timeMs : previous.zonesAnswerMs.buddyinfo,
    },
    down,
    lastRefresh: {
      atMs: timeMs,
      queries: refresh.answers.length,
      bytes: good.reduce((sum, a) => sum + a.bytes, 0),
      ms: Math.max(0, ...refresh.answers.map((a) => a.ms)),
    },
    orderCount: unreachable
      ? previous.orderCount
      : (orderCountOf(ok('orders'), ok('sizes')) ?? previous.orderCount),
  };
}

/** The largest order label in the label-values answers, plus one; null when neither answered with one. */
function orderCountOf(...answers: (Extract<FleetAnswer, { ok: true }> | null)[]): number | null {
  const orders = answers
    .flatMap((a) => a?.values ?? [])
    .map(Number)
    .filter((o) => Number.isInteger(o) && o >= 0 && o <= 30);
  return orders.length > 0 ? Math.max(...orders) + 1 : null;
}

/** One line of the fleet table, in data. */
export interface FleetRow {
  host: string;
  source: HostRecord['source'];
  verdict: Verdict;
  /** Order-N blocks in the zones that pass the watermark check; null when the check is not known (buddyinfo). */
  servableBlocks: number | null;
  /** Order-N blocks obtainable from free blocks of order ≥ N, in every zone the request may use. */
  suitableBlocks: number;
  /** The highest fragmentation index at N over the usable zones (−1: a block of order N is free). */
  worstFragmentationIndex: number | null;
  freeBytes: number | null;
  pageSizeAssumed: boolean;
  failuresLastHour: number | null;
  stallsPerSecond: number | null;
  /** Seconds since the host's newest scrape; null when Prometheus never said. */
  ageSeconds: number | null;
  /** Not in the latest answers: the values are the last ones the host reported. */
  stale: boolean;
  /** 0 … 1, higher first; null without zones. */
  risk: number | null;
  trend: number[];
  notes: string[];
}

export function riskScore(blocks: number): number {
  return 1 / (1 + Math.max(0, blocks) / RISK_HALF_BLOCKS);
}

/** The host's rows for order N at `nowMs`. */
export function fleetRow(
  record: HostRecord,
  order: number,
  nowMs: number,
  zonesAnswerMs: FleetState['zonesAnswerMs'],
): FleetRow {
  const latestAnswerMs = zonesAnswerMs[record.source];
  const notes: string[] = [];
  const checks = record.checks?.order === order ? record.checks.zones : undefined;
  const atOrder = record.zonesOrder === order ? record.zonesAtOrder : [];
  const diagnosis =
    atOrder.length > 0
      ? diagnose({
          kernel: null,
          targetOrder: order,
          buddy: [],
          zonesAtOrder: atOrder,
          exportedChecks: checks,
        })
      : null;
  if (record.source === 'buddyinfo')
    notes.push('node_exporter buddyinfo only: the watermark check needs zoneinfo, so ok/fail is unknown');
  else if (atOrder.length > 0 && !checks) notes.push(`watermark checks for order ${order} not read yet`);
  if (record.zonesAtOrder.length > 0 && atOrder.length === 0)
    notes.push(`zones at order ${order} not read yet`);
  const eligible = diagnosis?.zones.filter((z) => z.eligible) ?? [];
  // A kernel without order N has no index there (debugfs and the snapshot list none): unknown, not a number.
  const indices = eligible
    .filter((z) => atOrder.find((a) => a.node === z.node && a.zone === z.zone)?.hasOrder)
    .map((z) => z.fragmentationIndex);
  const known = diagnosis !== null && eligible.length > 0 && eligible.every((z) => z.canAllocate !== null);
  const servable = known ? diagnosis.servableBlocks : null;
  const pageSize = record.pageSizeBytes ?? ASSUMED_PAGE_SIZE;
  // Free pages do not depend on the order: the last zones read give them even before order N's arrive.
  const freePages = record.zonesAtOrder.reduce((sum, zone) => sum + zone.info.freePages, 0);
  const stale = (latestAnswerMs !== null && record.zonesAtMs < latestAnswerMs) || record.up === 0;
  if (record.zonesProblem) notes.push(record.zonesProblem);
  else if (record.zonesAtOrder.length === 0) notes.push('no zones reported in the last answers');
  const age =
    record.lastScrapeSec !== null
      ? Math.max(0, nowMs / 1000 - record.lastScrapeSec)
      : record.zonesAtMs > 0
        ? Math.max(0, (nowMs - record.zonesAtMs) / 1000)
        : null;
  return {
    host: record.host,
    source: record.source,
    verdict: diagnosis?.verdict ?? 'unknown',
    servableBlocks: servable,
    suitableBlocks: diagnosis?.suitableBlocks ?? 0,
    worstFragmentationIndex: indices.length ? toDebugfs(Math.max(...indices)) : null,
    freeBytes: record.zonesAtOrder.length ? freePages * pageSize : null,
    pageSizeAssumed: record.pageSizeBytes === null,
    failuresLastHour: record.failuresLastHour,
    stallsPerSecond: record.stallsPerSecond,
    ageSeconds: age,
    stale,
    risk: diagnosis ? riskScore(servable ?? diagnosis.suitableBlocks) : null,
    trend: record.trendOrder === order ? record.trend : [],
    notes,
  };
}

export type FleetSort = 'risk' | 'name' | 'blocks' | 'frag' | 'free' | 'failures' | 'stalls' | 'age';

function compare(a: FleetRow, b: FleetRow, sort: FleetSort): number {
  const desc = (x: number | null, y: number | null) => (y ?? Infinity) - (x ?? Infinity);
  const asc = (x: number | null, y: number | null) => (x ?? -Infinity) - (y ?? -Infinity);
  switch (sort) {
    case 'risk':
      // Unknown risk (no zones) first: a host that says nothing is a question to answer.
      return (
        desc(a.risk, b.risk) ||
        asc(a.servableBlocks ?? a.suitableBlocks, b.servableBlocks ?? b.suitableBlocks)
      );
    case 'name':
      return 0;
    case 'blocks':
      return asc(a.servableBlocks ?? a.suitableBlocks, b.servableBlocks ?? b.suitableBlocks);
    case 'frag':
      return desc(a.worstFragmentationIndex, b.worstFragmentationIndex);
    case 'free':
      return asc(a.freeBytes, b.freeBytes);
    case 'failures':
      return desc(a.failuresLastHour, b.failuresLastHour);
    case 'stalls':
      return desc(a.stallsPerSecond, b.stallsPerSecond);
    case 'age':
      return desc(a.ageSeconds, b.ageSeconds);
  }
}

/** Every host's row for order N, sorted (ties by name), keeping only names that contain `filter`. */
export function fleetRows(
  state: FleetState,
  order: number,
  nowMs: number,
  sort: FleetSort = 'risk',
  filter = '',
): FleetRow[] {
  const needle = filter.toLowerCase();
  return Object.values(state.hosts)
    .filter((r) => r.host.toLowerCase().includes(needle))
    .map((r) => fleetRow(r, order, nowMs, state.zonesAnswerMs))
    .sort((a, b) => compare(a, b, sort) || a.host.localeCompare(b.host));
}

/** Reads a raw refresh's answers (parse/prometheus-answer) into samples and series, or the reason there are none. */
export function parseRefresh(frame: FleetRawFrame): FleetRefresh {
  const answers: FleetAnswer[] = frame.answers.map((raw) => {
    const name = raw.name as FleetQueryName;
    const { result } = raw;
    if (!result.ok)
      return {
        name,
        ok: false,
        unreachable: result.kind === 'unreachable' || result.kind === 'timeout',
        error: result.error,
        ms: result.ms,
      };
    if (raw.kind === 'labels') {
      const parsed = parseLabelValuesAnswer(result.body);
      return parsed.value.ok
        ? { name, ok: true, values: parsed.value.data, bytes: result.bytes, ms: result.ms }
        : { name, ok: false, unreachable: false, error: parsed.value.error, ms: result.ms };
    }
    if (raw.kind === 'instant') {
      const parsed = parseVectorAnswer(result.body, name);
      return parsed.value.ok
        ? { name, ok: true, samples: parsed.value.data, bytes: result.bytes, ms: result.ms }
        : { name, ok: false, unreachable: false, error: parsed.value.error, ms: result.ms };
    }
    const parsed = parseMatrixAnswer(result.body, name);
    return parsed.value.ok
      ? { name, ok: true, series: parsed.value.data, bytes: result.bytes, ms: result.ms }
      : { name, ok: false, unreachable: false, error: parsed.value.error, ms: result.ms };
  });
  return {
    timeMs: frame.timeMs,
    order: frame.order,
    hostLabel: frame.hostLabel,
    openHost: frame.openHost ?? null,
    answers,
  };
}
