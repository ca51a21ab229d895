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

export const GUARD_DEFAULT_INTERVAL_MS = 5000;
export const GUARD_DEFAULT_COOLDOWN_MS = 10 * 60 * 1000;
/** How long after an action the second frame is taken, so the effect is measured. */
export const GUARD_SETTLE_MS = 1000;

/** Failures retrying cannot fix: the guard stops with exit 1 instead of failing every cooldown. */
const PERMANENT_FAILURES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'INVALID']);

export interface GuardConfig {
  order: number;
  minBlocks: number;
  cooldownMs: number;
}

export interface GuardState {
  /** When the last action (or dry-run) happened, ms; null before the first. */
  lastActionMs: number | null;
  /** The lastActionMs whose cooldown already has its "skipped" line, so it is logged once per cooldown. */
  skipLoggedForActionMs: number | null;
  /** An "unknown" line was logged and no check has succeeded since. */
  unknownLogged: boolean;
}

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
  | { kind: 'act'; blocks: number; zones: GuardZoneBlocks[] }
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
 * check's own, so the guard never acts where check would say unknown.
 */
export function guardDecision(
  state: GuardState,
  snapshot: Snapshot,
  nowMs: number,
  config: GuardConfig,
): { decision: GuardDecision; state: GuardState } {
  const verdict = orderVerdict(snapshot, config.order, config.minBlocks);
  if (verdict.status === 'unknown')
    return {
      decision: { kind: 'unknown', reason: unknownText(verdict), log: !state.unknownLogged },
      state: { ...state, unknownLogged: true },
    };

  const zones = guardBlocks(verdict);
  const blocks = verdict.blocks;
  const known = { ...state, unknownLogged: false };
  if (verdict.status === 'ok') return { decision: { kind: 'ok', blocks, zones }, state: known };

  const last = state.lastActionMs;
  if (last !== null && nowMs - last < config.cooldownMs) {
    const log = state.skipLoggedForActionMs !== last;
    return {
      decision: { kind: 'cooldown', blocks, zones, remainingMs: config.cooldownMs - (nowMs - last), log },
      state: { ...known, skipLoggedForActionMs: last },
    };
  }
  return { decision: { kind: 'act', blocks, zones }, state: { ...known, lastActionMs: nowMs } };
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
  if (options.order === null || options.minBlocks === null) return fail('needs --order N and --min-blocks K');
  const actionText = options.action ?? 'compact';
  const action: RemediationAction | null = parseRemediationAction(actionText);
  if (!action)
    return fail(`--action expects compact, compact=NODE or drop-caches=1|2|3, got "${actionText}"`);
  if (options.readOnly && !options.dryRun) return fail('guard cannot act in --read-only; use --dry-run');

  const now = settings.now ?? Date.now;
  const roots = { procRoot: options.procRoot, sysRoot: options.sysRoot };
  const target = remediationTarget(action, roots);
  const label = actionLabel(action);
  const config: GuardConfig = {
    order: options.order,
    minBlocks: options.minBlocks,
    cooldownMs: options.cooldownMs ?? GUARD_DEFAULT_COOLDOWN_MS,
  };
  const intervalMs = settings.defaultIntervalMs ?? options.intervalMs;
  const settleMs = settings.settleMs ?? GUARD_SETTLE_MS;
  const log = (event: string, fields: Record<string, unknown>): void => {
    io.stdout.write(`${JSON.stringify({ time: new Date(now()).toISOString(), event, ...fields })}\n`);
  };

  /** Runs the action, measures and logs its effect, audits it; a number means: stop with this exit code. */
  const act = async (before: Snapshot, blocks: number): Promise<number | null> => {
    const beforeLine = `order ≥${config.order} blocks ${blocks.toLocaleString('en-US')} (below ${config.minBlocks})`;
    // The kernel log of this machine records actions on this machine's own /proc only.
    const kmsgPath =
      settings.kmsgPath !== undefined
        ? settings.kmsgPath
        : resolve(options.procRoot) === '/proc'
          ? undefined
          : null;
    const auditOptions = { path: options.auditLog, env: settings.env, now, kmsgPath };
    const performed = await performRemediation({
      action,
      roots,
      targetOrder: config.order,
      before,
      beforeSummary: beforeLine,
      // A fresh source, so pagetypeinfo is read again rather than reused from before the action.
      readAfter: () =>
        readSnapshot(new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null })),
      settleMs,
      source: 'guard',
      audit: auditOptions,
      writeFile: settings.writeFile,
    });
    const { outcome, audit } = performed;
    if (!outcome.ok) {
      log('action', { action: label, ...outcome, audit: audit.path, auditError: audit.error });
      if (audit.error) io.stderr.write(`fragtop guard: ${audit.error}\n`);
      io.stderr.write(`fragtop guard: ${label} failed: ${outcome.explanation}\n`);
      return PERMANENT_FAILURES.has(outcome.code) ? 1 : null;
    }
    log('action', {
      action: label,
      ...outcome,
      summary: performed.summary,
      effect: performed.effect,
      audit: audit.path,
      auditError: audit.error,
    });
    if (audit.error) io.stderr.write(`fragtop guard: ${audit.error}\n`);
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
  log('start', {
    order: config.order,
    minBlocks: config.minBlocks,
    action: label,
    path: target.path,
    value: target.value,
    intervalMs,
    cooldownMs: config.cooldownMs,
    dryRun: options.dryRun,
  });
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
      if (decision.kind === 'act') {
        log('trigger', {
          order: config.order,
          blocks: decision.blocks,
          minBlocks: config.minBlocks,
          zones: decision.zones,
        });
        if (options.dryRun) {
          log('dry-run', {
            action: label,
            path: target.path,
            value: target.value,
            description: target.description,
          });
        } else {
          const exit = await act(before, decision.blocks);
          if (exit !== null) return exit;
        }
      }
      await pause(intervalMs, stop.signal);
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
