// `fragtop guard`: a headless watcher that compacts or drops caches when order-N blocks run low, and logs why.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { performRemediation } from '../controllers/perform-remediation.js';
import {
  actionLabel,
  parseRemediationAction,
  remediationTarget,
  type RemediationAction,
  type RemediationDeps,
} from '../actions/remediation.js';
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { orderVerdict, type OrderVerdict } from '../analyze/order-verdict.js';
import { unknownText } from '../render/order-verdict-text.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import { ProcSource } from '../sources/proc-source.js';
import type { Options } from './parse-args.js';
import { DEFAULT_TARGET_ORDER } from '../store/create-store.js';
import { durationLabel } from '../render/format.js';

export const GUARD_DEFAULT_INTERVAL_MS = 5000;
export const GUARD_DEFAULT_COOLDOWN_MS = 10 * 60 * 1000;
/** How long after an action the second frame is taken, so the effect is measured. */
export const GUARD_SETTLE_MS = 1000;

/** Failures retrying cannot fix: the guard stops with exit 1 instead of failing every cooldown. */
const PERMANENT_FAILURES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'INVALID']);

export interface GuardConfig {
  /** The threshold's order and K; null for a guard that acts only on its schedule (--every alone). */
  order: number | null;
  minBlocks: number | null;
  cooldownMs: number;
  /** --every: act every this many ms; null: only on the threshold. */
  everyMs?: number | null;
  /** --at-most N/D: at most `count` actions in any `periodMs`. */
  atMost?: { count: number; periodMs: number } | null;
}

export interface GuardState {
  /** When the last action (or dry-run) happened, ms; null before the first. */
  lastActionMs: number | null;
  /** The lastActionMs whose cooldown already has its "skipped" line, so it is logged once per cooldown. */
  skipLoggedForActionMs: number | null;
  /** An "unknown" line was logged and no check has succeeded since. */
  unknownLogged: boolean;
  /** When the schedule next comes due (ms); null before the first check, or without --every. */
  nextScheduledMs?: number | null;
  /** Times of the actions inside the --at-most period, oldest first. */
  recentActionsMs?: number[];
  /** The oldest action of the window whose "capped" line was logged, so it is logged once per window. */
  capLoggedForMs?: number | null;
}

/** Why an action runs: the blocks ran short, the schedule came due, or both at once. */
export type GuardReason = 'threshold' | 'schedule' | 'threshold+schedule';

export interface GuardZoneBlocks {
  node: number;
  zone: string;
  /** Order-N blocks from free blocks of order ≥ N. */
  blocks: number;
  /** Counted in the total: the zone passes the watermark at order N, or zoneinfo is missing. */
  counted: boolean;
}

export type GuardDecision =
  | { kind: 'ok'; blocks: number; zones: GuardZoneBlocks[] }
  | { kind: 'act'; blocks: number; zones: GuardZoneBlocks[]; reason?: GuardReason }
  | { kind: 'wait'; nextInMs: number }
  | {
      kind: 'capped';
      reason: GuardReason;
      blocks: number | null;
      count: number;
      periodMs: number;
      /** When the oldest action leaves the period and another is allowed. */
      nextAllowedInMs: number;
      log: boolean;
    }
  | { kind: 'cooldown'; blocks: number; zones: GuardZoneBlocks[]; remainingMs: number; log: boolean }
  | { kind: 'unknown'; reason: string; log: boolean };

export function initialGuardState(): GuardState {
  return { lastActionMs: null, skipLoggedForActionMs: null, unknownLogged: false };
}

/** Order-N blocks per zone; a zone counts when it may serve the request and passes its watermark check now. */
export function guardBlocks(verdict: OrderVerdict): GuardZoneBlocks[] {
  return (verdict.diagnosis?.zones ?? []).map((zone) => ({
    node: zone.node,
    zone: zone.zone,
    blocks: zone.suitableBlocks,
    counted: zone.eligible && zone.canAllocate === true,
  }));
}

/**
 * Pure: what one check does, and the state after it. An action (or dry-run) starts the cooldown. The verdict is
 * check's own, so the guard never acts where check would say unknown. With --every the action also runs when the
 * schedule comes due (first one period after the start; any action restarts the period), whatever the blocks, but
 * still never on an unknown state; the cooldown holds back only threshold actions, and --at-most caps both.
 */
export function guardDecision(
  state: GuardState,
  snapshot: Snapshot,
  nowMs: number,
  config: GuardConfig,
): { decision: GuardDecision; state: GuardState } {
  const everyMs = config.everyMs ?? null;
  const scheduled = everyMs === null ? null : (state.nextScheduledMs ?? nowMs + everyMs);
  const base: GuardState = { ...state, nextScheduledMs: scheduled };
  const due = scheduled !== null && nowMs >= scheduled;

  let blocks: number | null = null;
  let zones: GuardZoneBlocks[] = [];
  let short = false;
  if (config.order !== null && config.minBlocks !== null) {
    const verdict = orderVerdict(snapshot, config.order, config.minBlocks);
    if (verdict.status === 'unknown')
      return {
        decision: { kind: 'unknown', reason: unknownText(verdict), log: !state.unknownLogged },
        state: { ...base, unknownLogged: true },
      };
    blocks = verdict.blocks;
    zones = guardBlocks(verdict);
    short = verdict.status !== 'ok';
  } else if (snapshot.zones.length === 0) {
    // On the schedule alone the effect is still measured: without free lists there is nothing to measure against.
    const reason = `no free lists: ${snapshot.unavailable.buddyinfo ?? 'buddyinfo lists no zones'}`;
    return {
      decision: { kind: 'unknown', reason, log: !state.unknownLogged },
      state: { ...base, unknownLogged: true },
    };
  }
  const known: GuardState = { ...base, unknownLogged: false };

  if (!short && !due) {
    if (blocks !== null) return { decision: { kind: 'ok', blocks, zones }, state: known };
    return { decision: { kind: 'wait', nextInMs: (scheduled ?? nowMs) - nowMs }, state: known };
  }

  const last = state.lastActionMs;
  if (!due && last !== null && nowMs - last < config.cooldownMs) {
    const log = state.skipLoggedForActionMs !== last;
    return {
      decision: {
        kind: 'cooldown',
        blocks: blocks ?? 0,
        zones,
        remainingMs: config.cooldownMs - (nowMs - last),
        log,
      },
      state: { ...known, skipLoggedForActionMs: last },
    };
  }

  const reason: GuardReason = short && due ? 'threshold+schedule' : due ? 'schedule' : 'threshold';
  const cap = config.atMost ?? null;
  const recent = (state.recentActionsMs ?? []).filter((at) => cap !== null && nowMs - at < cap.periodMs);
  if (cap !== null && recent.length >= cap.count) {
    const oldest = recent[0] ?? nowMs;
    const log = state.capLoggedForMs !== oldest;
    return {
      decision: {
        kind: 'capped',
        reason,
        blocks,
        count: cap.count,
        periodMs: cap.periodMs,
        nextAllowedInMs: oldest + cap.periodMs - nowMs,
        log,
      },
      // A schedule slot that the cap took is skipped, not queued: the next one is a period later.
      state: {
        ...known,
        recentActionsMs: recent,
        capLoggedForMs: oldest,
        nextScheduledMs: due && everyMs !== null ? nowMs + everyMs : scheduled,
      },
    };
  }
  return {
    decision: { kind: 'act', blocks: blocks ?? 0, zones, ...(everyMs !== null ? { reason } : {}) },
    state: {
      ...known,
      lastActionMs: nowMs,
      recentActionsMs: cap === null ? [] : [...recent, nowMs],
      nextScheduledMs: everyMs === null ? null : nowMs + everyMs,
    },
  };
}

/**
 * compact=NODE instead of compacting every node, when only one NUMA node is short: each node is short when its
 * usable order-N blocks are below its share of K (K divided by the nodes). Null when several or no nodes are short.
 */
export function shortNode(zones: readonly GuardZoneBlocks[], minBlocks: number): number | null {
  const nodes = [...new Set(zones.map((zone) => zone.node))];
  if (nodes.length < 2) return null;
  const share = Math.ceil(minBlocks / nodes.length);
  const short = nodes.filter(
    (node) =>
      zones.filter((zone) => zone.node === node && zone.counted).reduce((sum, zone) => sum + zone.blocks, 0) <
      share,
  );
  return short.length === 1 ? (short[0] ?? null) : null;
}

/** Parses --action: one action or a comma-separated sequence; null when any step is not an action. */
export function parseActionSequence(text: string): RemediationAction[] | null {
  const steps = text.split(',').map((step) => parseRemediationAction(step.trim()));
  if (steps.length === 0 || steps.length > 4 || steps.some((step) => step === null)) return null;
  return steps as RemediationAction[];
}

export interface GuardIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface GuardSettings {
  /** The period when the user gave no --interval (pass it only then; Options.intervalMs is always set). */
  defaultIntervalMs?: number;
  settleMs?: number;
  /** Kernel log device for the audit line; null skips it. */
  kmsgPath?: string | null;
  env?: Record<string, string | undefined>;
  now?: () => number;
  writeFile?: RemediationDeps['writeFile'];
  /** Stop on SIGTERM and SIGINT (default true). */
  handleSignals?: boolean;
  /** Waits between checks and before measuring an effect; a fake clock advances here. Default: real timers. */
  sleep?: (ms: number) => Promise<void>;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the loop checks the signal next.
  }
}

function readSnapshot(source: ProcSource): Promise<Snapshot> {
  return source.read().then(buildSnapshot);
}

export async function runGuard(options: Options, io: GuardIo, settings: GuardSettings = {}): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`fragtop guard: ${message}\n`);
    return 2;
  };
  const threshold = options.order !== null && options.minBlocks !== null;
  if (!threshold && options.everyMs === null)
    return fail('needs --order N and --min-blocks K, or --every D, or both');
  if (!threshold && (options.order !== null || options.minBlocks !== null))
    return fail('the threshold needs both --order N and --min-blocks K');
  const actionText = options.action ?? 'compact';
  const steps = parseActionSequence(actionText);
  if (!steps)
    return fail(
      `--action expects compact, compact=NODE, drop-caches=1|2|3 or a sequence of them (drop-caches=3,compact), got "${actionText.slice(0, 60)}"`,
    );
  if (steps.length > 1 && !threshold)
    return fail(
      'a sequence of actions needs --order N and --min-blocks K: each next step runs only while blocks are short',
    );
  if (options.readOnly && !options.dryRun) return fail('guard cannot act in --read-only; use --dry-run');

  const now = settings.now ?? Date.now;
  const roots = { procRoot: options.procRoot, sysRoot: options.sysRoot };
  const labels = steps.map(actionLabel);
  const config: GuardConfig = {
    order: options.order,
    minBlocks: options.minBlocks,
    cooldownMs: options.cooldownMs ?? GUARD_DEFAULT_COOLDOWN_MS,
    everyMs: options.everyMs,
    atMost: options.atMost,
  };
  // Effects are measured at the threshold's order; on the schedule alone at the screen's default order.
  const measureOrder = options.order ?? DEFAULT_TARGET_ORDER;
  const intervalMs = Math.min(settings.defaultIntervalMs ?? options.intervalMs, options.everyMs ?? Infinity);
  const settleMs = settings.settleMs ?? GUARD_SETTLE_MS;
  const log = (event: string, fields: Record<string, unknown>): void => {
    io.stdout.write(`${JSON.stringify({ time: new Date(now()).toISOString(), event, ...fields })}\n`);
  };
  const freshSnapshot = () =>
    readSnapshot(new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null }));

  /** Runs one step, measures and logs its effect, audits it; `stop` is an exit code, `after` the state after. */
  const act = async (
    action: RemediationAction,
    before: Snapshot,
    beforeLine: string,
    step: { index: number; of: number },
    extra: Record<string, unknown>,
  ): Promise<{ stop: number | null; after: Snapshot | null }> => {
    const label = actionLabel(action);
    // The kernel log of this machine records actions on this machine's own /proc only.
    const kmsgPath =
      settings.kmsgPath !== undefined
        ? settings.kmsgPath
        : resolve(options.procRoot) === '/proc'
          ? undefined
          : null;
    const auditOptions = { path: options.auditLog, env: settings.env, now, kmsgPath };
    let after: Snapshot | null = null;
    const performed = await performRemediation({
      action,
      roots,
      targetOrder: measureOrder,
      before,
      beforeSummary: beforeLine,
      // A fresh source, so pagetypeinfo is read again rather than reused from before the action.
      readAfter: async () => (after = await freshSnapshot()),
      settleMs,
      source: 'guard',
      audit: auditOptions,
      writeFile: settings.writeFile,
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
    });
    const { outcome, audit } = performed;
    const stepFields = step.of > 1 ? { step: step.index + 1, steps: step.of } : {};
    if (!outcome.ok) {
      log('action', {
        action: label,
        ...stepFields,
        ...extra,
        ...outcome,
        audit: audit.path,
        auditError: audit.error,
      });
      if (audit.error) io.stderr.write(`fragtop guard: ${audit.error}\n`);
      io.stderr.write(`fragtop guard: ${label} failed: ${outcome.explanation}\n`);
      return { stop: PERMANENT_FAILURES.has(outcome.code) ? 1 : null, after: null };
    }
    log('action', {
      action: label,
      ...stepFields,
      ...extra,
      ...outcome,
      summary: performed.summary,
      effect: performed.effect,
      audit: audit.path,
      auditError: audit.error,
    });
    if (audit.error) io.stderr.write(`fragtop guard: ${audit.error}\n`);
    return { stop: null, after };
  };

  /** The action's steps in order; each next step only while the blocks are still short after the one before. */
  const runSteps = async (before: Snapshot, decision: { blocks: number; zones: GuardZoneBlocks[] }) => {
    let current = before;
    let blocks = decision.blocks;
    let zones = decision.zones;
    for (const [index, planned] of steps.entries()) {
      let action = planned;
      const extra: Record<string, unknown> = {};
      // Compacting every node when one is short costs the others CPU for nothing.
      if (planned.kind === 'compact' && planned.node === undefined && config.minBlocks !== null) {
        const node = shortNode(zones, config.minBlocks);
        if (node !== null) {
          action = { kind: 'compact', node };
          extra['node'] = node;
          extra['why'] = `only NUMA node ${node} is short`;
        }
      }
      const beforeLine =
        config.minBlocks !== null
          ? `order ≥${measureOrder} blocks ${blocks.toLocaleString('en-US')} (below ${config.minBlocks})`
          : `scheduled (every ${durationLabel(options.everyMs ?? 0)})`;
      const { stop, after } = await act(action, current, beforeLine, { index, of: steps.length }, extra);
      if (stop !== null) return stop;
      if (index === steps.length - 1 || after === null || config.order === null || config.minBlocks === null)
        return null;
      const verdict = orderVerdict(after, config.order, config.minBlocks);
      if (verdict.status !== 'short') {
        log('sequence-done', {
          after: labels[index],
          status: verdict.status,
          blocks: verdict.status === 'unknown' ? null : verdict.blocks,
          skipped: labels.slice(index + 1),
        });
        return null;
      }
      current = after;
      blocks = verdict.blocks;
      zones = guardBlocks(verdict);
    }
    return null;
  };

  const stop = new AbortController();
  let stopReason = 'signal';
  const onAbort = (): void => stop.abort();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  if (io.signal?.aborted) stop.abort();
  const onSignal = (name: string) => (): void => {
    stopReason = name;
    stop.abort();
  };
  const onTerm = onSignal('SIGTERM');
  const onInt = onSignal('SIGINT');
  const handleSignals = settings.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  }

  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs,
  });
  const targets = steps.map((action) => remediationTarget(action, roots));
  log('start', {
    order: config.order,
    minBlocks: config.minBlocks,
    action: labels.join(','),
    path: targets[0]?.path,
    value: targets[0]?.value,
    ...(steps.length > 1
      ? { steps: targets.map((t, i) => ({ action: labels[i], path: t.path, value: t.value })) }
      : {}),
    intervalMs,
    cooldownMs: config.cooldownMs,
    everyMs: config.everyMs,
    atMost: config.atMost,
    dryRun: options.dryRun,
  });
  const wait = settings.sleep ?? ((ms: number) => pause(ms, stop.signal));
  try {
    let state = initialGuardState();
    while (!stop.signal.aborted) {
      const before = await readSnapshot(source);
      const step = guardDecision(state, before, now(), config);
      state = step.state;
      const { decision } = step;
      if (decision.kind === 'unknown' && decision.log) log('unknown', { reason: decision.reason });
      if (decision.kind === 'cooldown' && decision.log)
        log('cooldown', {
          order: config.order,
          blocks: decision.blocks,
          minBlocks: config.minBlocks,
          remainingMs: decision.remainingMs,
        });
      if (decision.kind === 'capped' && decision.log)
        log('capped', {
          reason: decision.reason,
          blocks: decision.blocks,
          atMost: `${decision.count}/${durationLabel(decision.periodMs)}`,
          nextAllowedInMs: decision.nextAllowedInMs,
        });
      if (decision.kind === 'act') {
        log('trigger', {
          ...(decision.reason ? { reason: decision.reason } : {}),
          order: config.order,
          blocks: config.minBlocks === null ? null : decision.blocks,
          minBlocks: config.minBlocks,
          zones: decision.zones,
        });
        if (options.dryRun) {
          const node = config.minBlocks !== null ? shortNode(decision.zones, config.minBlocks) : null;
          steps.forEach((action, index) => {
            const actual =
              action.kind === 'compact' && action.node === undefined && node !== null
                ? { kind: 'compact' as const, node }
                : action;
            const target = remediationTarget(actual, roots);
            log('dry-run', {
              action: actionLabel(actual),
              ...(steps.length > 1 ? { step: index + 1, steps: steps.length } : {}),
              path: target.path,
              value: target.value,
              description: target.description,
            });
          });
        } else {
          const exit = await runSteps(before, decision);
          if (exit !== null) return exit;
        }
      }
      await wait(intervalMs);
    }
    log('stop', { reason: io.signal?.aborted ? 'aborted' : stopReason });
    return 0;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    if (handleSignals) {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
    }
  }
}
