// `npm run bench`: time per tick (read, parse+analyse, render), start-up to first frame, CPU and memory of the
// live monitor. Prints numbers; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { buildSnapshot } from '../src/analyze/build-snapshot.js';
import { benchRecording } from './bench-recording.js';
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
    children: createElement(App, { onQuit: () => {} }),
  });
}

async function timeTicks(procRoot: string, label: string, ticks = 200): Promise<void> {
  const source = new ProcSource({ procRoot, pagetypeinfoIntervalMs: null });
  const store = createFragtopStore();
  const app = render(screen(store));
  const read: number[] = [];
  const analyse: number[] = [];
  const paint: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const cpuStart = process.cpuUsage();
    let t = performance.now();
    const frame = await source.read();
    read.push(performance.now() - t);
    t = performance.now();
    buildSnapshot(frame);
    analyse.push(performance.now() - t);
    t = performance.now();
    store.getState().actions.ingest(frame);
    // ingest parses again and React renders synchronously from the store update.
    app.rerender(screen(store));
    paint.push(performance.now() - t);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  app.unmount();
  console.log(
    `${label.padEnd(34)} read ${median(read).toFixed(2)} ms · parse+analyse ${median(analyse).toFixed(2)} ms · ingest+render ${median(paint).toFixed(2)} ms · CPU per tick ${median(cpu).toFixed(2)} ms (medians of ${ticks})`,
  );
}

function tmux(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

async function startupAndFootprint(): Promise<void> {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('start-up, CPU and memory: skipped (tmux is not installed)');
    return;
  }
  const socket = `fragtop-bench-${process.pid}`;
  const startups: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    tmux(socket, 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', 'node', BIN);
    let shown = -1;
    while (performance.now() - started < 5000) {
      if (tmux(socket, 'capture-pane', '-p', '-t', 'b').includes('Free blocks by order')) {
        shown = performance.now() - started;
        break;
      }
    }
    tmux(socket, 'kill-server');
    startups.push(shown);
  }
  console.log(
    `start-up to first frame (live /proc)     median ${median(startups).toFixed(0)} ms of ${startups.map((s) => s.toFixed(0)).join(', ')}`,
  );

  const seconds = Number(process.env['FRAGTOP_BENCH_SECONDS'] ?? 30);
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

async function main(): Promise<void> {
  console.log(`fragtop bench · node ${process.version} · ${new Date().toISOString()}`);
  const fixtures = readdirSync(join(ROOT, 'fixtures')).filter((n) =>
    existsSync(join(ROOT, 'fixtures', n, 'proc')),
  );
  const largest = fixtures.sort((a, b) => fixtureSize(b) - fixtureSize(a))[0]!;
  await timeTicks(
    join(ROOT, 'fixtures', largest, 'proc'),
    `largest fixture (${largest}, ${(fixtureSize(largest) / 1024).toFixed(0)} KB)`,
  );
  if (existsSync('/proc/buddyinfo')) await timeTicks('/proc', 'live /proc');
  await startupAndFootprint();
  console.log('recordings:');
  await benchRecording((line) => console.log(`  ${line}`));
}

await main();
