// Tests the fleet analysis: rows from per-zone sums at order N agree with diagnose(), last data kept, queries bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absorbRefresh,
  EMPTY_FLEET,
  fleetRows,
  riskScore,
  type FleetRefresh,
} from '../../src/analyze/fleet.js';
import { fleetQueries, hostOf, type FleetQueryName } from '../../src/analyze/fleet-queries.js';
import { diagnose } from '../../src/analyze/diagnosis.js';
import { prometheusText } from '../../src/export/prometheus.js';
import type { VectorSample } from '../../src/parse/prometheus-answer.js';
import type { BuddyZone } from '../../src/parse/types.js';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { diagnoseSnapshot } from '../../src/analyze/diagnose-snapshot.js';
import { fixtureFrame } from '../helpers/frames.js';

/** The series of `fragtop metrics`' exposition for a fixture, as Prometheus would store them for `host`. */
async function exposed(fixture: string, host: string): Promise<VectorSample[]> {
  const snapshot = buildSnapshot(fixtureFrame(fixture));
  const text = await prometheusText({
    snapshot,
    diagnosis: diagnoseSnapshot(snapshot, 6),
    failures: [],
    suppressedFailures: 0,
  });
  return text
    .split('\n')
    .map((line) => /^(\w+)\{(.*)\} (\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, name, labels, value]) => ({
      labels: {
        __name__: name!,
        instance: `${host}:9101`,
        ...Object.fromEntries([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])),
      },
      value: Number(value),
    }));
}

/** What each table query's selector picks from those series at order N. */
function selected(series: VectorSample[], name: string, orders?: number[]): VectorSample[] {
  return series.filter(
    (s) =>
      s.labels['__name__'] === name &&
      (orders === undefined || orders.map(String).includes(s.labels['order']!)),
  );
}

async function refresh(timeMs: number, order: number, hosts: string[][]): Promise<FleetRefresh> {
  const series = (await Promise.all(hosts.map(([fixture, host]) => exposed(fixture!, host!)))).flat();
  const answer = (name: FleetQueryName, samples: VectorSample[]) => ({
    name,
    ok: true as const,
    samples,
    bytes: 1,
    ms: 1,
  });
  return {
    timeMs,
    order,
    hostLabel: 'instance',
    openHost: null,
    answers: [
      answer('zonePages', selected(series, 'fragtop_zone_free_pages')),
      answer('zoneSuitable', selected(series, 'fragtop_zone_suitable_blocks', [order])),
      answer('zoneFragmentation', selected(series, 'fragtop_zone_fragmentation_index', [order])),
      answer('checks', selected(series, 'fragtop_zone_can_allocate', [0, order])),
    ],
  };
}

/** node_exporter's buddyinfo summed as the buddy* queries sum it: free pages, order-N blocks, free blocks. */
function buddyinfoRefresh(timeMs: number, order: number, host: string, zones: BuddyZone[]): FleetRefresh {
  const per = (value: (free: number[]) => number, keep: (free: number[]) => boolean = () => true) =>
    zones
      .filter((z) => keep(z.freeBlocksByOrder))
      .map((z) => ({
        labels: { instance: `${host}:9100`, node: String(z.node), zone: z.zone },
        value: value(z.freeBlocksByOrder),
      }));
  const sum = (free: number[], weight: (o: number) => number, from = 0) =>
    free.reduce((total, blocks, o) => (o >= from ? total + blocks * weight(o) : total), 0);
  return {
    timeMs,
    order,
    hostLabel: 'instance',
    openHost: null,
    answers: [
      {
        name: 'buddyPages',
        ok: true,
        samples: per((free) => sum(free, (o) => 2 ** o)),
        bytes: 1,
        ms: 1,
      },
      {
        name: 'buddySuitable',
        ok: true,
        // A zone without order N has no series of size ≥ N: the join leaves it out.
        samples: per(
          (free) => sum(free, (o) => 2 ** (o - order), order),
          (free) => free.length > order,
        ),
        bytes: 1,
        ms: 1,
      },
      { name: 'buddyBlocks', ok: true, samples: per((free) => sum(free, () => 1)), bytes: 1, ms: 1 },
    ],
  };
}

describe('fleet analysis', () => {
  it("gives each host the verdict, blocks, index and free memory fragtop's own diagnosis gives its fixture", async () => {
    const fixtures = ['live-6.18', 'low-memory-6.18', 'k8s-order6-fragmented', 'centos7-numa-k8s'];
    for (const order of [0, 3, 6, 9, 10, 11]) {
      const state = absorbRefresh(
        EMPTY_FLEET,
        await refresh(
          1000,
          order,
          fixtures.map((f) => [f, f]),
        ),
      );
      const rows = fleetRows(state, order, 1000);
      expect(rows).toHaveLength(fixtures.length);
      for (const row of rows) {
        const snapshot = buildSnapshot(fixtureFrame(row.host));
        const diagnosis = diagnoseSnapshot(snapshot, order)!;
        // Only orders the kernel has carry an index (the snapshot lists none beyond them).
        const eligible = diagnosis.zones
          .filter((z) => z.eligible && order < snapshot.orderCount)
          .map((z) => z.fragmentationIndex);
        expect({
          host: row.host,
          order,
          verdict: row.verdict,
          servable: row.servableBlocks,
          suitable: row.suitableBlocks,
          index: row.worstFragmentationIndex,
          free: row.freeBytes,
        }).toEqual({
          host: row.host,
          order,
          verdict: diagnosis.verdict,
          servable: diagnosis.servableBlocks,
          suitable: diagnosis.suitableBlocks,
          index: eligible.length ? Math.max(...eligible) / 1000 : null,
          free: snapshot.zones.reduce((sum, z) => sum + z.freePages, 0) * snapshot.pageSizeBytes,
        });
      }
    }
  });

  it('computes from buddyinfo sums what diagnose() computes from every order (any zone, any order)', () => {
    const zone = fc.record({
      node: fc.nat(3),
      zone: fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable'),
      freeBlocksByOrder: fc.array(fc.oneof(fc.nat(3), fc.nat(2_000_000)), { minLength: 1, maxLength: 14 }),
    });
    const zones = fc
      .uniqueArray(zone, { selector: (z) => `${z.node}/${z.zone}`, maxLength: 5 })
      .filter((list) => list.length > 0);
    fc.assert(
      fc.property(zones, fc.nat(14), (buddy, order) => {
        const state = absorbRefresh(EMPTY_FLEET, buddyinfoRefresh(1000, order, 'h', buddy));
        const [row] = fleetRows(state, order, 1000);
        const want = diagnose({ kernel: null, targetOrder: order, buddy });
        const usable = want.zones.filter((z) => z.eligible);
        const eligible = want.zones
          .filter((z, i) => z.eligible && buddy[i]!.freeBlocksByOrder.length > order)
          .map((z) => z.fragmentationIndex);
        // Without watermarks only a zone with no order-N block is known not to serve.
        const known = usable.length > 0 && usable.every((z) => z.canAllocate !== null);
        expect(row).toMatchObject({
          source: 'buddyinfo',
          verdict: want.verdict,
          servableBlocks: known ? want.servableBlocks : null,
          suitableBlocks: want.suitableBlocks,
          worstFragmentationIndex: eligible.length ? Math.max(...eligible) / 1000 : null,
          freeBytes: want.zones.reduce((sum, z) => sum + z.freePages, 0) * 4096,
        });
      }),
    );
  });

  it('sorts by risk: failing hosts first, then the fewest servable blocks', async () => {
    const state = absorbRefresh(
      EMPTY_FLEET,
      await refresh(1000, 6, [
        ['centos7-numa-k8s', 'big'],
        ['live-6.18', 'mid'],
        ['low-memory-6.18', 'low'],
      ]),
    );
    expect(fleetRows(state, 6, 1000).map((r) => r.host)).toEqual(['low', 'mid', 'big']);
    expect(riskScore(0)).toBe(1);
    expect(riskScore(16)).toBe(0.5);
  });

  it('keeps a host that stopped reporting, marked, and keeps everything while Prometheus is down', async () => {
    const first = absorbRefresh(
      EMPTY_FLEET,
      await refresh(1000, 6, [
        ['live-6.18', 'a'],
        ['low-memory-6.18', 'b'],
      ]),
    );
    const second = absorbRefresh(first, await refresh(2000, 6, [['live-6.18', 'a']]));
    const rows = fleetRows(second, 6, 2000);
    expect(rows.find((r) => r.host === 'b')).toMatchObject({ stale: true, verdict: 'low-memory' });
    expect(rows.find((r) => r.host === 'a')!.stale).toBe(false);
    const down = absorbRefresh(second, {
      timeMs: 3000,
      order: 6,
      hostLabel: 'instance',
      openHost: null,
      answers: [{ name: 'zonePages', ok: false, unreachable: true, error: 'ECONNREFUSED', ms: 1 }],
    });
    expect(down.down).toEqual({ sinceMs: 3000, message: 'ECONNREFUSED' });
    expect(down.hosts).toBe(second.hosts);
    expect(down.lastAnswerMs).toBe(2000);
  });

  it('says a host runs a fragtop too old to export order-N blocks, rather than judging it', async () => {
    const table = await refresh(1000, 6, [
      ['live-6.18', 'new'],
      ['live-6.18', 'old'],
    ]);
    const older = absorbRefresh(EMPTY_FLEET, {
      ...table,
      answers: table.answers.map((a) =>
        a.ok && a.name === 'zoneSuitable'
          ? { ...a, samples: a.samples!.filter((s) => s.labels['instance'] !== 'old:9101') }
          : a,
      ),
    });
    const rows = fleetRows(older, 6, 1000);
    expect(rows.find((r) => r.host === 'new')!.verdict).toBe('ok');
    const old = rows.find((r) => r.host === 'old')!;
    expect(old).toMatchObject({ verdict: 'unknown', servableBlocks: null, stale: false });
    expect(old.notes.join(' ')).toMatch(/exports no fragtop_zone_suitable_blocks/);
  });

  it("reads every order only of the open host's zones, and forgets them when it is closed", async () => {
    const hosts = [
      ['centos7-numa-k8s', 'a'],
      ['live-6.18', 'b'],
    ];
    const series = (await Promise.all(hosts.map(([f, h]) => exposed(f!, h!)))).flat();
    const table = await refresh(1000, 6, hosts);
    const blocks = selected(series, 'fragtop_zone_free_blocks').filter(
      (s) => s.labels['instance'] === 'a:9101',
    );
    const opened = absorbRefresh(EMPTY_FLEET, {
      ...table,
      openHost: 'a',
      answers: [
        ...table.answers,
        { name: 'hostBlocks', ok: true, samples: blocks, bytes: 1, ms: 1 },
        { name: 'hostBuddyinfo', ok: true, samples: [], bytes: 1, ms: 1 },
      ],
    });
    const snapshot = buildSnapshot(fixtureFrame('centos7-numa-k8s'));
    expect(opened.hosts['a']!.zones.map((z) => z.freeBlocksByOrder)).toEqual(
      snapshot.zones.map((z) => z.freeBlocksByOrder),
    );
    expect(opened.hosts['a']!.zonesReadAtMs).toBe(1000);
    expect(opened.hosts['b']!.zones).toEqual([]);
    const closed = absorbRefresh(opened, { ...table, timeMs: 2000 });
    expect(closed.hosts['a']).toMatchObject({ zones: [], zonesReadAtMs: null });
  });

  it('asks a fixed number of queries whatever the number of hosts, three more with a host open', () => {
    const base = { hostLabel: 'instance', selector: '{job="fragtop"}', order: 6 };
    const queries = fleetQueries(base);
    expect(queries).toHaveLength(16);
    expect(fleetQueries({ ...base, openHost: 'node-1.example' })).toHaveLength(19);
    // The table reads one order of each zone; every order only of the open host.
    expect(queries.find((q) => q.name === 'zoneSuitable')!.expr).toBe(
      'fragtop_zone_suitable_blocks{job="fragtop",order="6"} + 0',
    );
    expect(queries.filter((q) => /fragtop_zone_free_blocks/.test(q.expr))).toEqual([]);
    expect(queries.find((q) => q.name === 'trendFragtop')!.expr).toBe(
      'sum by (instance) (fragtop_zone_suitable_blocks{job="fragtop",order="6"})',
    );
    const open = fleetQueries({ ...base, openHost: 'a.b' });
    expect(open.find((q) => q.name === 'hostBlocks')!.expr).toBe(
      'fragtop_zone_free_blocks{job="fragtop",instance=~"a\\\\.b(:[0-9]+)?"}',
    );
  });

  it('names a host by its label without the port', () => {
    expect(hostOf({ instance: '10.0.0.1:9100' }, 'instance')).toBe('10.0.0.1');
    expect(hostOf({ instance: '[::1]:9100' }, 'instance')).toBe('::1');
    expect(hostOf({ node: 'worker-3' }, 'node')).toBe('worker-3');
    expect(hostOf({}, 'instance')).toBeNull();
  });
});
