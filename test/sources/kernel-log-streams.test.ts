// Tests the kernel-log source on devices, FIFOs and terminals (no hang, bounded, said on stderr) and that a journal
// showing no kernel message counts as unreadable, never as "no failures".
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openKernelLog, probeKernelLog, type KernelLog } from '../../src/sources/kernel-log-source.js';

const opened: KernelLog[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(opts: Parameters<typeof openKernelLog>[0]): Promise<KernelLog> {
  const log = await openKernelLog(opts);
  opened.push(log);
  return log;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fragtop-kmsg-'));
  dirs.push(dir);
  return dir;
}

const kmsgError = (() => {
  try {
    closeSync(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK));
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
})();
const HAS_MKFIFO = spawnSync('mkfifo', ['--version']).status === 0;

describe('--kmsg on devices (item 6)', () => {
  it.skipIf(kmsgError !== null)(
    `reads --kmsg /dev/kmsg as the device it is, without waiting for an end${kmsgError ? ` (skipped: ${kmsgError})` : ''}`,
    async () => {
      const log = await open({ file: '/dev/kmsg', follow: false });
      expect(log.status).toMatchObject({ mode: 'kmsg', state: 'read' });
      expect(log.drain().length).toBeGreaterThan(0);
    },
  );

  it.skipIf(kmsgError === null)(
    `says why --kmsg /dev/kmsg cannot be read without CAP_SYSLOG${kmsgError === null ? ' (skipped: /dev/kmsg is readable here)' : ''}`,
    async () => {
      const log = await open({ file: '/dev/kmsg', follow: false });
      expect(log.status.state).toBe('unreadable');
      expect(log.status.message).toContain(kmsgError ?? '');
    },
  );

  it('refuses a character device that is not /dev/kmsg (which would never end)', async () => {
    const log = await open({ file: '/dev/zero', follow: false });
    expect(log.status).toMatchObject({
      mode: 'none',
      state: 'unreadable',
      message: 'cannot read the kernel log from /dev/zero: a character device that is not /dev/kmsg',
    });
  });

  it('refuses a directory', async () => {
    const log = await open({ file: tmpdir(), follow: false });
    expect(log.status.message).toBe(`cannot read the kernel log from ${tmpdir()}: it is a directory`);
  });
});

describe('--kmsg on FIFOs and stdin (item 6)', () => {
  it.skipIf(!HAS_MKFIFO)('reads a FIFO until its writer closes it', async () => {
    const fifo = join(tempDir(), 'log.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `sleep 0.2; printf 'a\\nb\\n' > ${fifo}`]);
    const log = await open({ file: fifo, follow: false });
    expect(log.drain()).toEqual(['a', 'b']);
    expect(log.status).toMatchObject({ state: 'read', message: `read 2 lines from ${fifo}` });
    writer.kill();
  });

  it.skipIf(!HAS_MKFIFO)('follows a FIFO without waiting for its end', async () => {
    const fifo = join(tempDir(), 'log.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `exec 3>${fifo}; printf 'first\\n' >&3; sleep 5`]);
    const log = await open({ file: fifo, follow: true });
    const deadline = Date.now() + 5000;
    let seen: string[] = [];
    while (seen.length === 0 && Date.now() < deadline) {
      seen = log.drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toEqual(['first']);
    writer.kill();
  });

  it('says on stderr that it reads a terminal on stdin, and refuses it when the screen needs its keys', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    const notices: string[] = [];
    const reading = open({ file: '-', follow: false, stdin: terminal, notice: (m) => notices.push(m) });
    terminal.end('[ 1.0] line\n');
    const log = await reading;
    expect(notices).toEqual([
      'reading the kernel log from the terminal (stdin): paste it, then press Ctrl-D',
    ]);
    expect(log.drain()).toEqual(['[ 1.0] line']);

    const live = await open({
      file: '-',
      follow: true,
      stdin: Object.assign(new PassThrough(), { isTTY: true }),
    });
    expect(live.status.state).toBe('unreadable');
    expect(live.status.message).toMatch(/stdin: it is the terminal/);
  });

  it('keeps at most the last MAX_LOG_BYTES of a stream and says what it dropped', async () => {
    const pipe = new PassThrough();
    const reading = open({ file: '-', follow: false, stdin: pipe });
    // 70 MiB in 1 MiB lines: the first ones go.
    const line = `${'x'.repeat(1024 * 1024 - 1)}\n`;
    for (let i = 0; i < 70; i++) pipe.write(line);
    pipe.end();
    const log = await reading;
    const lines = log.drain();
    expect(lines.length).toBe(64);
    expect(log.status.reason).toBe('stdin gave more than 64 MiB: its first 6 MiB were not read');
  });
});

describe('an unreadable kernel log is not an empty one (item 1)', () => {
  it('counts journalctl showing no kernel message as unreadable, with its reason', async () => {
    const dir = tempDir();
    const script = join(dir, 'journalctl');
    writeFileSync(script, '#!/bin/sh\necho "-- No entries --"\necho "No journal files were found." >&2\n');
    chmodSync(script, 0o755);
    const log = await open({ kmsgPath: '/nonexistent/kmsg', journalctlPath: script, follow: false });
    expect(log.drain()).toEqual([]);
    expect(log.status.state).toBe('unreadable');
    expect(log.status.reason).toMatch(/cannot open \/nonexistent\/kmsg: ENOENT/);
  });

  it('counts journalctl showing kernel messages as read', async () => {
    const dir = tempDir();
    const script = join(dir, 'journalctl');
    writeFileSync(script, '#!/bin/sh\necho "[    1.000000] node1 kernel: Linux version 6.1.0"\n');
    chmodSync(script, 0o755);
    const log = await open({ kmsgPath: '/nonexistent/kmsg', journalctlPath: script, follow: false });
    expect(log.drain()).toEqual(['[    1.000000] node1 kernel: Linux version 6.1.0']);
    expect(log.status).toMatchObject({ mode: 'journal', state: 'read' });
  });

  it('probes /dev/kmsg without reading it', () => {
    expect(probeKernelLog('/nonexistent/kmsg')).toEqual({
      state: 'unreadable',
      reason: 'cannot open /nonexistent/kmsg: ENOENT, the device does not exist here',
    });
    expect(probeKernelLog('/dev/kmsg').state).toBe(kmsgError === null ? 'read' : 'unreadable');
  });
});
