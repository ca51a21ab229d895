// Runs the fleet's queries against Prometheus together, once now and then every interval; hands back raw answers.
import type { FleetRawFrame } from '../model/fleet-frame.js';
import { TREND_RANGE_SEC, TREND_STEP_SEC, type FleetQuery } from '../analyze/fleet-queries.js';
import type { PrometheusSource } from './prometheus-source.js';

/** Label values are asked over the last 5 minutes: the series Prometheus still returns for a host. */
const LABELS_WINDOW_SEC = 300;

/** One refresh: every query at once (a handful over all hosts), waiting for all of them. */
export async function fetchFleetFrame(
  source: PrometheusSource,
  queries: readonly FleetQuery[],
  context: { order: number; hostLabel: string; openHost?: string | null },
  nowMs = Date.now(),
): Promise<FleetRawFrame> {
  // One evaluation time for every query, so the columns of a row describe the same moment.
  const timeSec = Math.floor(nowMs / 1000);
  const window = {
    startSec: timeSec - TREND_RANGE_SEC,
    endSec: timeSec,
    stepSec: TREND_STEP_SEC,
  };
  const answers = await Promise.all(
    queries.map(async (query) => ({
      name: query.name,
      kind: query.kind,
      expr: query.expr,
      result:
        query.kind === 'instant'
          ? await source.instant(query.expr, timeSec)
          : query.kind === 'range'
            ? await source.range(query.expr, window)
            : await source.labelValues(query.label ?? '', query.expr, {
                startSec: timeSec - LABELS_WINDOW_SEC,
                endSec: timeSec,
              }),
    })),
  );
  return {
    timeMs: nowMs,
    order: context.order,
    hostLabel: context.hostLabel,
    openHost: context.openHost ?? null,
    answers,
  };
}

export interface FleetPoller {
  /** Refresh now (after a change of order or of the open host), then keep the interval from here. */
  refreshNow(): void;
  stop(): void;
}

/**
 * Polls every `intervalMs`; a refresh never overlaps the previous one (a slow Prometheus gets one query set at a
 * time, not a growing queue).
 */
export function startFleetPoller(options: {
  source: PrometheusSource;
  intervalMs: number;
  /** The queries for the current order and open host, asked for at every refresh. */
  queries: () => { queries: FleetQuery[]; order: number; hostLabel: string; openHost?: string | null };
  onFrame: (frame: FleetRawFrame) => void;
}): FleetPoller {
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    if (timer) clearTimeout(timer);
    const { queries, ...context } = options.queries();
    const frame = await fetchFleetFrame(options.source, queries, context);
    running = false;
    if (stopped) return;
    options.onFrame(frame);
    if (again) {
      again = false;
      void run();
    } else timer = setTimeout(() => void run(), options.intervalMs);
  };
  void run();
  return {
    refreshNow: () => void run(),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
