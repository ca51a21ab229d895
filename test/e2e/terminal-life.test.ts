// Tests the built fragtop's hold on its terminal in tmux: Ctrl-Z and fg from a real shell, SIGTSTP/SIGCONT, a lost
// terminal, and a /proc file far larger than any real one.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/frames.js';
import { BIN, exitStatus, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()?.kill();
});
const dir = mkdtempSync(join(tmpdir(), 'fragtop-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const canRun = HAS_TMUX && HAS_BUILD;
const why = !HAS_TMUX
  ? ' (skipped: tmux is not installed)'
  : !HAS_BUILD
    ? ' (skipped: run npm run build first)'
    : '';
const PROC = fixturePath('live-6.18', 'proc');

function session(command: string, size?: { columns: number; rows: number }): TmuxSession {
  const created = new TmuxSession(command, size);
  sessions.push(created);
  return created;
}

/** The pid of the node process under the pane (the pane runs sh, possibly a shell under it, then node). */
function fragtopPid(pane: TmuxSession): number {
  const descendants = (pid: string): string[] => {
    const path = `/proc/${pid}/task/${pid}/children`;
    const children = existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
    return children.flatMap((child) => [child, ...descendants(child)]);
  };
  const root = pane.tmux('display-message', '-p', '-t', pane.name, '#{pane_pid}').trim();
  const node = descendants(root).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(BIN));
  if (node === undefined) throw new Error('no fragtop process under the pane');
  return Number(node);
}

/** The process state letter from /proc/PID/stat (R, S, T for stopped), or null once it is gone. */
function processState(pid: number): string | null {
  try {
    return /\) (\w)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('suspend and resume', () => {
  it.skipIf(!canRun)(
    `Ctrl-Z gives the shell its terminal back (typed lines reach the shell), fg redraws the screen${why}`,
    async () => {
      const pane = session('PS1="shell$ " bash --norc --noprofile -i');
      await pane.waitFor((s) => s.includes('shell$'));
      pane.send(`node ${BIN} --proc-root ${PROC}`, 'Enter');
      await pane.waitFor((s) => s.includes('Free blocks by order') && s.includes('Slab caches by'));
      const sorted = /Slab caches by [a-z ]+/.exec(pane.screen())?.[0];
      const pid = fragtopPid(pane);
      pane.send('C-z');
      await pane.waitFor((s) => /Stopped/.test(s));
      expect(pane.alternateOn()).toBe(false);
      expect(processState(pid)).toBe('T');
      // A line typed now belongs to the shell, not to fragtop's hotkeys.
      pane.send('echo typed-at-the-$((6*7))-shell', 'Enter');
      await pane.waitFor((s) => s.includes('typed-at-the-42-shell'));
      pane.send('fg', 'Enter');
      const back = await pane.waitFor(
        (s) => s.includes('Free blocks by order') && s.includes('Slab caches by'),
      );
      expect(pane.alternateOn()).toBe(true);
      // Ctrl-Z is not the z key (sort slab caches by size).
      expect(/Slab caches by [a-z ]+/.exec(back)?.[0]).toBe(sorted);
      pane.send('q');
      // The prompt again, alone on the last line (tmux drops the trailing space).
      await pane.waitFor((s) => !pane.alternateOn() && /^shell\$\s*$/m.test(s));
      pane.send('echo status-$?', 'Enter');
      await pane.waitFor((s) => s.includes('status-0'));
      expect(processState(pid)).toBeNull();
    },
  );

  it.skipIf(!canRun)(
    `SIGTSTP restores the terminal and stops; SIGCONT takes it back and redraws${why}`,
    async () => {
      const pane = session(`node ${BIN} --proc-root ${PROC}`);
      await pane.waitFor((s) => s.includes('Free blocks by order'));
      const pid = fragtopPid(pane);
      process.kill(pid, 'SIGTSTP');
      await waitUntil(() => processState(pid) === 'T');
      expect(pane.alternateOn()).toBe(false);
      process.kill(pid, 'SIGCONT');
      await pane.waitFor((s) => s.includes('Free blocks by order') && pane.alternateOn());
      pane.send('q');
      expect(exitStatus(await pane.waitFor((s) => exitStatus(s) !== null))).toBe(0);
      expect(pane.alternateOn()).toBe(false);
    },
  );
});

describe('a lost terminal and oversized input', () => {
  it.skipIf(!canRun)(
    `a 5 MB osrelease is refused with a note naming the file and the cap; the screen stays responsive${why}`,
    async () => {
      const root = join(dir, 'big-osrelease');
      cpSync(PROC, join(root, 'proc'), { recursive: true });
      writeFileSync(join(root, 'proc/sys/kernel/osrelease'), `6.1.0-${'x'.repeat(5_000_000)}\n`);
      const pane = session(`node ${BIN} --proc-root ${root}/proc`, { columns: 240, rows: 40 });
      const screen = await pane.waitFor(
        (s) => s.includes('Free blocks by order') && s.includes('osrelease is larger than 1 KiB'),
      );
      expect(screen).toContain(
        `${root}/proc/sys/kernel/osrelease is larger than 1 KiB, more than any real osrelease`,
      );
      expect(screen).toContain('unknown kernel');
      pane.send('q');
      expect(exitStatus(await pane.waitFor((s) => exitStatus(s) !== null))).toBe(0);
    },
  );

  it.skipIf(!canRun)(`ends when its terminal goes away (tmux killed)${why}`, async () => {
    const pane = session(`node ${BIN} --proc-root ${PROC}`);
    await pane.waitFor((s) => s.includes('Free blocks by order'));
    const pid = fragtopPid(pane);
    pane.kill();
    await waitUntil(() => processState(pid) === null, 5000);
  });
});
