// `fragtop fleet --once --json`: the fleet table as data, one object per host, sorted by risk.
import type { FleetRow, FleetState } from '../analyze/fleet.js';

export interface FleetJsonInput {
  rows: readonly FleetRow[];
  state: FleetState;
  url: string;
  order: number;
  hostLabel: string;
  selector: string;
  nowMs: number;
}

export function fleetJson(input: FleetJsonInput): Record<string, unknown> {
  const { state } = input;
  return {
    schema: 1,
    time: new Date(input.nowMs).toISOString(),
    prometheus: input.url,
    order: input.order,
    hostLabel: input.hostLabel,
    selector: input.selector,
    reachable: state.down === null,
    unreachable: state.down && {
      since: new Date(state.down.sinceMs).toISOString(),
      error: state.down.message,
    },
    hosts: input.rows.map((row) => ({
      host: row.host,
      source: row.source,
      verdict: row.verdict,
      stale: row.stale,
      risk: row.risk === null ? null : Number(row.risk.toFixed(4)),
      servableBlocks: row.servableBlocks,
      suitableBlocks: row.suitableBlocks,
      worstFragmentationIndex: row.worstFragmentationIndex,
      freeBytes: row.freeBytes,
      pageSizeAssumed: row.pageSizeAssumed,
      allocFailuresLastHour: row.failuresLastHour,
      compactStallsPerSecond: row.stallsPerSecond,
      lastScrapeAgeSeconds: row.ageSeconds === null ? null : Math.round(row.ageSeconds),
      trend: row.trend,
      notes: row.notes,
    })),
    errors: state.errors,
    problems: state.problems,
    refresh: state.lastRefresh,
  };
}
