// Tests the remediation audit log: its default path, one JSON line per action, and the kernel-log line.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAudit,
  defaultAuditLogPath,
  kernelLogLine,
  type AuditEntry,
} from '../../src/actions/audit-log.js';

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
