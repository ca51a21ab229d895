// Tests the kernel-log source: a file read once, live /dev/kmsg, and the journalctl fallback.
import { describe, it, expect, afterEach } from 'vitest';
import {
  chmodSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKernelLog, type KernelLog } from '../../src/sources/kernel-log-source.js';
import { parseLogLine } from '../../src/parse/kernel-log-line.js';

const opened: KernelLog[] = [];
const tempDirs: string[] = [];

afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(opts: Parameters<typeof openKernelLog>[0]): Promise<KernelLog> {
  const log = await openKernelLog(opts);
  opened.push(log);
  return log;
}

function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Handles a kernel log could leave keeping the event loop alive (the runner's own timers come and go). */
function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((type) => /Process|Pipe|FSEvent|Signal|TTY/.test(type));
}

async function poll<T>(read: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function kmsgOpenable(): string | null {
  try {
    closeSync(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK));
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

const kmsgError = kmsgOpenable();
const canWriteKmsg = (() => {
  try {
    closeSync(openSync('/dev/kmsg', constants.O_WRONLY));
    return true;
  } catch {
    return false;
  }
})();

describe('openKernelLog: file mode', () => {
  it('reads a whole file once', async () => {
    const path = fileURLToPath(new URL('../../fixtures/kmsg/kmsg.txt', import.meta.url));
    const expected = readFileSync(path, 'utf8').split('\n').slice(0, -1);
    const log = await open({ file: path });
    expect(log.status).toMatchObject({
      mode: 'file',
      message: `read ${expected.length} lines from ${path}`,
      state: 'read',
      reason: null,
    });
    expect(log.drain()).toEqual(expected);
    expect(log.drain()).toEqual([]);
  });

  it('says why when the file cannot be read', async () => {
    const log = await open({ file: '/nonexistent/dmesg.txt' });
    expect(log.status).toEqual({
      mode: 'none',
      message: 'cannot read the kernel log from /nonexistent/dmesg.txt: no such file',
      state: 'unreadable',
      reason: 'cannot read the kernel log from /nonexistent/dmesg.txt: no such file',
    });
    expect(log.drain()).toEqual([]);
  });
});

describe('openKernelLog: live /dev/kmsg', () => {
  it.skipIf(kmsgError !== null)(
    `reads the ring buffer, then new records, without leaking or holding the loop${
      kmsgError === null ? '' : ` (skipped: cannot open /dev/kmsg: ${kmsgError})`
    }`,
    async () => {
      const fdsBefore = openFdCount();
      const handlesBefore = liveHandles();
      const log = await openKernelLog({});
      expect(log.status).toEqual({
        mode: 'kmsg',
        message: 'following /dev/kmsg',
        state: 'read',
        reason: null,
      });
      // Reading is synchronous on drain: an open log adds no handle that would keep the process running.
      expect(liveHandles()).toEqual(handlesBefore);

      const initial = log.drain();
      expect(initial.length).toBeGreaterThan(0);
      for (const line of initial) expect(parseLogLine(line).format).toBe('kmsg');
      expect(initial.some((line) => parseLogLine(line).seq !== undefined && parseLogLine(line).kernel)).toBe(
        true,
      );

      log.close();
      log.close();
      expect(openFdCount()).toBe(fdsBefore);
      expect(log.drain()).toEqual([]);
    },
  );

  it.skipIf(kmsgError !== null || !canWriteKmsg)(
    `sees a line written into /dev/kmsg within 2 s${
      kmsgError === null && canWriteKmsg ? '' : ' (skipped: /dev/kmsg is not both readable and writable here)'
    }`,
    async () => {
      const log = await open({});
      log.drain();
      const marker = `fragtop-test-${process.pid}-${Date.now()}`;
      writeFileSync('/dev/kmsg', `${marker}\n`);
      const seen: string[] = [];
      const line = await poll(() => {
        seen.push(...log.drain());
        return seen.find((l) => l.includes(marker));
      }, 2000);
      expect(line).toBeDefined();
      const parsed = parseLogLine(line ?? '');
      // Written from user space: the kernel tags it LOG_USER (priority 12 = user.warning), which is read
      // with the kernel's lines so that reports written into /dev/kmsg count.
      expect(parsed).toMatchObject({ format: 'kmsg', message: marker, kernel: true, level: 4 });
      expect(line).toMatch(/^12,/);
    },
  );
});

describe('openKernelLog: fallbacks', () => {
  it('reports no log when neither /dev/kmsg nor journalctl can be used', async () => {
    const log = await open({ kmsgPath: '/nonexistent/kmsg', journalctlPath: '/nonexistent/journalctl' });
    expect(log.status).toEqual({
      mode: 'none',
      message:
        'no kernel log: cannot open /nonexistent/kmsg: ENOENT, the device does not exist here; /nonexistent/journalctl cannot be run',
      state: 'unreadable',
      reason:
        'no kernel log: cannot open /nonexistent/kmsg: ENOENT, the device does not exist here; /nonexistent/journalctl cannot be run',
    });
    expect(log.drain()).toEqual([]);
  });

  it('follows journalctl -k when /dev/kmsg cannot be opened, and stops it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-journal-'));
    tempDirs.push(dir);
    const script = join(dir, 'journalctl');
    const pidFile = join(dir, 'pid');
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        `echo $$ > ${pidFile}`,
        'echo "[ 5283417.114532] node1 kernel: args $*"',
        'echo "[ 5283417.114539] node1 kernel: exe: page allocation failure: order:6, mode:0x10c0d0"',
        'exec sleep 30',
      ].join('\n'),
    );
    chmodSync(script, 0o755);

    const handlesBefore = liveHandles();
    const log = await openKernelLog({ kmsgPath: '/nonexistent/kmsg', journalctlPath: script });
    expect(log.status).toMatchObject({
      mode: 'journal',
      message:
        'following journalctl -k (cannot open /nonexistent/kmsg: ENOENT, the device does not exist here)',
    });
    // The child and its pipes are unreferenced: they do not keep the process alive.
    expect(liveHandles()).toEqual(handlesBefore);

    const seen: string[] = [];
    await poll(() => {
      seen.push(...log.drain());
      return seen.length >= 2 ? true : undefined;
    }, 2000);
    expect(seen).toEqual([
      '[ 5283417.114532] node1 kernel: args -k -o short-monotonic --no-pager -f -n 1000',
      '[ 5283417.114539] node1 kernel: exe: page allocation failure: order:6, mode:0x10c0d0',
    ]);

    const pid = Number(readFileSync(pidFile, 'utf8'));
    log.close();
    const gone = await poll(() => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 2000);
    expect(gone).toBe(true);
    expect(liveHandles()).toEqual(handlesBefore);
  });
});
