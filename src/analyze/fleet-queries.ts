// The PromQL the fleet runs each refresh: a fixed handful of queries over all hosts, never one per host.

/**
 * Which query an answer belongs to. The table needs, per zone and only at order N, what the diagnosis needs
 * (free pages, order-N blocks from blocks of order ≥ N, the fragmentation index, the watermark checks): fragtop
 * exports each as a series, so each is one selector; node_exporter's buddyinfo needs sums over its orders, done
 * in PromQL. Every order of every zone is read only for the open host (`host*`).
 */
export type FleetQueryName =
  | 'zonePages'
  | 'zoneSuitable'
  | 'zoneFragmentation'
  | 'checks'
  | 'buddyPages'
  | 'buddySuitable'
  | 'buddyBlocks'
  | 'pageSize'
  | 'failures'
  | 'stalls'
  | 'seen'
  | 'up'
  | 'trendFragtop'
  | 'trendBuddyinfo'
  | 'orders'
  | 'sizes'
  | 'hostBlocks'
  | 'hostBuddyinfo'
  | 'hostChecks';

export interface FleetQuery {
  name: FleetQueryName;
  /** `labels`: the values `label` takes in the series `expr` selects (Prometheus' label-values API). */
  kind: 'instant' | 'range' | 'labels';
  expr: string;
  label?: string;
}

export interface FleetQueryOptions {
  /** The label that names a host (`instance` by default); a trailing `:port` is not part of the name. */
  hostLabel: string;
  /** A `{…}` selector every series must match, e.g. `{job="fragtop"}`; '' for none. */
  selector: string;
  order: number;
  /** The host whose zones are open, if any: its every order and check are read. */
  openHost?: string | null;
}

/** Highest order the buddyinfo sums weigh (x86-64 has 0–10, 64 KiB-page arm64 0–13): a missing order costs nothing. */
export const HIGHEST_WEIGHED_ORDER = 20;

/** Trend: the last hour, one point a minute (60 points, enough for a sparkline, cheap for Prometheus). */
export const TREND_RANGE_SEC = 3600;
export const TREND_STEP_SEC = 60;

/** The inside of a `{…}` selector; null when the text is not one. */
export function selectorMatchers(selector: string): string | null {
  const text = selector.trim();
  if (text === '') return '';
  const match = /^\{(.*)\}$/s.exec(text);
  return match ? match[1]!.trim().replace(/,$/, '') : null;
}

/** A label name as PromQL accepts it. */
export function isLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

/** A host name as a regex inside a PromQL double-quoted string: regex escapes, then the string's own. */
function escapeRegex(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');
}

export function fleetQueries(options: FleetQueryOptions): FleetQuery[] {
  const inner = selectorMatchers(options.selector) ?? '';
  const by = options.hostLabel;
  const select = (metric: string, ...extra: string[]) =>
    `${metric}{${[inner, ...extra].filter((part) => part !== '').join(',')}}`;
  const order = options.order;
  const from = (first: number) =>
    Array.from({ length: Math.max(0, HIGHEST_WEIGHED_ORDER + 1 - first) }, (_, i) => first + i);
  // A one-sample vector per order carrying its weight, joined on the `size` label: Σ blocks[o]·weight(o) in one
  // pass over the series (an `or` of one selector per order costs Prometheus several times more).
  const weights = (first: number, weight: (o: number) => number) =>
    from(first)
      .map((o) => `label_replace(vector(${weight(o)}), "size", "${o}", "", "")`)
      .join(' or ');
  const buddyFrom = (first: number) => select('node_buddyinfo_blocks', `size=~"${from(first).join('|')}"`);
  const weighed = (first: number, weight: (o: number) => number) =>
    `${buddyFrom(first)} * on (size) group_left () (${weights(first, weight)})`;
  const zoneAt = select('fragtop_zone_suitable_blocks', `order="${order}"`);
  const queries: FleetQuery[] = [
    // `+ 0` drops the metric name from every series of these per-zone answers (a fifth of their bytes), at no cost.
    { name: 'zonePages', kind: 'instant', expr: `${select('fragtop_zone_free_pages')} + 0` },
    { name: 'zoneSuitable', kind: 'instant', expr: `${zoneAt} + 0` },
    {
      name: 'zoneFragmentation',
      kind: 'instant',
      expr: `${select('fragtop_zone_fragmentation_index', `order="${order}"`)} + 0`,
    },
    // Order 0 too: failing the order-0 check means below the min watermark, low memory.
    {
      name: 'checks',
      kind: 'instant',
      expr: `${select('fragtop_zone_can_allocate', order === 0 ? 'order="0"' : `order=~"0|${order}"`)} + 0`,
    },
    {
      name: 'buddyPages',
      kind: 'instant',
      expr: `sum without (size) (${weighed(0, (o) => 2 ** o)})`,
    },
    {
      name: 'buddySuitable',
      kind: 'instant',
      expr: `sum without (size) (${weighed(order, (o) => 2 ** (o - order))})`,
    },
    { name: 'buddyBlocks', kind: 'instant', expr: `sum without (size) (${select('node_buddyinfo_blocks')})` },
    { name: 'pageSize', kind: 'instant', expr: select('fragtop_page_size_bytes') },
    {
      name: 'failures',
      kind: 'instant',
      expr: `sum by (${by}) (increase(${select('fragtop_alloc_failures_total')}[1h]))`,
    },
    {
      name: 'stalls',
      kind: 'instant',
      expr: `sum by (${by}) (rate(${select('fragtop_compact_stall_total')}[5m])) or sum by (${by}) (rate(${select('node_vmstat_compact_stall')}[5m]))`,
    },
    {
      name: 'seen',
      kind: 'instant',
      expr: `max by (${by}) (timestamp(${select('fragtop_zone_free_pages')})) or max by (${by}) (timestamp(${select('node_buddyinfo_blocks', 'size="0"')}))`,
    },
    // Whether the targets that export these series are scraped: after a Prometheus restart a dead target's
    // series are not marked stale and stay in answers for 5 minutes, but its `up` is 0 at once.
    {
      name: 'up',
      kind: 'instant',
      expr: `max by (${by}) (up{${inner}} and on (instance, job) (group by (instance, job) (${select('fragtop_zone_free_pages')}) or group by (instance, job) (${select('node_buddyinfo_blocks', 'size="0"')})))`,
    },
    { name: 'trendFragtop', kind: 'range', expr: `sum by (${by}) (${zoneAt})` },
    {
      name: 'trendBuddyinfo',
      kind: 'range',
      expr: `sum by (${by}) (${weighed(order, (o) => 2 ** (o - order))})`,
    },
    // The orders the hosts have bound `+`: an index lookup, no samples read.
    { name: 'orders', kind: 'labels', label: 'order', expr: select('fragtop_zone_suitable_blocks') },
    { name: 'sizes', kind: 'labels', label: 'size', expr: select('node_buddyinfo_blocks') },
  ];
  if (options.openHost) {
    const host = `${by}=~"${escapeRegex(options.openHost)}(:[0-9]+)?"`;
    queries.push(
      { name: 'hostBlocks', kind: 'instant', expr: select('fragtop_zone_free_blocks', host) },
      { name: 'hostBuddyinfo', kind: 'instant', expr: select('node_buddyinfo_blocks', host) },
      { name: 'hostChecks', kind: 'instant', expr: select('fragtop_zone_can_allocate', host) },
    );
  }
  return queries;
}

/** The host a series belongs to: its host label without a trailing `:port`; null without the label. */
export function hostOf(labels: Record<string, string>, hostLabel: string): string | null {
  const value = labels[hostLabel];
  if (value === undefined || value === '') return null;
  return value.replace(/:\d{1,5}$/, '').replace(/^\[(.*)\]$/, '$1');
}
