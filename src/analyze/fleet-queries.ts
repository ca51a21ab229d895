// The PromQL the fleet runs each refresh: a fixed handful of queries over all hosts, never one per host.

/** Which query an answer belongs to; `hostChecks` runs only while one host's zones are open. */
export type FleetQueryName =
  | 'blocks'
  | 'checks'
  | 'buddyinfo'
  | 'pageSize'
  | 'failures'
  | 'stalls'
  | 'seen'
  | 'up'
  | 'trendFragtop'
  | 'trendBuddyinfo'
  | 'hostChecks';

export interface FleetQuery {
  name: FleetQueryName;
  kind: 'instant' | 'range';
  expr: string;
}

export interface FleetQueryOptions {
  /** The label that names a host (`instance` by default); a trailing `:port` is not part of the name. */
  hostLabel: string;
  /** A `{…}` selector every series must match, e.g. `{job="fragtop"}`; '' for none. */
  selector: string;
  order: number;
  /** Orders the hosts have (11 on x86-64, 14 with 64 KiB pages): the trend sums every order from N up. */
  orderCount: number;
  /** The host whose zones are open, if any: its checks are read for every order. */
  openHost?: string | null;
}

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
  const orders = Array.from({ length: Math.max(0, options.orderCount - order) }, (_, i) => order + i);
  // Σ_{o≥N} blocks[o]·2^(o−N), per host: `or` keeps each order's series apart until the sum.
  const suitable = (metric: string, orderLabel: string) =>
    orders.length === 0
      ? `vector(0)`
      : `sum by (${by}) (${orders
          .map((o) => `${select(metric, `${orderLabel}="${o}"`)} * ${2 ** (o - order)}`)
          .join(' or ')})`;
  const queries: FleetQuery[] = [
    { name: 'blocks', kind: 'instant', expr: select('fragtop_zone_free_blocks') },
    // Order 0 too: failing the order-0 check means below the min watermark, low memory.
    {
      name: 'checks',
      kind: 'instant',
      expr: select('fragtop_zone_can_allocate', `order=~"0|${order}"`),
    },
    { name: 'buddyinfo', kind: 'instant', expr: select('node_buddyinfo_blocks') },
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
    { name: 'trendFragtop', kind: 'range', expr: suitable('fragtop_zone_free_blocks', 'order') },
    { name: 'trendBuddyinfo', kind: 'range', expr: suitable('node_buddyinfo_blocks', 'size') },
  ];
  if (options.openHost)
    queries.push({
      name: 'hostChecks',
      kind: 'instant',
      expr: select('fragtop_zone_can_allocate', `${by}=~"${escapeRegex(options.openHost)}(:[0-9]+)?"`),
    });
  return queries;
}

/** The host a series belongs to: its host label without a trailing `:port`; null without the label. */
export function hostOf(labels: Record<string, string>, hostLabel: string): string | null {
  const value = labels[hostLabel];
  if (value === undefined || value === '') return null;
  return value.replace(/:\d{1,5}$/, '').replace(/^\[(.*)\]$/, '$1');
}
