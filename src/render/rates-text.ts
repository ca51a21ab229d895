// One line of per-second compaction and reclaim rates from vmstat deltas; "-" where there is no value.

const RATE_LABELS: [string, string[]][] = [
  ['compact stall', ['compact_stall']],
  ['fail', ['compact_fail']],
  ['success', ['compact_success']],
  ['migrate scanned', ['compact_migrate_scanned']],
  ['kcompactd wakes', ['compact_daemon_wake']],
  ['migrated', ['pgmigrate_success']],
  [
    'direct reclaim stalls',
    ['allocstall', 'allocstall_dma', 'allocstall_dma32', 'allocstall_normal', 'allocstall_movable'],
  ],
  [
    'kswapd scan',
    [
      'pgscan_kswapd',
      'pgscan_kswapd_dma',
      'pgscan_kswapd_dma32',
      'pgscan_kswapd_normal',
      'pgscan_kswapd_movable',
    ],
  ],
  [
    'direct scan',
    [
      'pgscan_direct',
      'pgscan_direct_dma',
      'pgscan_direct_dma32',
      'pgscan_direct_normal',
      'pgscan_direct_movable',
    ],
  ],
];

function formatRate(value: number): string {
  if (value === 0) return '0';
  if (value >= 1000) return `${(value / 1000).toFixed(1)}K`;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** Sums the named counters present; null when none has a value (no previous frame, counter missing or reset). */
function sumRates(rates: Record<string, number | null>, names: string[]): number | null {
  const values = names.map((name) => rates[name]).filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

export function ratesText(rates: Record<string, number | null>): string {
  const parts = RATE_LABELS.map(([label, names]) => {
    const value = sumRates(rates, names);
    return `${label} ${value === null ? '-' : formatRate(value)}`;
  });
  return `per s: ${parts.join(' · ')}`;
}
