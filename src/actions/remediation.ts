// The only code that writes to the kernel: compact memory or drop caches, one action at a time.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export type RemediationAction =
  { kind: 'compact'; node?: number } | { kind: 'drop-caches'; level: 1 | 2 | 3 };

export interface RemediationRoots {
  procRoot: string;
  sysRoot: string;
}

export interface RemediationTarget {
  /** The one file the action writes. */
  path: string;
  /** The exact bytes written. */
  value: string;
  /** What the kernel will do, in words, for the confirm dialog and the log. */
  description: string;
  /** What it costs the machine. */
  cost: string;
}

export type RemediationOutcome =
  | { ok: true; path: string; value: string; writeMs: number }
  | { ok: false; path: string; value: string; code: string; explanation: string };

export interface RemediationDeps {
  /** Writes `value` to an existing file; rejects with a Node errno error (`code`) on failure. */
  writeFile?: (path: string, value: string) => Promise<void>;
  /** Milliseconds for timing the write; defaults to performance.now(). */
  now?: () => number;
}

const DROP_WHAT: Record<1 | 2 | 3, { description: string; cost: string }> = {
  1: {
    description:
      'drop the page cache (clean file pages only: dirty pages stay until written back; run sync first to include them)',
    cost: 'files are read from disk again on next use, so I/O and latency rise until the cache warms up',
  },
  2: {
    description: 'free reclaimable slab objects (dentries and inodes no longer in use)',
    cost: 'file lookups go to disk again until the dentry and inode caches refill',
  },
  3: {
    description:
      'drop the page cache and free reclaimable slab objects (clean pages only: run sync first to include dirty ones)',
    cost: 'files and directory entries are read from disk again on next use, so I/O and latency rise until the caches warm up',
  },
};

const COMPACT_COST =
  'burns CPU (seconds on a large machine) while the kernel migrates pages; allocations may stall briefly';

function validNode(node: number | undefined): boolean {
  return node === undefined || (Number.isInteger(node) && node >= 0);
}

/** Where an action writes, what, and what it means; throws RangeError on an impossible action (a caller bug). */
export function remediationTarget(action: RemediationAction, roots: RemediationRoots): RemediationTarget {
  if (action.kind === 'compact') {
    if (!validNode(action.node)) throw new RangeError(`no such NUMA node: ${String(action.node)}`);
    if (action.node === undefined)
      return {
        path: join(roots.procRoot, 'sys/vm/compact_memory'),
        value: '1',
        description:
          'compact memory in every zone of every node: move movable pages together to rebuild large free blocks',
        cost: COMPACT_COST,
      };
    return {
      path: join(roots.sysRoot, `devices/system/node/node${action.node}/compact`),
      value: '1',
      description: `compact memory in every zone of NUMA node ${action.node}: move movable pages together to rebuild large free blocks`,
      cost: COMPACT_COST,
    };
  }
  const what = DROP_WHAT[action.level];
  if (!what) throw new RangeError(`drop_caches level must be 1, 2 or 3, got ${String(action.level)}`);
  return { path: join(roots.procRoot, 'sys/vm/drop_caches'), value: String(action.level), ...what };
}

/** The action as the command line spells it: compact, compact=NODE, drop-caches=1|2|3. */
export function actionLabel(action: RemediationAction): string {
  if (action.kind === 'compact') return action.node === undefined ? 'compact' : `compact=${action.node}`;
  return `drop-caches=${action.level}`;
}

/** Parses an --action value; null when it is not one of compact, compact=NODE, drop-caches=1|2|3. */
export function parseRemediationAction(text: string): RemediationAction | null {
  if (text === 'compact') return { kind: 'compact' };
  const node = /^compact=(\d{1,4})$/.exec(text);
  if (node) return { kind: 'compact', node: Number(node[1]) };
  const drop = /^drop-caches=([123])$/.exec(text);
  if (drop) return { kind: 'drop-caches', level: Number(drop[1]) as 1 | 2 | 3 };
  return null;
}

/** Writes into an existing file only: O_CREAT is left out so a missing kernel file is ENOENT, not a new file. */
async function writeExisting(path: string, value: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_TRUNC);
  try {
    // One write(2): proc and sysfs handlers act on each write call.
    await handle.write(value);
  } finally {
    await handle.close();
  }
}

function explain(code: string, path: string, action: RemediationAction, message: string): string {
  if (code === 'EACCES' || code === 'EPERM') return 'needs root: run fragtop as root (sudo fragtop)';
  if (code === 'EROFS')
    return '/proc/sys is read-only here (a container without privileges?): run on the node itself or in a privileged debug pod';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    if (action.kind === 'drop-caches') return `the kernel has no ${path} (is the proc root a mounted /proc?)`;
    if (action.node !== undefined)
      return `the kernel has no ${path} (no NUMA node ${action.node}, or built without CONFIG_COMPACTION?)`;
    return `the kernel has no ${path} (built without CONFIG_COMPACTION?)`;
  }
  return message;
}

// Compaction and drop_caches run synchronously inside write(2); two at once only make each other slower.
let running = false;

/** Performs the action; never throws. A call while another runs returns BUSY without writing. */
export async function runRemediation(
  action: RemediationAction,
  roots: RemediationRoots,
  deps: RemediationDeps = {},
): Promise<RemediationOutcome> {
  let target: RemediationTarget;
  try {
    target = remediationTarget(action, roots);
  } catch (error) {
    return { ok: false, path: '', value: '', code: 'INVALID', explanation: (error as Error).message };
  }
  const { path, value } = target;
  if (running) return { ok: false, path, value, code: 'BUSY', explanation: 'another action is running' };
  running = true;
  const writeFile = deps.writeFile ?? writeExisting;
  const now = deps.now ?? (() => performance.now());
  try {
    const started = now();
    await writeFile(path, value);
    return { ok: true, path, value, writeMs: now() - started };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    const message = (error as Error).message ?? String(error);
    return { ok: false, path, value, code, explanation: explain(code, path, action, message) };
  } finally {
    running = false;
  }
}
