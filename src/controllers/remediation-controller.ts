// Drives the compact / drop-caches dialog of the live screen: choose, confirm with y, run once, show the effect.
import { performRemediation } from './perform-remediation.js';
import { remediationTarget, type RemediationAction, type RemediationRoots } from '../actions/remediation.js';
import { usableBlocks } from '../analyze/remediation-effect.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { Sampler } from '../sources/sampler.js';
import { targetOrderOf, type FragtopStore } from '../store/create-store.js';

export const SETTLE_MS = 1000;

export interface RemediationController {
  /** `c` or `d`: opens the dialog, or says why not. */
  begin(kind: 'compact' | 'drop-caches'): void;
  /** A key pressed while the dialog is open. */
  answer(key: string): void;
  /** Resolves once a running action has been measured and audited (quitting waits for it). */
  settled(): Promise<void>;
}

export interface ControllerOptions {
  store: FragtopStore;
  roots: RemediationRoots;
  sampler: Pick<Sampler, 'sampleNow'>;
  auditLog: string | null;
  /** Where the audit line for the kernel log goes; null when fragtop is not watching this machine's own /proc. */
  auditKmsgPath?: string | null;
  /** Whether this process may write to /proc/sys; non-root is told at once, without a dialog. */
  isRoot: boolean;
  writeFile?: (path: string, value: string) => Promise<void>;
  settleMs?: number;
}

function summaryOf(snapshot: Snapshot, order: number): string {
  const blocks = usableBlocks(snapshot, order);
  return `order ≥${order} blocks ${blocks.toLocaleString('en-US')}`;
}

export function createRemediationController(options: ControllerOptions): RemediationController {
  const { store } = options;
  const actions = () => store.getState().actions;

  const confirm = (action: RemediationAction) => {
    actions().setDialog({ kind: 'confirm', action, target: remediationTarget(action, options.roots) });
  };

  let running: Promise<void> = Promise.resolve();
  const run = async (action: RemediationAction) => {
    const target = remediationTarget(action, options.roots);
    actions().setDialog({ kind: 'running', label: target.description, path: target.path });
    const latest = async (): Promise<Snapshot> => {
      await options.sampler.sampleNow();
      const snapshot = store.getState().sample.latest;
      if (!snapshot) throw new Error('no frame could be read');
      return snapshot;
    };
    try {
      const order = targetOrderOf(store.getState());
      const before = await latest();
      const performed = await performRemediation({
        action,
        roots: options.roots,
        targetOrder: order,
        before,
        beforeSummary: summaryOf(before, order),
        readAfter: latest,
        settleMs: options.settleMs ?? SETTLE_MS,
        source: 'live',
        audit: { path: options.auditLog, kmsgPath: options.auditKmsgPath },
        writeFile: options.writeFile,
      });
      actions().setDialog({ kind: 'result', performed });
    } catch (error) {
      actions().setDialog(null);
      actions().setFlash(`remediation failed: ${(error as Error).message}`);
    }
  };

  return {
    begin(kind) {
      const state = store.getState();
      if (state.session.mode !== 'live')
        return actions().setFlash('remediation is disabled in replay: it would act on this machine');
      if (state.session.readOnly)
        return actions().setFlash('read-only: compact and drop caches are disabled (--read-only)');
      if (state.dialog) return;
      if (!options.isRoot)
        return actions().setFlash('needs root: run fragtop as root (sudo fragtop) to compact or drop caches');
      const target = (action: RemediationAction) => remediationTarget(action, options.roots).path;
      if (kind === 'drop-caches')
        return actions().setDialog({ kind: 'choose-drop', path: target({ kind: 'drop-caches', level: 1 }) });
      // One key per node: nodes 0-9 can be chosen alone; larger machines compact all nodes.
      const nodes = [...new Set(state.sample.latest?.zones.map((zone) => zone.node) ?? [])]
        .filter((node) => node <= 9)
        .sort((a, b) => a - b);
      if (nodes.length > 1)
        actions().setDialog({
          kind: 'choose-node',
          allPath: target({ kind: 'compact' }),
          nodes: nodes.map((node) => ({ node, path: target({ kind: 'compact', node }) })),
        });
      else confirm({ kind: 'compact' });
    },
    settled() {
      return running;
    },
    answer(key) {
      const dialog = store.getState().dialog;
      if (!dialog) return;
      const cancel = key === 'escape' || key === 'n' || key === 'N' || key === 'q';
      switch (dialog.kind) {
        case 'choose-node':
          if (cancel) actions().setDialog(null);
          else if (key === 'a' || key === 'return') confirm({ kind: 'compact' });
          else if (/^\d$/.test(key) && dialog.nodes.some(({ node }) => node === Number(key)))
            confirm({ kind: 'compact', node: Number(key) });
          return;
        case 'choose-drop':
          if (cancel) actions().setDialog(null);
          else if (key === '1' || key === '2' || key === '3')
            confirm({ kind: 'drop-caches', level: Number(key) as 1 | 2 | 3 });
          return;
        case 'confirm':
          // y runs; every other key, Enter included, cancels: the default answer is No.
          if (key === 'y' || key === 'Y') running = run(dialog.action);
          else actions().setDialog(null);
          return;
        case 'running':
          return;
        case 'result':
          actions().setDialog(null);
          return;
      }
    },
  };
}
