// The fleet against a real Prometheus scraping real `fragtop metrics` processes and a real node_exporter.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import {
  freePort,
  HAS_NODE_EXPORTER,
  HAS_PROMETHEUS,
  HAS_PROMTOOL,
  prometheusConfig,
  PrometheusServer,
  startFragtopMetrics,
  startNodeExporter,
  waitUntil,
  type Child,
  type ScrapeTarget,
} from '../helpers/prometheus.js';
import { BIN, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const CAN_RUN = HAS_BUILD && HAS_PROMETHEUS && HAS_NODE_EXPORTER;
const why = !HAS_BUILD
  ? ' (skipped: run npm run build first)'
  : !HAS_PROMETHEUS || !HAS_NODE_EXPORTER
    ? ' (skipped: install the Debian packages prometheus and prometheus-node-exporter)'
    : '';

/** The fixture behind each host: the fleet must agree with `fragtop snapshot --json` on it. */
const HOSTS: { host: string; fixture: string; kmsg?: string }[] = [
  { host: 'healthy', fixture: 'live-6.18' },
  {
    host: 'incident',
    fixture: 'k8s-order6-fragmented',
    kmsg: fixturePath('centos7-numa-k8s', 'dmesg.txt'),
  },
  { host: 'low-memory', fixture: 'low-memory-6.18' },
  { host: 'fragmented', fixture: 'centos7-numa-k8s', kmsg: fixturePath('centos7-numa-k8s', 'dmesg.txt') },
];
const NODE_EXPORTER_HOST = 'this-machine';
/** node_exporter on a fixture's /proc: its buddyinfo sums can be checked against `fragtop snapshot` exactly. */
const BUDDY_FIXTURE = { host: 'buddy-numa', fixture: 'centos7-numa-k8s' };

interface FleetHostJson {
  host: string;
  source: string;
  verdict: string;
  stale: boolean;
  risk: number | null;
  servableBlocks: number | null;
  suitableBlocks: number;
  worstFragmentationIndex: number | null;
  freeBytes: number | null;
  notes: string[];
}

function fleetOnce(
  url: string,
  order: number,
): { status: number; json: { hosts: FleetHostJson[]; reachable: boolean } } {
  const run = spawnSync(
    'node',
    [BIN, 'fleet', '--prometheus', url, '--order', String(order), '--once', '--json'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { status: run.status ?? -1, json: JSON.parse(run.stdout) };
}

function snapshotJson(fixture: string, order: number) {
  const out = execFileSync(
    'node',
    [BIN, 'snapshot', '--json', '--order', String(order), '--proc-root', fixturePath(fixture, 'proc')],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out) as {
    pageSize: number;
    zones: { freePages: number; fragmentationIndex: number[] }[];
    diagnosis: { verdict: string; servableBlocks: number; suitableBlocks: number };
  };
}

describe.skipIf(!CAN_RUN)(`fleet over a real Prometheus${why}`, () => {
  const children: Child[] = [];
  let prometheus: PrometheusServer;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    const targets: ScrapeTarget[] = [];
    for (const { host, fixture, kmsg } of HOSTS) {
      ports[host] = await freePort();
      children.push(startFragtopMetrics(ports[host]!, fixturePath(fixture, 'proc'), kmsg));
      targets.push({ host, port: ports[host]!, job: 'fragtop' });
    }
    ports[NODE_EXPORTER_HOST] = await freePort();
    children.push(startNodeExporter(ports[NODE_EXPORTER_HOST]!));
    targets.push({ host: NODE_EXPORTER_HOST, port: ports[NODE_EXPORTER_HOST]!, job: 'node' });
    ports[BUDDY_FIXTURE.host] = await freePort();
    children.push(startNodeExporter(ports[BUDDY_FIXTURE.host]!, fixturePath(BUDDY_FIXTURE.fixture, 'proc')));
    targets.push({ host: BUDDY_FIXTURE.host, port: ports[BUDDY_FIXTURE.host]!, job: 'node' });
    prometheus = new PrometheusServer(await freePort(), prometheusConfig(targets));
    await prometheus.start();
    // Every target scraped at least twice (the stall rate needs two samples).
    await waitUntil(
      async () => {
        const up = await prometheus.values('count_over_time(up[1m])');
        return targets.every((t) => (up[t.host] ?? 0) >= 3);
      },
      30_000,
      'three scrapes of every target',
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...children.map((c) => c.stop()), prometheus?.remove()]);
  });

  it('ranks the hosts by risk and agrees with fragtop snapshot --json on each fixture', () => {
    const { status, json } = fleetOnce(prometheus.url, 6);
    expect(status).toBe(0);
    expect(json.reachable).toBe(true);
    const names = json.hosts.map((h) => h.host);
    // Both failing hosts first (risk 1, ties by name), then the ok ones by fewest servable blocks.
    expect(names.slice(0, 2)).toEqual(['incident', 'low-memory']);
    const fragtopOrder = names.filter((n) => n !== NODE_EXPORTER_HOST && n !== BUDDY_FIXTURE.host);
    expect(fragtopOrder).toEqual(['incident', 'low-memory', 'healthy', 'fragmented']);
    for (const { host, fixture } of HOSTS) {
      const row = json.hosts.find((h) => h.host === host)!;
      const snapshot = snapshotJson(fixture, 6);
      expect({
        host,
        verdict: row.verdict,
        servable: row.servableBlocks,
        suitable: row.suitableBlocks,
      }).toEqual({
        host,
        verdict: snapshot.diagnosis.verdict,
        servable: snapshot.diagnosis.servableBlocks,
        suitable: snapshot.diagnosis.suitableBlocks,
      });
      const freePages = snapshot.zones.reduce((sum, z) => sum + z.freePages, 0);
      expect(row.freeBytes).toBe(freePages * snapshot.pageSize);
      expect(row.worstFragmentationIndex).toBe(
        Math.max(...snapshot.zones.map((z) => z.fragmentationIndex[6]!)),
      );
      expect(row.stale).toBe(false);
    }
    expect(json.hosts.find((h) => h.host === 'incident')!.verdict).toBe('fragmentation');
    expect(json.hosts.find((h) => h.host === 'low-memory')!.verdict).toBe('low-memory');
  });

  it('reads node_exporter buddyinfo alone: blocks and indices, and says the check needs zoneinfo', () => {
    const { json } = fleetOnce(prometheus.url, 6);
    const row = json.hosts.find((h) => h.host === NODE_EXPORTER_HOST)!;
    expect(row.source).toBe('buddyinfo');
    expect(row.verdict).toBe('unknown');
    expect(row.servableBlocks).toBeNull();
    expect(row.notes.join(' ')).toMatch(/needs zoneinfo/);
    // This machine's zones, as /proc/buddyinfo lists them (the counts move; the zones do not).
    const zones = readFileSync('/proc/buddyinfo', 'utf8').trim().split('\n').length;
    expect(zones).toBeGreaterThan(0);
    expect(row.suitableBlocks).toBeGreaterThan(0);
  });

  it("sums node_exporter's buddyinfo in PromQL to what fragtop snapshot computes from the same file", () => {
    for (const order of [0, 3, 6, 9]) {
      const { json } = fleetOnce(prometheus.url, order);
      const row = json.hosts.find((h) => h.host === BUDDY_FIXTURE.host)!;
      const snapshot = snapshotJson(BUDDY_FIXTURE.fixture, order);
      expect(row.source).toBe('buddyinfo');
      expect(row.verdict).toBe('unknown');
      expect({ order, suitable: row.suitableBlocks, index: row.worstFragmentationIndex }).toEqual({
        order,
        suitable: snapshot.diagnosis.suitableBlocks,
        index: Math.max(...snapshot.zones.map((z) => z.fragmentationIndex[order]!)),
      });
      // node_exporter says nothing of the page size: 4 KiB is assumed, as on this fixture.
      expect(row.freeBytes).toBe(snapshot.zones.reduce((sum, z) => sum + z.freePages, 0) * 4096);
    }
  });

  it('follows the order: at order 9 the fragmented node fails too', () => {
    const { json } = fleetOnce(prometheus.url, 9);
    const row = json.hosts.find((h) => h.host === 'fragmented')!;
    expect(row.verdict).toBe(snapshotJson('centos7-numa-k8s', 9).diagnosis.verdict);
    expect(row.verdict).toBe('fragmentation');
    expect(
      json.hosts
        .slice(0, 3)
        .map((h) => h.host)
        .sort(),
    ).toEqual(['fragmented', 'incident', 'low-memory']);
  });

  it.skipIf(!HAS_PROMTOOL)('serves metrics that pass promtool check metrics', async () => {
    const body = await fetch(`http://127.0.0.1:${ports['incident']}/metrics`).then((r) => r.text());
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(body).toMatch(/^fragtop_build_info\{version="[^"]+"\} 1$/m);
    expect(body).toMatch(/^fragtop_last_sample_timestamp_seconds \d+/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(body).toContain('fragtop_alloc_failures_total{order="6",cause="fragmentation"} 1');
    expect(body).toContain('fragtop_target_order_verdict{order="6",verdict="fragmentation"} 1');
  });

  it.skipIf(!HAS_TMUX)(
    'the screen ranks hosts, filters, opens a host, survives Prometheus going away and a host stopping',
    async () => {
      const tmux = new TmuxSession(
        `node ${BIN} fleet --prometheus ${prometheus.url} --order 6 --interval 1s`,
        {
          columns: 120,
          rows: 30,
        },
      );
      try {
        let screen = await tmux.waitFor((s) => /this-machine/.test(s) && /fragmented/.test(s), 15_000);
        const order = (s: string) =>
          s
            .split('\n')
            .map((line) => /^(incident|low-memory|healthy|fragmented) /.exec(line)?.[1])
            .filter(Boolean);
        expect(order(screen)).toEqual(['incident', 'low-memory', 'healthy', 'fragmented']);
        expect(screen).toMatch(/^incident\s+fragmentation\s+0 /m);
        expect(screen).toMatch(/^low-memory\s+low-memory\s+0 /m);

        tmux.send('+', '+', '+');
        screen = await tmux.waitFor((s) => /^fragmented\s+fragmentation/m.test(s), 10_000);
        expect(screen).toContain('order 9');
        tmux.send('-', '-', '-');
        await tmux.waitFor((s) => /^fragmented\s+ok/m.test(s), 10_000);

        tmux.send('/', 'l', 'o', 'w', 'Enter');
        screen = await tmux.waitFor((s) => s.includes('filter: "low"'), 5000);
        expect(order(screen)).toEqual(['low-memory']);
        tmux.send('Enter');
        screen = await tmux.waitFor((s) => s.includes('Free blocks by order'), 10_000);
        expect(screen).toContain('low-memory · Esc');
        expect(screen).toMatch(/0 DMA32\s+0\s+0/);
        tmux.send('Escape');
        await tmux.waitFor((s) => !s.includes('Free blocks by order') && order(s).length === 1, 5000);
        tmux.send('/');
        await tmux.waitFor((s) => s.includes('filter hosts: low'), 5000);
        tmux.send('BSpace', 'BSpace', 'BSpace', 'Enter');
        await tmux.waitFor((s) => order(s).length === 4, 5000);

        // Prometheus goes away: the screen says so and keeps the last data with its age.
        await prometheus.stop();
        screen = await tmux.waitFor((s) => /unreachable since/.test(s), 15_000);
        expect(order(screen)).toEqual(['incident', 'low-memory', 'healthy', 'fragmented']);
        await prometheus.start();
        screen = await tmux.waitFor((s) => /\d+ queries/.test(s) && !/unreachable/.test(s), 20_000);
        expect(order(screen)).toHaveLength(4);

        // A host stops reporting: it stays, marked, with the age of its last data.
        await children[2]!.stop(); // low-memory
        screen = await tmux.waitFor((s) => /^low-memory\s+stopped/m.test(s), 20_000);
        expect(screen).toMatch(/stopped reporting/);
        tmux.send('q');
        screen = await tmux.waitFor((s) => s.includes('EXIT:'), 5000);
        expect(screen).toContain('EXIT:0');
      } finally {
        tmux.kill();
      }
    },
    90_000,
  );
});

describe.skipIf(!HAS_PROMTOOL)(
  `alerting rules in deploy/${HAS_PROMTOOL ? '' : ' (skipped: install the Debian package prometheus for promtool)'}`,
  () => {
    const dir = `${REPO_ROOT}deploy/prometheus`;
    it('pass promtool test rules', () => {
      const run = spawnSync('promtool', ['test', 'rules', 'fragtop-rules.test.yml'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.stdout).toContain('SUCCESS');
      expect(run.status).toBe(0);
    });

    it('are the same groups in the PrometheusRule', () => {
      const rules = readFileSync(`${dir}/fragtop-rules.yml`, 'utf8');
      const groups = rules.slice(rules.indexOf('groups:'));
      const operator = readFileSync(`${dir}/fragtop-prometheusrule.yaml`, 'utf8');
      const spec = operator.slice(operator.indexOf('spec:\n') + 'spec:\n'.length);
      const indented = groups
        .split('\n')
        .map((line) => (line.trim() ? `  ${line}` : line))
        .join('\n');
      expect(spec).toBe(indented);
    });
  },
);
