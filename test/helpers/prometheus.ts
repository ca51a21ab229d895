// Starts real Prometheus, node_exporter and `fragtop metrics` processes on loopback for the fleet tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './tmux.js';
import { REPO_ROOT } from './frames.js';

const has = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
export const HAS_PROMETHEUS = has('prometheus');
export const HAS_PROMTOOL = has('promtool');
export const HAS_NODE_EXPORTER = has('prometheus-node-exporter');

/** A port nothing listens on now (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A child process that is stopped (SIGTERM, then SIGKILL after 3 s) at the end. */
export class Child {
  readonly process: ChildProcess;
  output = '';
  constructor(command: string, args: string[]) {
    this.process = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
  }
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

export function startFragtopMetrics(port: number, procRoot: string, kmsg?: string): Child {
  const args = [BIN, 'metrics', '--listen', `127.0.0.1:${port}`, '--interval', '1s', '--proc-root', procRoot];
  if (kmsg) args.push('--kmsg', kmsg);
  return new Child('node', args);
}

/** node_exporter with nothing but the buddyinfo collector, on this machine's /proc. */
/** node_exporter with only the buddyinfo collector, on this machine's /proc or on `procfs` (a fixture's). */
export function startNodeExporter(port: number, procfs?: string): Child {
  return new Child('prometheus-node-exporter', [
    `--web.listen-address=127.0.0.1:${port}`,
    '--collector.disable-defaults',
    '--collector.buddyinfo',
    ...(procfs ? [`--path.procfs=${procfs}`] : []),
  ]);
}

export interface ScrapeTarget {
  host: string;
  port: number;
  job: string;
}

/** A config that scrapes each target every second and names its host with the `instance` label. */
export function prometheusConfig(targets: readonly ScrapeTarget[]): string {
  const jobs = [...new Set(targets.map((t) => t.job))];
  return [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    ...jobs.flatMap((job) => [
      `  - job_name: ${job}`,
      '    static_configs:',
      ...targets
        .filter((t) => t.job === job)
        .map((t) => `      - { targets: ['127.0.0.1:${t.port}'], labels: { instance: '${t.host}' } }`),
    ]),
    '',
  ].join('\n');
}

export class PrometheusServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'fragtop-prometheus-'));
  child: Child | null = null;
  constructor(
    readonly port: number,
    config: string,
  ) {
    writeFileSync(join(this.dir, 'prometheus.yml'), config);
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Starts (or restarts, on the same data) and waits until it is ready. */
  async start(): Promise<void> {
    this.child = new Child('prometheus', [
      `--config.file=${join(this.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
    ]);
    await waitUntil(
      () =>
        fetch(`${this.url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      20_000,
      'Prometheus to be ready',
    );
  }
  async stop(): Promise<void> {
    await this.child?.stop();
  }
  /** Stops it and removes its configuration and data. */
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
  /** Instant query, the values by `instance`. */
  async values(expr: string): Promise<Record<string, number>> {
    const body = (await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`).then((r) =>
      r.json(),
    )) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return Object.fromEntries(body.data.result.map((s) => [s.metric['instance'] ?? '', Number(s.value[1])]));
  }
}
