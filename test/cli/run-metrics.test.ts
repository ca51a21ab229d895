// Tests fragtop metrics: the textfile is always whole and leaves no temporary file; SIGTERM ends the server even
// while a scraper holds an idle keep-alive connection.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/cli/parse-args.js';
import { runMetrics } from '../../src/cli/run-metrics.js';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const PROC = fixturePath('live-6.18', 'proc');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fragtop-metrics-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metrics --textfile', () => {
  it('is never seen empty or partial while frames come fast, and leaves no *.tmp when stopped', async () => {
    const path = join(dir, 'fragtop.prom');
    const abort = new AbortController();
    const stderr: string[] = [];
    // Faster than the command line allows (100 ms), so that writes would overlap if they were not serialised.
    const options = { ...defaultOptions(), procRoot: PROC, textfile: path, intervalMs: 1, kmsg: null };
    const run = runMetrics(options, {
      stderr: { write: (line: string) => stderr.push(line) } as unknown as NodeJS.WritableStream,
      signal: abort.signal,
    });
    const bad: string[] = [];
    let reads = 0;
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        await sleep(1);
        continue; // not written yet
      }
      reads++;
      if (!text.endsWith('\n') || !text.includes('fragtop_zone_free_blocks')) bad.push(text.slice(0, 80));
      await new Promise((resolve) => setImmediate(resolve));
    }
    abort.abort();
    expect(await run).toBe(0);
    expect(stderr).toEqual([]);
    expect(reads).toBeGreaterThan(100);
    expect(bad).toEqual([]);
    expect(readdirSync(dir)).toEqual(['fragtop.prom']);
  });
});

describe('metrics --listen', () => {
  const why = HAS_BUILD ? '' : ' (skipped: run npm run build first)';
  it.skipIf(!HAS_BUILD)(
    `ends on SIGTERM while a scraper holds an idle keep-alive connection${why}`,
    async () => {
      const port = 20_000 + (process.pid % 20_000);
      const child = spawn('node', [BIN, 'metrics', '--listen', `127.0.0.1:${port}`, '--proc-root', PROC], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | string | null>((resolve) =>
        child.once('exit', (code, signal) => resolve(code ?? signal)),
      );
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        // The server needs a moment to listen and read its first frame.
        let status = 0;
        for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
          status = await new Promise<number>((resolve) => {
            get({ host: '127.0.0.1', port, path: '/metrics', agent }, (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            }).on('error', () => resolve(0));
          });
          if (status !== 200) await sleep(100);
        }
        expect(status).toBe(200);
        // The agent keeps that socket open, idle, as Prometheus does between scrapes.
        child.kill('SIGTERM');
        const code = await Promise.race([exited, sleep(5000).then(() => 'still running')]);
        if (code === 'still running') child.kill('SIGKILL');
        expect(code).toBe(0);
        expect(stderr).toBe('');
      } finally {
        agent.destroy();
      }
    },
  );
});
