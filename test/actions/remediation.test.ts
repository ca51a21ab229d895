// Tests remediation: which file each action writes, action names, and runs on a temporary proc/sys root and on this machine.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionLabel,
  parseRemediationAction,
  remediationTarget,
  runRemediation,
  type RemediationAction,
} from '../../src/actions/remediation.js';

const isRoot = process.getuid?.() === 0;

let dir: string;
let roots: { procRoot: string; sysRoot: string };

/** A fake proc and sys tree with the kernel's remediation files present and empty. */
function makeRoots(): void {
  dir = mkdtempSync(join(tmpdir(), 'fragtop-remediation-'));
  roots = { procRoot: join(dir, 'proc'), sysRoot: join(dir, 'sys') };
  mkdirSync(join(roots.procRoot, 'sys/vm'), { recursive: true });
  mkdirSync(join(roots.sysRoot, 'devices/system/node/node0'), { recursive: true });
  mkdirSync(join(roots.sysRoot, 'devices/system/node/node1'), { recursive: true });
  for (const file of [
    'proc/sys/vm/compact_memory',
    'proc/sys/vm/drop_caches',
    'sys/devices/system/node/node0/compact',
    'sys/devices/system/node/node1/compact',
  ])
    writeFileSync(join(dir, file), '');
}

/** Every file under the temp root with its content, to prove nothing else was written. */
function tree(root: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, tree(root, rel));
    else out[rel] = readFileSync(join(root, rel), 'utf8');
  }
  return out;
}

const EMPTY_TREE = {
  'proc/sys/vm/compact_memory': '',
  'proc/sys/vm/drop_caches': '',
  'sys/devices/system/node/node0/compact': '',
  'sys/devices/system/node/node1/compact': '',
};

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

beforeEach(makeRoots);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('remediationTarget', () => {
  it('names the exact file and value for every action', () => {
    const r = { procRoot: '/host/proc', sysRoot: '/host/sys' };
    expect(remediationTarget({ kind: 'compact' }, r)).toMatchObject({
      path: '/host/proc/sys/vm/compact_memory',
      value: '1',
    });
    expect(remediationTarget({ kind: 'compact', node: 1 }, r)).toMatchObject({
      path: '/host/sys/devices/system/node/node1/compact',
      value: '1',
    });
    for (const level of [1, 2, 3] as const)
      expect(remediationTarget({ kind: 'drop-caches', level }, r)).toMatchObject({
        path: '/host/proc/sys/vm/drop_caches',
        value: String(level),
      });
  });

  it('says in words what happens and what it costs', () => {
    const r = { procRoot: '/proc', sysRoot: '/sys' };
    const drop1 = remediationTarget({ kind: 'drop-caches', level: 1 }, r);
    expect(drop1.description).toContain('drop the page cache');
    expect(drop1.description).toContain('sync');
    expect(drop1.cost).toContain('read from disk again');
    expect(remediationTarget({ kind: 'drop-caches', level: 2 }, r).description).toContain('slab');
    const drop3 = remediationTarget({ kind: 'drop-caches', level: 3 }, r).description;
    expect(drop3).toContain('page cache');
    expect(drop3).toContain('slab');
    const compact = remediationTarget({ kind: 'compact' }, r);
    expect(compact.description).toContain('every node');
    expect(compact.cost).toContain('CPU');
    expect(compact.cost).toContain('stall');
    expect(remediationTarget({ kind: 'compact', node: 3 }, r).description).toContain('NUMA node 3');
  });

  it('rejects an impossible node or level', () => {
    const r = { procRoot: '/proc', sysRoot: '/sys' };
    expect(() => remediationTarget({ kind: 'compact', node: -1 }, r)).toThrow(RangeError);
    expect(() => remediationTarget({ kind: 'compact', node: 0.5 }, r)).toThrow(RangeError);
    expect(() => remediationTarget({ kind: 'drop-caches', level: 4 as 1 }, r)).toThrow(RangeError);
  });
});

describe('parseRemediationAction and actionLabel', () => {
  it('round-trips every accepted spelling', () => {
    for (const text of [
      'compact',
      'compact=0',
      'compact=12',
      'drop-caches=1',
      'drop-caches=2',
      'drop-caches=3',
    ]) {
      const action = parseRemediationAction(text);
      expect(action).not.toBeNull();
      expect(actionLabel(action!)).toBe(text);
    }
    expect(parseRemediationAction('drop-caches=2')).toEqual({ kind: 'drop-caches', level: 2 });
    expect(parseRemediationAction('compact=1')).toEqual({ kind: 'compact', node: 1 });
  });

  it('rejects anything else', () => {
    for (const text of [
      '',
      'Compact',
      'drop-caches',
      'drop-caches=0',
      'drop-caches=4',
      'compact=-1',
      'compact=x',
      'sync',
    ])
      expect(parseRemediationAction(text)).toBeNull();
  });
});

describe('runRemediation on a temporary proc and sys root', () => {
  const cases: Array<[RemediationAction, string, string]> = [
    [{ kind: 'compact' }, 'proc/sys/vm/compact_memory', '1'],
    [{ kind: 'compact', node: 0 }, 'sys/devices/system/node/node0/compact', '1'],
    [{ kind: 'compact', node: 1 }, 'sys/devices/system/node/node1/compact', '1'],
    [{ kind: 'drop-caches', level: 1 }, 'proc/sys/vm/drop_caches', '1'],
    [{ kind: 'drop-caches', level: 2 }, 'proc/sys/vm/drop_caches', '2'],
    [{ kind: 'drop-caches', level: 3 }, 'proc/sys/vm/drop_caches', '3'],
  ];
  for (const [action, file, value] of cases) {
    it(`${actionLabel(action)} writes exactly "${value}" to ${file} and nothing else`, async () => {
      const outcome = await runRemediation(action, roots);
      expect(outcome).toMatchObject({ ok: true, path: join(dir, file), value });
      expect(tree(dir)).toEqual({ ...EMPTY_TREE, [file]: value });
    });
  }

  it('replaces what the file held rather than appending', async () => {
    writeFileSync(join(roots.procRoot, 'sys/vm/drop_caches'), '0\n');
    await runRemediation({ kind: 'drop-caches', level: 3 }, roots);
    expect(readFileSync(join(roots.procRoot, 'sys/vm/drop_caches'), 'utf8')).toBe('3');
  });

  it('times the write with the injected clock', async () => {
    const times = [100, 142.5];
    const outcome = await runRemediation({ kind: 'compact' }, roots, { now: () => times.shift()! });
    expect(outcome).toEqual({
      ok: true,
      path: join(roots.procRoot, 'sys/vm/compact_memory'),
      value: '1',
      writeMs: 42.5,
    });
  });

  it('reports a missing kernel file as ENOENT and does not create it', async () => {
    rmSync(join(roots.procRoot, 'sys/vm/compact_memory'));
    const path = join(roots.procRoot, 'sys/vm/compact_memory');
    expect(await runRemediation({ kind: 'compact' }, roots)).toEqual({
      ok: false,
      path,
      value: '1',
      code: 'ENOENT',
      explanation: `the kernel has no ${path} (built without CONFIG_COMPACTION?)`,
    });
    expect(existsSync(path)).toBe(false);
  });

  it('explains a missing NUMA node', async () => {
    const outcome = await runRemediation({ kind: 'compact', node: 7 }, roots);
    expect(outcome).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(!outcome.ok && outcome.explanation).toContain('no NUMA node 7');
    expect(existsSync(join(roots.sysRoot, 'devices/system/node/node7'))).toBe(false);
  });

  it('maps permission errors to "needs root"', async () => {
    for (const code of ['EACCES', 'EPERM']) {
      const outcome = await runRemediation({ kind: 'drop-caches', level: 1 }, roots, {
        writeFile: () => Promise.reject(errno(code)),
      });
      expect(outcome).toEqual({
        ok: false,
        path: join(roots.procRoot, 'sys/vm/drop_caches'),
        value: '1',
        code,
        explanation: 'needs root: run fragtop as root (sudo fragtop)',
      });
    }
  });

  it('maps a read-only /proc/sys to advice about containers', async () => {
    const outcome = await runRemediation({ kind: 'compact' }, roots, {
      writeFile: () => Promise.reject(errno('EROFS')),
    });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'EROFS',
      explanation:
        '/proc/sys is read-only here (a container without privileges?): run on the node itself or in a privileged debug pod',
    });
  });

  it('passes other errors through with their message', async () => {
    const outcome = await runRemediation({ kind: 'compact' }, roots, {
      writeFile: () => Promise.reject(errno('EINVAL')),
    });
    expect(outcome).toMatchObject({ ok: false, code: 'EINVAL', explanation: 'EINVAL: simulated' });
  });

  it('refuses an impossible action without writing', async () => {
    const outcome = await runRemediation({ kind: 'compact', node: -2 }, roots);
    expect(outcome).toMatchObject({ ok: false, code: 'INVALID' });
    expect(tree(dir)).toEqual(EMPTY_TREE);
  });

  it('runs one action at a time: a second call while one runs is BUSY and writes nothing', async () => {
    let release!: () => void;
    const writes: string[] = [];
    const slowWrite = (path: string, value: string): Promise<void> => {
      writes.push(`${path}=${value}`);
      return new Promise((resolve) => (release = resolve));
    };
    const first = runRemediation({ kind: 'compact' }, roots, { writeFile: slowWrite });
    const second = await runRemediation({ kind: 'drop-caches', level: 3 }, roots, { writeFile: slowWrite });
    expect(second).toEqual({
      ok: false,
      path: join(roots.procRoot, 'sys/vm/drop_caches'),
      value: '3',
      code: 'BUSY',
      explanation: 'another action is running',
    });
    expect(writes).toEqual([`${join(roots.procRoot, 'sys/vm/compact_memory')}=1`]);
    release();
    expect(await first).toMatchObject({ ok: true });
    // Free again once the first finished, also after a failure.
    expect(
      await runRemediation({ kind: 'compact' }, roots, { writeFile: () => Promise.reject(errno('EIO')) }),
    ).toMatchObject({ ok: false, code: 'EIO' });
    expect(await runRemediation({ kind: 'drop-caches', level: 2 }, roots)).toMatchObject({ ok: true });
  });

  it.skipIf(isRoot)('is refused by the kernel for a non-root user (real chmod 0444)', async () => {
    const path = join(roots.procRoot, 'sys/vm/compact_memory');
    chmodSync(path, 0o444);
    const outcome = await runRemediation({ kind: 'compact' }, roots);
    expect(outcome).toMatchObject({
      ok: false,
      code: 'EACCES',
      explanation: 'needs root: run fragtop as root (sudo fragtop)',
    });
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});

describe('on this machine', () => {
  const liveWritable = isRoot && existsSync('/proc/sys/vm/compact_memory') && existsSync('/proc/vmstat');
  const reason = isRoot
    ? 'no /proc/sys/vm/compact_memory here'
    : 'needs root to write /proc/sys/vm/compact_memory';

  const vmstat = (): Record<string, number> =>
    Object.fromEntries(
      readFileSync('/proc/vmstat', 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .map(([name, value]) => [name, Number(value)]),
    );

  it.skipIf(!liveWritable)(
    `really compacts this machine${liveWritable ? '' : ` (skipped: ${reason})`}`,
    async () => {
      const before = vmstat();
      const buddyBefore = readFileSync('/proc/buddyinfo', 'utf8');
      const outcome = await runRemediation({ kind: 'compact' }, { procRoot: '/proc', sysRoot: '/sys' });
      expect(outcome).toMatchObject({ ok: true, path: '/proc/sys/vm/compact_memory', value: '1' });
      const after = vmstat();
      // compact_nodes() scans every zone from both ends, so the scanners' counters move unless memory is empty.
      const scannedBefore = (before['compact_migrate_scanned'] ?? 0) + (before['compact_free_scanned'] ?? 0);
      const scannedAfter = (after['compact_migrate_scanned'] ?? 0) + (after['compact_free_scanned'] ?? 0);
      const buddyChanged = readFileSync('/proc/buddyinfo', 'utf8') !== buddyBefore;
      expect(scannedAfter > scannedBefore || buddyChanged).toBe(true);
    },
  );
});
