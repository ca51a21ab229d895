// Tests the built fragtop when the kernel log cannot be read (kernel.dmesg_restrict, no CAP_SYSLOG): snapshot text,
// JSON and check say "unknown", never "none"; and that an impossible order in a log is a problem line, not a crash.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const isRoot = process.getuid?.() === 0;
const restricted = (() => {
  try {
    return readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() === '1';
  } catch {
    return false;
  }
})();
const hasRunuser = isRoot && spawnSync('runuser', ['--help']).status === 0;
/** Root runs the binary as nobody; a normal user runs it as itself. */
const unprivileged = (args: string[]) =>
  isRoot ? ['runuser', ['-u', 'nobody', '--', 'node', BIN, ...args]] : ['node', [BIN, ...args]];
const skip = !HAS_BUILD
  ? ' (skipped: run npm run build first)'
  : !restricted
    ? ' (skipped: kernel.dmesg_restrict is 0, anyone may read the kernel log here)'
    : isRoot && !hasRunuser
      ? ' (skipped: no runuser to drop root)'
      : '';

function run(args: string[]) {
  const [command, argv] = unprivileged(args) as [string, string[]];
  const result = spawnSync(command, argv, { cwd: tmpdir(), encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a kernel log that cannot be read (item 1)', () => {
  it.skipIf(skip !== '')(`says "unknown" in snapshot JSON and text, never "none"${skip}`, () => {
    const json = run(['snapshot', '--json']);
    expect(json.status).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data.kernelLog.state).toBe('unreadable');
    expect(data.kernelLog.reason).toMatch(/EPERM/);
    expect(data.failureCount).toBeNull();
    expect(data.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(
      /cannot open \/dev\/kmsg: EPERM/,
    );

    const text = run(['snapshot']);
    expect(text.stdout).toContain('Allocation failures (unknown: the kernel log was not read)');
    expect(text.stdout).not.toContain('Allocation failures (0)');
  });

  it.skipIf(skip !== '')(`puts the problem on check's line${skip}`, () => {
    const check = run(['check', '--order', '0']);
    // The 80-byte line says so in a word; the details on stderr say why.
    expect(check.stdout).toMatch(/^order0 OK: \d+ blocks \(want 1\).*, kmsg unread\n$/);
    expect(check.stderr).toMatch(/kernel log not read \(cannot open \/dev\/kmsg: EPERM/);
    expect(check.stderr).toMatch(/allocation failures unknown/);
  });
});

describe('impossible orders in a kernel log (item 12)', () => {
  it.skipIf(!HAS_BUILD)('reports order:1073741824 as a problem line in every kmsg mode, no crash', () => {
    const log = join(tmpdir(), `fragtop-huge-order-${process.pid}.txt`);
    writeFileSync(log, '[ 1.0] x: page allocation failure: order:1073741824, mode:0xd0\n');
    const proc = fixturePath('centos7-numa-k8s', 'proc');
    for (const args of [
      ['snapshot', '--json', '--proc-root', proc, '--kmsg', log],
      ['snapshot', '--proc-root', proc, '--kmsg', log],
    ]) {
      const result = spawnSync('node', [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("order 1073741824 is larger than any kernel's (at most 20)");
    }
  });
});
