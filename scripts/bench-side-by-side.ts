// Side by side: fragtop's live screen against htop, top, slabtop (and btop) in equal tmux terminals over one window,
// then guard, metrics (scraped by the bench) and check; CPU from /proc/PID/stat, RSS from /proc/PID/status.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

type Line = (text: string) => void;

/** USER_HZ: the unit of utime and stime in /proc/PID/stat on every Linux fragtop ships for. */
const CLOCK_TICKS = 100;
const COLUMNS = 120;
const ROWS = 40;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** Installs the Debian packages whose programs are missing (as root with apt); returns the programs still missing. */
function ensurePrograms(wanted: Record<string, string>, line: Line): string[] {
  const missing = Object.entries(wanted).filter(([program]) => !onPath(program));
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (packages.length > 0 && process.getuid?.() === 0 && onPath('apt-get')) {
    line(`installing ${packages.join(', ')} with apt-get…`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  return Object.keys(wanted).filter((program) => !onPath(program));
}

/** Children by parent, from /proc/*\/stat. */
function childrenByParent(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const parent = Number(fields[1]);
      byParent.set(parent, [...(byParent.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return byParent;
}

/** A process and everything it started (a program that re-executes itself is counted whole). */
function processTree(pid: number): number[] {
  const byParent = childrenByParent();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i]!) ?? []));
  return tree;
}

/** CPU seconds (utime + stime) of the tree; exited children's time is in cutime of a parent still waiting. */
function cpuSeconds(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      // exited
    }
  }
  return total;
}

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

interface Measured {
  name: string;
  command: string;
  pid: () => number | null;
  stop: () => void;
  cpuStart?: number;
  cpuPercent?: number;
  rss: number[];
}

function tmuxProgram(name: string, command: string, env: Record<string, string> = {}): Measured {
  const socket = `fragtop-bench-${process.pid}-${name.replace(/\W/g, '')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries({ CI: 'false', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  tmux(
    'new-session',
    '-d',
    '-s',
    'b',
    '-x',
    String(COLUMNS),
    '-y',
    String(ROWS),
    ...envArgs,
    `exec ${command}`,
  );
  return {
    name,
    command: `${command} (tmux ${COLUMNS}x${ROWS})`,
    pid: () => {
      try {
        return Number(tmux('display-message', '-p', '-t', 'b', '#{pane_pid}').trim()) || null;
      } catch {
        return null;
      }
    },
    stop: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
    rss: [],
  };
}

function spawnedProgram(name: string, command: string, argv: string[]): Measured {
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  return {
    name,
    command,
    pid: () => (child.exitCode === null ? (child.pid ?? null) : null),
    stop: () => child.kill('SIGTERM'),
    rss: [],
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Wall time of `fragtop check` from spawn to exit, many times; the median. */
function checkWallMs(bin: string, runs: number): { median: number; all: number[] } {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, [bin, 'check', '--order', '3'], { stdio: 'ignore' });
    all.push(performance.now() - started);
  }
  return { median: median(all), all };
}

export interface SideBySideOptions {
  bin: string;
  seconds: number;
  /** Where the markdown table goes (docs/performance.md's generated block); null prints only. */
  docPath: string | null;
}

const MARK_START = '<!-- bench:side-by-side:start -->';
const MARK_END = '<!-- bench:side-by-side:end -->';

export async function benchSideBySide(options: SideBySideOptions, line: Line): Promise<void> {
  const { bin, seconds } = options;
  if (!onPath('tmux')) {
    line('side-by-side: skipped (tmux is not installed)');
    return;
  }
  const missing = ensurePrograms({ htop: 'htop', top: 'procps', slabtop: 'procps', btop: 'btop' }, line);
  const node = process.execPath;
  const programs: Measured[] = [tmuxProgram('fragtop (live screen)', `${node} ${bin}`)];
  if (!missing.includes('htop')) programs.push(tmuxProgram('htop -d 10', 'htop -d 10'));
  if (!missing.includes('top')) programs.push(tmuxProgram('top -d 1', 'top -d 1'));
  if (!missing.includes('slabtop')) programs.push(tmuxProgram('slabtop -d 1', 'slabtop -d 1'));
  let btopConfig: string | null = null;
  if (!missing.includes('btop')) {
    // btop's refresh is set in its configuration file only: a private one at 1 s.
    btopConfig = mkdtempSync(join(tmpdir(), 'fragtop-bench-btop-'));
    mkdirSync(join(btopConfig, 'btop'));
    writeFileSync(join(btopConfig, 'btop', 'btop.conf'), 'update_ms = 1000\n');
    programs.push(
      tmuxProgram('btop (update_ms 1000)', 'btop --utf-force', {
        XDG_CONFIG_HOME: btopConfig,
        LANG: 'C.UTF-8',
      }),
    );
  }
  const port = await freePort();
  const guard = spawnedProgram(
    'fragtop guard (default interval)',
    'fragtop guard --order 3 --min-blocks 1 --dry-run',
    [node, bin, 'guard', '--order', '3', '--min-blocks', '1', '--dry-run'],
  );
  const metrics = spawnedProgram(
    'fragtop metrics (scraped every 15 s)',
    `fragtop metrics --listen 127.0.0.1:${port}`,
    [node, bin, 'metrics', '--listen', `127.0.0.1:${port}`],
  );
  const all = [...programs, guard, metrics];
  line(`side by side for ${seconds} s: ${all.map((p) => p.name).join(' · ')}`);
  try {
    // Past start-up: the window measures the steady state.
    await sleep(3000);
    const trees = new Map<Measured, number[]>();
    for (const program of all) {
      const pid = program.pid();
      const tree = pid === null ? [] : processTree(pid);
      trees.set(program, tree);
      program.cpuStart = cpuSeconds(tree);
    }
    const started = performance.now();
    let nextScrape = 0;
    let scrapes = 0;
    while (performance.now() - started < seconds * 1000) {
      const elapsed = performance.now() - started;
      if (elapsed >= nextScrape) {
        nextScrape += 15_000;
        const answer = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
        if (answer?.ok) scrapes++;
        await answer?.text();
      }
      for (const program of all) program.rss.push(rssMb(trees.get(program)!));
      await sleep(1000);
    }
    const window = (performance.now() - started) / 1000;
    for (const program of all) {
      const tree = trees.get(program)!;
      program.cpuPercent = ((cpuSeconds(tree) - program.cpuStart!) / window) * 100;
      program.rss.push(rssMb(tree));
    }
    line(`  window ${window.toFixed(1)} s, metrics scraped ${scrapes} times`);
  } finally {
    for (const program of all) program.stop();
    if (btopConfig) rmSync(btopConfig, { recursive: true, force: true });
  }

  const check = checkWallMs(bin, 21);
  const live = programs[0]!;
  const rows = all.map((p) => {
    const rssEnd = p.rss[p.rss.length - 1] ?? NaN;
    const ratio = p === live ? '' : `${(live.cpuPercent! / p.cpuPercent!).toFixed(1)}x`;
    return `| ${p.name} | ${p.cpuPercent!.toFixed(2)} | ${rssEnd.toFixed(1)} | ${Math.max(...p.rss).toFixed(1)} | ${programs.includes(p) ? ratio : ''} |`;
  });
  const table = [
    `Run ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Linux ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()} · node ${process.version} · \`npm run bench -- side-by-side\` (${seconds} s window, 1 s refresh)`,
    '',
    '| program | CPU (% of one core) | RSS at end (MB) | RSS max (MB) | fragtop live ÷ this |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `\`fragtop check --order 3\` wall time, spawn to exit: median ${check.median.toFixed(0)} ms of ${check.all.length} runs (min ${Math.min(...check.all).toFixed(0)}, max ${Math.max(...check.all).toFixed(0)})`,
  ];
  if (missing.length > 0) table.push('', `not measured (not installed): ${missing.join(', ')}`);
  for (const text of table) line(`  ${text}`);
  if (options.docPath) writeGeneratedBlock(options.docPath, table.join('\n'), line);
}

/** Replaces the generated block of the performance page, leaving the written text around it alone. */
function writeGeneratedBlock(path: string, block: string, line: Line): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    line(`  ${path} not found: table printed only`);
    return;
  }
  const start = text.indexOf(MARK_START);
  const end = text.indexOf(MARK_END);
  if (start < 0 || end < start) {
    line(`  ${path} has no ${MARK_START} block: table printed only`);
    return;
  }
  writeFileSync(path, `${text.slice(0, start + MARK_START.length)}\n${block}\n${text.slice(end)}`);
  line(`  written to ${path}`);
}

/** Many ticks fast (a day of 1 s ticks is 86,400): the live screen at a short interval, its RSS every few seconds. */
export async function benchSoak(bin: string, seconds: number, intervalMs: number, line: Line): Promise<void> {
  if (!onPath('tmux')) {
    line('soak: skipped (tmux is not installed)');
    return;
  }
  const live = tmuxProgram('soak', `${process.execPath} ${bin} --interval ${intervalMs}ms`);
  const samples: string[] = [];
  try {
    await sleep(3000);
    const pid = live.pid();
    if (pid === null) throw new Error('the live screen did not start');
    const started = performance.now();
    const cpuStart = cpuSeconds([pid]);
    while (performance.now() - started < seconds * 1000) {
      samples.push(`${((performance.now() - started) / 1000).toFixed(0)}s ${rssMb([pid]).toFixed(0)}`);
      await sleep(Math.max(1000, (seconds * 1000) / 12));
    }
    const cpu = ((cpuSeconds([pid]) - cpuStart) / seconds) * 100;
    line(
      `soak: live screen at ${intervalMs} ms for ${seconds} s (~${Math.round((seconds * 1000) / intervalMs)} ticks asked, ${cpu.toFixed(0)}% of a core): RSS MB ${samples.join(' · ')}`,
    );
  } finally {
    live.stop();
  }
}
