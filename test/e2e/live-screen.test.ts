// Tests the built fragtop in a real terminal (tmux): the live screen, a report written into the kernel log, replay and demo.
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, exitStatus, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()?.kill();
});

const canRun = HAS_TMUX && HAS_BUILD;
const why = !HAS_TMUX
  ? ' (skipped: tmux is not installed)'
  : !HAS_BUILD
    ? ' (skipped: run npm run build first)'
    : '';

function start(args: string, size?: { columns: number; rows: number }, cwd?: string): TmuxSession {
  const session = new TmuxSession(`node ${BIN} ${args}`, size, cwd);
  sessions.push(session);
  return session;
}

describe('fragtop in a real terminal', () => {
  it.skipIf(!canRun)(
    `shows a fixture's zones at 100x30, sorts on s, and q leaves the alternate screen${why}`,
    async () => {
      const session = start(
        '--proc-root fixtures/centos7-numa-k8s/proc --kmsg fixtures/centos7-numa-k8s/dmesg.txt',
      );
      const screen = await session.waitFor(
        (s) => s.includes('Free blocks by order') && s.includes('1 Normal'),
      );
      expect(session.alternateOn()).toBe(true);
      expect(screen).toContain('3.10.0-1160.49.1.el7.x86_64');
      expect(screen).toContain('target order 6 (256K)');
      expect(screen.split('\n').filter((line) => line.trim()).length).toBeLessThanOrEqual(29);
      session.send('s');
      await session.waitFor((s) => s.includes('Slab caches by object size'));
      session.send('q');
      const after = await session.waitFor((s) => exitStatus(s) !== null);
      expect(exitStatus(after)).toBe(0);
      expect(session.alternateOn()).toBe(false);
      expect(after).not.toContain('Free blocks by order');
    },
  );

  it.skipIf(!canRun)(`shows this machine's live zones, updating every second${why}`, async () => {
    const zones = readFileSync('/proc/buddyinfo', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/\s+/)[3]!);
    const session = start('--interval 500ms');
    await session.waitFor((s) => zones.every((zone) => s.includes(` ${zone}`)));
    const clock = (s: string) => /(\d\d:\d\d:\d\d)\s*$/m.exec(s.split('\n')[0] ?? '')?.[1];
    const first = clock(session.screen());
    expect(first).toBeDefined();
    await session.waitFor((s) => clock(s) !== first, 5000);
    session.send('C-c');
    const after = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(after)).toBe(0);
    expect(session.alternateOn()).toBe(false);
  });

  it.skipIf(!canRun).each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGQUIT', 131],
  ] as const)(`restores the terminal on %s${why}`, async (signal, code) => {
    const session = start('--proc-root fixtures/live-6.18/proc');
    await session.waitFor((s) => s.includes('Free blocks by order'));
    const pid = session.tmux('display-message', '-p', '-t', session.name, '#{pane_pid}').trim();
    // The pane runs sh, whose child is node: signal the child.
    const child = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]!;
    process.kill(Number(child), signal);
    const after = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(after)).toBe(code);
    expect(session.alternateOn()).toBe(false);
  });
});

/** Whether this process may write into the kernel log (root, and /dev/kmsg present). */
function canWriteKmsg(): boolean {
  try {
    accessSync('/dev/kmsg', constants.W_OK | constants.R_OK);
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

describe('a report written into the live kernel log', () => {
  const kmsgWhy = canWriteKmsg() ? why : ' (skipped: needs root and a writable /dev/kmsg)';
  it.skipIf(!canRun || !canWriteKmsg())(`appears on the running screen within 2 s${kmsgWhy}`, async () => {
    const session = start('');
    await session.waitFor((s) => s.includes('Allocation failures'));
    const name = `ftest${process.pid % 100000}`;
    const started = Date.now();
    // One write() per record, as the kernel's own printk would produce them.
    for (const line of [
      `<4>${name}: page allocation failure: order:4, mode:0xcc0(GFP_KERNEL), nodemask=(null)`,
      `<4>CPU: 1 PID: 4242 Comm: ${name} Not tainted 6.18.44 #1`,
      '<4>Call Trace:',
      '<4> dump_stack_lvl+0x4a/0x70',
      '<4> warn_alloc+0x130/0x1b0',
      '<4> __alloc_pages_slowpath.constprop.0+0x9f0/0xbe0',
    ])
      writeFileSync('/dev/kmsg', `${line}\n`);
    const screen = await session.waitFor((s) => s.includes(`${name}[4242] order 4 (64K)`), 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(screen).toContain('GFP_KERNEL');
    session.send('q');
    await session.waitFor((s) => exitStatus(s) !== null);
  });
});

describe('fragtop replay in a real terminal', () => {
  it.skipIf(!canRun)(`seeks with G, ← and g, and q leaves the alternate screen${why}`, async () => {
    const session = start('replay fixtures/recordings/idle.ftr');
    const first = await session.waitFor((s) => /frame 1\/\d+/.test(s));
    const count = Number(/frame 1\/(\d+)/.exec(first)?.[1]);
    expect(session.alternateOn()).toBe(true);
    session.send('G');
    await session.waitFor((s) => s.includes(`frame ${count}/${count}`));
    session.send('Left');
    await session.waitFor((s) => s.includes(`frame ${count - 1}/${count}`));
    session.send('g');
    await session.waitFor((s) => s.includes(`frame 1/${count}`));
    session.send('q');
    const after = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(after)).toBe(0);
    expect(session.alternateOn()).toBe(false);
  });

  it.skipIf(!canRun)(`demo plays the bundled incident until the order-6 failure arrives${why}`, async () => {
    // From another directory: the bundled recording is found from the program, not the working directory.
    const session = start('demo', { columns: 120, rows: 40 }, tmpdir());
    await session.waitFor((s) => s.includes('demo: a CentOS 7 Kubernetes node'));
    session.send('G');
    const end = await session.waitFor(
      (s) => /order 6 \(256K\)/.test(s) && s.includes('Allocation failures · 1 reports'),
    );
    expect(end).toContain('ORDER 6 FRAGMENTATION');
    expect(end).toContain('target order 6');
    session.send('q');
    expect(exitStatus(await session.waitFor((s) => exitStatus(s) !== null))).toBe(0);
  });
});
