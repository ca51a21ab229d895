// Tests the built fragtop when its output goes nowhere: a closed pipe on stdout or stderr, and a full device.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../src/sources/recording-reader.js';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const why = HAS_BUILD ? '' : ' (skipped: run npm run build first)';
const PROC = fixturePath('live-6.18', 'proc');
const dir = mkdtempSync(join(tmpdir(), 'fragtop-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves with the exit code (or the signal) once the child ends. */
function exited(child: ReturnType<typeof spawn>): Promise<number | string | null> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('writing to a closed pipe', () => {
  it.skipIf(!HAS_BUILD)(`guard | head -1 ends quietly with 141 once the reader is gone${why}`, async () => {
    const child = spawn(
      'node',
      [
        BIN,
        'guard',
        '--order',
        '6',
        '--min-blocks',
        '999999999',
        '--cooldown',
        '0',
        '--interval',
        '100ms',
        '--dry-run',
        '--proc-root',
        PROC,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const first = await new Promise<string>((resolve) =>
      child.stdout!.once('data', (chunk) => resolve(String(chunk))),
    );
    expect(first).toContain('"event":"start"');
    // What head -1 does after its line: close its end of the pipe.
    child.stdout!.destroy();
    const code = await Promise.race([exited(child), sleep(5000).then(() => 'still running')]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(141);
    expect(stderr).toBe('');
  });

  it.skipIf(!HAS_BUILD)(`snapshot | true ends quietly with 141${why}`, () => {
    // true has exited before node has started: the whole snapshot goes to a pipe nobody reads.
    const result = spawnSync(
      'bash',
      ['-c', `node ${BIN} snapshot --json --proc-root ${PROC} | true; echo "\${PIPESTATUS[0]}"`],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('141');
  });

  it.skipIf(!HAS_BUILD)(`record keeps recording when stderr is closed, and ends 0${why}`, async () => {
    const out = join(dir, 'stderr-closed.ftr');
    const child = spawn(
      'node',
      [BIN, 'record', '--out', out, '--interval', '100ms', '--duration', '1s', '--proc-root', PROC],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.destroy();
    expect(await exited(child)).toBe(0);
    const recording = await openRecording(out);
    expect(recording.frameCount).toBeGreaterThanOrEqual(9);
    expect(recording.warnings).toEqual([]);
    recording.close();
  });

  it.skipIf(!HAS_BUILD)(
    `metrics keeps running with stderr closed while it has errors to say${why}`,
    async () => {
      // The textfile's directory does not exist: every interval has a line for stderr.
      const child = spawn(
        'node',
        [
          BIN,
          'metrics',
          '--textfile',
          join(dir, 'no/such/dir/m.prom'),
          '--interval',
          '100ms',
          '--proc-root',
          PROC,
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr!.destroy();
      await sleep(1500);
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      // Writing the textfile failed, so the run failed.
      expect(await exited(child)).toBe(1);
    },
  );
});

describe('writing to a full device', () => {
  it.skipIf(!HAS_BUILD).each(['--json', '(text)'])(
    `snapshot %s > /dev/full exits 1 with one line on stderr${why}`,
    (mode) => {
      const flags = mode === '--json' ? ['--json'] : [];
      const full = openSync('/dev/full', 'w');
      try {
        const result = spawnSync('node', [BIN, 'snapshot', ...flags, '--proc-root', PROC], {
          cwd: REPO_ROOT,
          stdio: ['ignore', full, 'pipe'],
          encoding: 'utf8',
          timeout: 20_000,
        });
        expect(result.stderr).toBe('fragtop: cannot write to standard output: no space left on device\n');
        expect(result.status).toBe(1);
      } finally {
        closeSync(full);
      }
    },
  );
});
