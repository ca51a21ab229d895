// Tests that guard, which runs for days, starts without the JIT and V8's helper threads (less memory and CPU), that
// signals still reach the process doing the work, and that metrics and check keep the JIT and one process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const why = HAS_BUILD ? '' : ' (skipped: run npm run build first)';
const PROC = fixturePath('live-6.18', 'proc');

/** The command lines of a process and its children, as the kernel has them. */
function commandLines(pid: number): string[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return [pid, ...children.map(Number)].map((each) =>
    readFileSync(`/proc/${each}/cmdline`, 'utf8').split('\0').join(' '),
  );
}

async function until<T>(probe: () => T | null, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!HAS_BUILD)(`headless modes${why}`, () => {
  it('guard runs without the JIT and stops cleanly on SIGTERM sent to the command', async () => {
    const args = ['guard', '--order', '3', '--min-blocks', '1', '--dry-run', '--proc-root', PROC];
    const child = spawn('node', [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Ready once it has said so: a signal before then ends a process that has no handler yet.
    await until(() => (stdout.includes('"event":"start"') ? true : null));
    const lines = commandLines(child.pid!);
    expect(lines.find((line) => line.includes('--jitless'))).toContain('--single-threaded');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('"event":"stop","reason":"SIGTERM"');
    // No warning about flags on stderr.
    expect(stderr).not.toMatch(/Warning/);
  });

  it.each([
    ['check', ['check', '--order', '3', '--proc-root', PROC]],
    ['metrics', ['metrics', '--textfile', '/dev/null', '--interval', '100ms', '--proc-root', PROC]],
  ])('%s keeps one process and the JIT', async (name, args) => {
    const child = spawn('node', [BIN, ...args], { cwd: REPO_ROOT });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    const seen = commandLines(child.pid!);
    expect(seen).toHaveLength(1);
    expect(seen.join('\n')).not.toContain('--jitless');
    // check ends by itself; metrics runs until stopped.
    if (name === 'metrics') child.kill('SIGTERM');
    else expect(await exited).toBe(0);
    await exited;
  });
});
