// `npm run bench`: time per tick (read, parse+analyse, render), start-up to first frame, CPU and memory of the
// live monitor. Prints numbers; asserts nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { render } from 'ink';
import { createElement } from 'react';
import { buildSnapshot } from '../src/analyze/build-snapshot.js';
import { benchKernelLog } from './bench-kernel-log.js';
import { benchParsers } from './bench-parsers.js';
import { benchRecording } from './bench-recording.js';
import { benchSideBySide, benchSoak } from './bench-side-by-side.js';
import { ProcSource } from '../src/sources/proc-source.js';
import { createFragtopStore } from '../src/store/create-store.js';
import { App } from '../src/ui/App.js';
import { FragtopProvider } from '../src/ui/StoreContext.js';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BIN = join(ROOT, 'bin/fragtop.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function fixtureSize(name: string): number {
  const dir = join(ROOT, 'fixtures', name, 'proc');
  return readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile())
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

function screen(store: ReturnType<typeof createFragtopStore>) {
  return createElement(FragtopProvider, {
    store,
    display: { color: true },
    children: createElement(App),
  });
}

/** A terminal-sized stream Ink renders into, as it would into a 120x40 terminal. */
function fakeTerminal(): NodeJS.WriteStream {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & {
    columns: number;
    rows: number;
    isTTY: boolean;
  };
  stream.columns = 120;
  stream.rows = 40;
  stream.isTTY = true;
  (stream as unknown as PassThrough).resume();
  return stream;
}

/** One tick as the live monitor does it: read, ingest (parse + analyse), and the Ink render it causes. */
async function timeTicks(procRoot: string, label: string, ticks = 200): Promise<void> {
  const source = new ProcSource({ procRoot, pagetypeinfoIntervalMs: null });
  const store = createFragtopStore();
  let rendered: (() => void) | null = null;
  const app = render(screen(store), {
    stdout: fakeTerminal(),
    patchConsole: false,
    exitOnCtrlC: false,
    maxFps: 1000,
    onRender: () => rendered?.(),
  });
  const read: number[] = [];
  const analyse: number[] = [];
  const tick: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const frame = await source.read();
    read.push(performance.now() - started);
    let t = performance.now();
    buildSnapshot(frame);
    analyse.push(performance.now() - t);
    const painted = new Promise<void>((resolve) => (rendered = resolve));
    t = performance.now();
    store.getState().actions.ingest({ ...frame, timeMs: frame.timeMs + i });
    await Promise.race([painted, new Promise((r) => setTimeout(r, 200))]);
    tick.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    // buildSnapshot ran twice (once alone, once in ingest): count the tick's CPU without the extra one.
    cpu.push((used.user + used.system) / 1000 - analyse[i]!);
  }
  app.unmount();
  console.log(
    `${label.padEnd(34)} read ${median(read).toFixed(2)} ms · parse+analyse ${median(analyse).toFixed(2)} ms · whole tick with render ${median(tick).toFixed(2)} ms · CPU per tick ${median(cpu).toFixed(2)} ms (medians of ${ticks})`,
  );
}

function tmux(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** From spawn to the first screen's bytes on a pseudo-terminal (util-linux `script`); -1 when it never came. */
function firstFrameMs(): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('script', ['-qfc', `stty cols 120 rows 40; exec node ${BIN}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let output = '';
    const done = (ms: number) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      resolve(ms);
    };
    const timer = setTimeout(() => done(-1), 5000);
    child.once('error', () => done(-1));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Free blocks by order')) done(performance.now() - started);
    });
  });
}

async function startupAndFootprint(): Promise<void> {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('start-up, CPU and memory: skipped (tmux is not installed)');
    return;
  }
  const startups: number[] = [];
  for (let run = 0; run < 7; run++) startups.push(await firstFrameMs());
  console.log(
    `start-up to first frame (live /proc, 120x40 pty) median ${median(startups).toFixed(0)} ms of ${startups.map((s) => s.toFixed(0)).join(', ')}`,
  );

  const seconds = Number(process.env['FRAGTOP_BENCH_SECONDS'] ?? 30);
  const socket = `fragtop-bench-${process.pid}-cpu`;
  tmux(socket, 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', 'node', BIN);
  await new Promise((r) => setTimeout(r, 2000));
  const panePid = tmux(socket, 'display-message', '-p', '-t', 'b', '#{pane_pid}').trim();
  const stat = () => {
    const fields = readFileSync(`/proc/${panePid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in seconds (USER_HZ = 100)
  };
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${panePid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  const cpuStart = stat();
  const rssStart = rss();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuUsed = stat() - cpuStart;
  const rssEnd = rss();
  tmux(socket, 'kill-server');
  console.log(
    `live monitor at 1 s for ${seconds} s: CPU ${((cpuUsed / seconds) * 100).toFixed(2)}% of one core · RSS ${rssStart.toFixed(1)} MB → ${rssEnd.toFixed(1)} MB`,
  );
}

/** `npm run bench -- ticks parsers` runs only those parts; with no names, all of them. */
const only = new Set(process.argv.slice(2));
const wanted = (part: string) => only.size === 0 || only.has(part);

async function main(): Promise<void> {
  console.log(`fragtop bench · node ${process.version} · ${new Date().toISOString()}`);
  if (wanted('parsers')) benchParsers(ROOT, (line) => console.log(line));
  if (wanted('side-by-side'))
    await benchSideBySide(
      {
        bin: BIN,
        seconds: Number(process.env['FRAGTOP_BENCH_SIDE_SECONDS'] ?? 60),
        docPath: join(ROOT, 'docs/performance.md'),
      },
      (line) => console.log(line),
    );
  if (wanted('soak'))
    await benchSoak(BIN, Number(process.env['FRAGTOP_BENCH_SOAK_SECONDS'] ?? 120), 10, (line) =>
      console.log(line),
    );
  if (wanted('kernel-log')) {
    console.log('kernel-log readers on hostile inputs:');
    benchKernelLog(ROOT, (line) => console.log(`  ${line}`));
  }
  if (!wanted('ticks') && !wanted('startup') && !wanted('recordings')) return;
  const fixtures = readdirSync(join(ROOT, 'fixtures')).filter((n) =>
    existsSync(join(ROOT, 'fixtures', n, 'proc')),
  );
  const largest = fixtures.sort((a, b) => fixtureSize(b) - fixtureSize(a))[0]!;
  if (wanted('ticks')) {
    await timeTicks(
      join(ROOT, 'fixtures', largest, 'proc'),
      `largest fixture (${largest}, ${(fixtureSize(largest) / 1024).toFixed(0)} KB)`,
    );
    if (existsSync('/proc/buddyinfo')) await timeTicks('/proc', 'live /proc');
  }
  if (wanted('startup')) await startupAndFootprint();
  if (wanted('recordings')) {
    console.log('recordings:');
    await benchRecording((line) => console.log(`  ${line}`));
  }
}

await main();
