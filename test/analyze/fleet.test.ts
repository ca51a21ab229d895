// Tests the fleet analysis: verdicts from exported checks agree with diagnose(), last data kept, queries bounded.
import { describe, expect, it } from 'vitest';
import {
  absorbRefresh,
  EMPTY_FLEET,
  fleetRows,
  riskScore,
  type FleetRefresh,
} from '../../src/analyze/fleet.js';
import { fleetQueries, hostOf } from '../../src/analyze/fleet-queries.js';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { diagnoseSnapshot } from '../../src/analyze/diagnose-snapshot.js';
import { fixtureFrame } from '../helpers/frames.js';

/** The samples `fragtop metrics` would export for a fixture: free blocks and checks per zone and order. */
function exported(fixture: string, host: string) {
  const snapshot = buildSnapshot(fixtureFrame(fixture));
  const blocks = snapshot.zones.flatMap((z) =>
    z.freeBlocksByOrder.map((value, order) => ({
      labels: { instance: `${host}:9101`, numa_node: String(z.node), zone: z.zone, order: String(order) },
      value,
    })),
  );
  const checks = snapshot.zones.flatMap((z) =>
    (z.canAllocate ?? []).map((ok, order) => ({
      labels: { instance: `${host}:9101`, numa_node: String(z.node), zone: z.zone, order: String(order) },
      value: ok ? 1 : 0,
    })),
  );
  return { snapshot, blocks, checks };
}

function refresh(timeMs: number, order: number, hosts: string[][]): FleetRefresh {
  const parts = hosts.map(([fixture, host]) => exported(fixture!, host!));
  return {
    timeMs,
    order,
    hostLabel: 'instance',
    answers: [
      { name: 'blocks', ok: true, samples: parts.flatMap((p) => p.blocks), bytes: 1, ms: 1 },
      { name: 'checks', ok: true, samples: parts.flatMap((p) => p.checks), bytes: 1, ms: 1 },
    ],
  };
}

describe('fleet analysis', () => {
  it("gives each host the verdict and servable blocks fragtop's own diagnosis gives its fixture", () => {
    const fixtures = ['live-6.18', 'low-memory-6.18', 'k8s-order6-fragmented', 'centos7-numa-k8s'];
    for (const order of [3, 6, 9]) {
      const state = absorbRefresh(
        EMPTY_FLEET,
        refresh(
          1000,
          order,
          fixtures.map((f) => [f, f]),
        ),
      );
      for (const row of fleetRows(state, order, 1000)) {
        const diagnosis = diagnoseSnapshot(buildSnapshot(fixtureFrame(row.host)), order)!;
        expect({ host: row.host, order, verdict: row.verdict, servable: row.servableBlocks }).toEqual({
          host: row.host,
          order,
          verdict: diagnosis.verdict,
          servable: diagnosis.servableBlocks,
        });
      }
    }
  });

  it('sorts by risk: failing hosts first, then the fewest servable blocks', () => {
    const state = absorbRefresh(
      EMPTY_FLEET,
      refresh(1000, 6, [
        ['centos7-numa-k8s', 'big'],
        ['live-6.18', 'mid'],
        ['low-memory-6.18', 'low'],
      ]),
    );
    expect(fleetRows(state, 6, 1000).map((r) => r.host)).toEqual(['low', 'mid', 'big']);
    expect(riskScore(0)).toBe(1);
    expect(riskScore(16)).toBe(0.5);
  });

  it('keeps a host that stopped reporting, marked, and keeps everything while Prometheus is down', () => {
    const first = absorbRefresh(
      EMPTY_FLEET,
      refresh(1000, 6, [
        ['live-6.18', 'a'],
        ['low-memory-6.18', 'b'],
      ]),
    );
    const second = absorbRefresh(first, refresh(2000, 6, [['live-6.18', 'a']]));
    const rows = fleetRows(second, 6, 2000);
    expect(rows.find((r) => r.host === 'b')).toMatchObject({ stale: true, verdict: 'low-memory' });
    expect(rows.find((r) => r.host === 'a')!.stale).toBe(false);
    const down = absorbRefresh(second, {
      timeMs: 3000,
      order: 6,
      hostLabel: 'instance',
      answers: [{ name: 'blocks', ok: false, unreachable: true, error: 'ECONNREFUSED', ms: 1 }],
    });
    expect(down.down).toEqual({ sinceMs: 3000, message: 'ECONNREFUSED' });
    expect(down.hosts).toBe(second.hosts);
    expect(down.lastAnswerMs).toBe(2000);
  });

  it('asks a fixed number of queries whatever the number of hosts, one more with a host open', () => {
    const base = { hostLabel: 'instance', selector: '{job="fragtop"}', order: 6, orderCount: 11 };
    expect(fleetQueries(base)).toHaveLength(10);
    expect(fleetQueries({ ...base, openHost: 'node-1.example' })).toHaveLength(11);
    expect(fleetQueries(base)[0]!.expr).toBe('fragtop_zone_free_blocks{job="fragtop"}');
    expect(fleetQueries({ ...base, openHost: 'a.b' }).at(-1)!.expr).toContain(
      'instance=~"a\\\\.b(:[0-9]+)?"',
    );
  });

  it('names a host by its label without the port', () => {
    expect(hostOf({ instance: '10.0.0.1:9100' }, 'instance')).toBe('10.0.0.1');
    expect(hostOf({ instance: '[::1]:9100' }, 'instance')).toBe('::1');
    expect(hostOf({ node: 'worker-3' }, 'node')).toBe('worker-3');
    expect(hostOf({}, 'instance')).toBeNull();
  });
});
