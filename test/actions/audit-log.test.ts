// Tests the remediation audit log: its default path, one JSON line per action, and the kernel-log line.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAudit,
  defaultAuditLogPath,
  kernelLogLine,
  type AuditEntry,
} from '../../src/actions/audit-log.js';
import { ordinaryUserScript, sharedTempDir } from '../helpers/as-user.js';
import { REPO_ROOT } from '../helpers/frames.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fragtop-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY: AuditEntry = {
  action: 'compact',
  path: '/proc/sys/vm/compact_memory',
  value: '1',
  result: 'ok',
  source: 'guard',
  writeMs: 812.5,
  before: 'order ≥6 blocks 12 (below 100)',
  after: 'order ≥6 blocks 12 → 1,480 (+1,468); free 1.2G → 1.2G; compact_success +3',
};
const USER = { uid: 0, name: 'root', sudoUser: 'alice' };
const NOW = Date.UTC(2026, 10, 27, 22, 49, 24);

describe('defaultAuditLogPath', () => {
  it('uses $XDG_STATE_HOME when it is absolute', () => {
    expect(defaultAuditLogPath({ XDG_STATE_HOME: '/var/lib/me', HOME: '/home/me' })).toBe(
      '/var/lib/me/fragtop/audit.log',
    );
  });

  it('falls back to ~/.local/state, ignoring a relative XDG_STATE_HOME', () => {
    expect(defaultAuditLogPath({ HOME: '/home/me' })).toBe('/home/me/.local/state/fragtop/audit.log');
    expect(defaultAuditLogPath({ XDG_STATE_HOME: 'state', HOME: '/home/me' })).toBe(
      '/home/me/.local/state/fragtop/audit.log',
    );
    expect(defaultAuditLogPath({})).toBe(join(homedir(), '.local/state/fragtop/audit.log'));
  });
});

describe('appendAudit', () => {
  it('appends one JSON line per action to --audit-log, creating its directory', async () => {
    const path = join(dir, 'deep/er/audit.log');
    const first = await appendAudit(ENTRY, { path, now: () => NOW, kmsgPath: null, user: USER });
    expect(first).toEqual({ path, error: null, kernelLog: false });
    const failed: AuditEntry = {
      action: 'drop-caches=3',
      path: '/proc/sys/vm/drop_caches',
      value: '3',
      result: 'failed',
      code: 'EACCES',
      explanation: 'needs root: run fragtop as root (sudo fragtop)',
    };
    await appendAudit(failed, {
      path,
      now: () => NOW + 1000,
      kmsgPath: null,
      user: { uid: 1000, name: 'bob' },
    });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-27T22:49:24.000Z',
      user: { uid: 0, name: 'root', sudoUser: 'alice' },
      ...ENTRY,
    });
    expect(JSON.parse(lines[1]!)).toEqual({
      time: '2026-11-27T22:49:25.000Z',
      user: { uid: 1000, name: 'bob' },
      ...failed,
    });
    // The log says who did what to the kernel: not for everyone to read.
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('defaults to $XDG_STATE_HOME/fragtop/audit.log and names the current user', async () => {
    const result = await appendAudit(ENTRY, { env: { XDG_STATE_HOME: dir }, now: () => NOW, kmsgPath: null });
    expect(result).toEqual({ path: join(dir, 'fragtop/audit.log'), error: null, kernelLog: false });
    const record = JSON.parse(readFileSync(result.path, 'utf8'));
    expect(record.user.uid).toBe(process.getuid?.());
    expect(typeof record.user.name).toBe('string');
  });

  it('returns an audit-file failure as an error string instead of throwing', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const path = join(blocker, 'audit.log');
    const result = await appendAudit(ENTRY, { path, now: () => NOW, kmsgPath: null, user: USER });
    expect(result.path).toBe(path);
    expect(result.kernelLog).toBe(false);
    expect(result.error).toMatch(new RegExp(`^cannot write the audit log ${path}: .*(EEXIST|ENOTDIR)`));
  });

  it('also writes a <5> line to the kernel log device when it can', async () => {
    const kmsgPath = join(dir, 'kmsg');
    writeFileSync(kmsgPath, '');
    const result = await appendAudit(ENTRY, {
      path: join(dir, 'a.log'),
      now: () => NOW,
      kmsgPath,
      user: USER,
    });
    expect(result).toEqual({ path: join(dir, 'a.log'), error: null, kernelLog: true });
    expect(readFileSync(kmsgPath, 'utf8')).toBe(
      '<5>fragtop: compact: wrote 1 to /proc/sys/vm/compact_memory: ok; ' +
        'order >=6 blocks 12 -> 1,480 (+1,468); free 1.2G -> 1.2G; compact_success +3\n',
    );
  });

  it('is silent when the kernel log cannot be written, and still writes the file', async () => {
    const result = await appendAudit(ENTRY, {
      path: join(dir, 'a.log'),
      now: () => NOW,
      kmsgPath: join(dir, 'no/such/kmsg'),
      user: USER,
    });
    expect(result).toEqual({ path: join(dir, 'a.log'), error: null, kernelLog: false });
    expect(readFileSync(join(dir, 'a.log'), 'utf8').split('\n')).toHaveLength(2);
  });
});

describe('kernelLogLine', () => {
  it('keeps a failure to one printable ASCII line', () => {
    expect(
      kernelLogLine({
        action: 'drop-caches=1',
        path: '/proc/sys/vm/drop_caches',
        value: '1',
        result: 'failed',
        code: 'EROFS',
        after: 'line\nbreak\tand é',
      }),
    ).toBe(
      '<5>fragtop: drop-caches=1: wrote 1 to /proc/sys/vm/drop_caches: failed EROFS; line break and  \n',
    );
  });

  it('stays within one kernel log record', () => {
    const line = kernelLogLine({ ...ENTRY, after: 'x'.repeat(5000) });
    expect(line.length).toBe(3 + 900 + 1);
  });
});

/** The promise's value, or a failure naming the wait: a hang must fail the test, not time it out silently. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const IMMUTABLE_WHY =
  process.getuid?.() === 0 && spawnSync('chattr', ['--help']).error === undefined
    ? ''
    : ' (skipped: needs root and chattr for an immutable file)';

describe('appendAudit under faults', () => {
  const options = { now: () => NOW, kmsgPath: null, user: USER };

  it('fails at once under /proc, where mkdir answers ENOENT (recursive mkdir spun for ever there)', async () => {
    const path = `/proc/fragtop-audit-${process.pid}/deeper/audit.log`;
    const result = await within(appendAudit(ENTRY, { ...options, path }), 2000);
    expect(result.error).toMatch(new RegExp(`^cannot write the audit log ${path}: ENOENT`));
  });

  it('refuses a FIFO nobody reads instead of blocking on it (ENXIO)', async () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    try {
      const result = await within(appendAudit(ENTRY, { ...options, path }), 2000);
      expect(result.error).toMatch(/ENXIO/);
    } finally {
      // Releases a writer still blocked in open() (as before the fix), so the worker can exit.
      closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    }
  });

  it('refuses a FIFO that has a reader (a write could block or fail EAGAIN)', async () => {
    const path = join(dir, 'fifo-read');
    execFileSync('mkfifo', [path]);
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const result = await within(appendAudit(ENTRY, { ...options, path }), 2000);
      expect(result.error).toBe(`cannot write the audit log ${path}: ${path} is not a regular file`);
    } finally {
      closeSync(reader);
    }
  });

  it('refuses a device (/dev/full) and a directory (EISDIR)', async () => {
    const device = await appendAudit(ENTRY, { ...options, path: '/dev/full' });
    expect(device.error).toBe('cannot write the audit log /dev/full: /dev/full is not a regular file');
    const directory = await appendAudit(ENTRY, { ...options, path: dir });
    expect(directory.error).toMatch(/EISDIR/);
  });

  it(`reports an immutable file (EPERM, even for root)${IMMUTABLE_WHY}`, async (context) => {
    if (IMMUTABLE_WHY) context.skip();
    const path = join(dir, 'immutable.log');
    writeFileSync(path, '');
    execFileSync('chattr', ['+i', path]);
    try {
      const result = await appendAudit(ENTRY, { ...options, path });
      expect(result.error).toMatch(/EPERM/);
    } finally {
      execFileSync('chattr', ['-i', path]);
    }
  });

  it('reports a directory an ordinary user cannot write (EACCES)', async () => {
    const shared = sharedTempDir('fragtop-audit-user-');
    try {
      const locked = join(shared, 'locked');
      // No write bit for anyone: the ordinary user is nobody under root, or the owner itself otherwise.
      mkdirSync(locked, { mode: 0o555 });
      const run = await ordinaryUserScript(
        shared,
        'audit',
        `import { appendAudit } from './src/actions/audit-log.ts';
         const result = await appendAudit({ action: 'compact', path: 'p', value: '1', result: 'ok' },
           { path: process.argv[2], kmsgPath: null });
         console.log(JSON.stringify(result));`.replace("'./src", `'${REPO_ROOT}src`),
      );
      const { status, answer } = run([join(locked, 'sub/audit.log')]);
      expect(status).toBe(0);
      expect((answer as { error: string }).error).toMatch(/EACCES/);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('keeps every line whole when appends overlap', async () => {
    const path = join(dir, 'busy.log');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendAudit({ ...ENTRY, value: String(i) }, { ...options, path })),
    );
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((line) => Number(JSON.parse(line).value)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });
});
