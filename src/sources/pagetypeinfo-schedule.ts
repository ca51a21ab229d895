// Decides when to read /proc/pagetypeinfo: it walks free lists under the zone lock with interrupts off.

export const SLOW_READ_MS = 20;
export const BACKOFF_INTERVAL_MS = 10_000;

export interface PagetypeinfoSchedule {
  /** Fixed interval set by the user, or null for "every tick, backing off when slow". */
  readonly userIntervalMs: number | null;
  /** Current interval in ms; 0 means every tick. */
  intervalMs: number;
  lastReadAtMs: number | null;
  /** Why the interval is what it is, for the header. */
  reason: string | null;
}

export function createPagetypeinfoSchedule(userIntervalMs: number | null): PagetypeinfoSchedule {
  return {
    userIntervalMs,
    intervalMs: userIntervalMs ?? 0,
    lastReadAtMs: null,
    reason: userIntervalMs === null ? null : `pagetypeinfo every ${userIntervalMs / 1000}s (set by option)`,
  };
}

export function isPagetypeinfoDue(schedule: PagetypeinfoSchedule, nowMs: number): boolean {
  return schedule.lastReadAtMs === null || nowMs - schedule.lastReadAtMs >= schedule.intervalMs;
}

/** Records a read; in automatic mode a slow read backs off to one read every 10 s. */
export function notePagetypeinfoRead(schedule: PagetypeinfoSchedule, nowMs: number, readMs: number): void {
  schedule.lastReadAtMs = nowMs;
  if (schedule.userIntervalMs !== null) return;
  if (readMs > SLOW_READ_MS) {
    schedule.intervalMs = BACKOFF_INTERVAL_MS;
    schedule.reason = `pagetypeinfo read took ${readMs.toFixed(0)} ms: reading it every 10s`;
  } else if (schedule.intervalMs !== 0 && readMs <= SLOW_READ_MS / 2) {
    // A clearly fast read after backing off: the lock pressure is gone, go back to every tick.
    schedule.intervalMs = 0;
    schedule.reason = null;
  }
}
