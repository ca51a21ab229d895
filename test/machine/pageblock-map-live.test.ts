// On this machine, as root: the pageblock map against buddyinfo and the fragmenter, the ceiling against a real compaction, and tracing left as found.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zoneCeiling } from '../../src/analyze/compaction-ceiling.js';
import { blocksAtOrder as blocksAtOrAbove } from '../../src/analyze/remediation-effect.js';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { mapLayoutOf } from '../../src/analyze/map-layout.js';
import type { PageblockMap } from '../../src/model/pageblock-map.js';
import { readPageblockMap } from '../../src/sources/kpageflags-source.js';
import { ProcSource } from '../../src/sources/proc-source.js';
import { findTracefs, TRACE_EVENTS } from '../../src/sources/tracefs-source.js';
import { TraceTallySource } from '../../src/sources/trace-tally-source.js';
import { fragmenterUnavailable, startFragmenter, type Fragmenter } from '../helpers/fragmenter.js';

const isRoot = process.getuid?.() === 0;
const hasKpageflags = existsSync('/proc/kpageflags');
const hasTracefs = readFileSync('/proc/filesystems', 'utf8').includes('tracefs');
const fragmenterWhy = fragmenterUnavailable();
const mapWhy = !isRoot
  ? 'needs root to read /proc/kpageflags'
  : !hasKpageflags
    ? 'this kernel has no /proc/kpageflags'
    : null;
const why = (reason: string | null) => (reason ? ` (skipped: ${reason})` : '');

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function readMap(): Promise<{ map: PageblockMap; snapshot: ReturnType<typeof buildSnapshot> }> {
  const frame = await new ProcSource({ procRoot: '/proc' }).read();
  const snapshot = buildSnapshot(frame);
  const layout = mapLayoutOf(snapshot.parsed.zoneinfo, snapshot.parsed.pageTypes, snapshot.parsed.buddy);
  if (!layout.ok) throw new Error(layout.message);
  const read = await readPageblockMap({
    procRoot: '/proc',
    layout: layout.layout,
    pageSizeBytes: frame.pageSizeBytes,
  });
  if (!read.ok) throw new Error(read.message);
  return { map: read.map, snapshot };
}

function buddyFreePages(): Map<string, number> {
  const frame = readFileSync('/proc/buddyinfo', 'utf8');
  const out = new Map<string, number>();
  for (const line of frame.trim().split('\n')) {
    const m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pages = m[3]!
      .trim()
      .split(/\s+/)
      .map(Number)
      .reduce((sum, n, o) => sum + n * 2 ** o, 0);
    out.set(`${m[1]} ${m[2]}`, pages);
  }
  return out;
}

const total = (map: PageblockMap, key: 'free' | 'movable' | 'unmovable') =>
  map.zones.reduce((sum, zone) => sum + zone.pages[key], 0);
const blocksOf = (map: PageblockMap, code: string) =>
  map.zones.reduce((sum, zone) => sum + [...zone.classes].filter((c) => c === code).length, 0);

describe('pageblock map on this machine', () => {
  it.skipIf(mapWhy !== null)(
    `its free pages match buddyinfo's within 1% per zone${why(mapWhy)}`,
    async () => {
      const before = buddyFreePages();
      const { map } = await readMap();
      const after = buddyFreePages();
      for (const zone of map.zones) {
        const key = `${zone.node} ${zone.zone}`;
        const low = Math.min(before.get(key) ?? 0, after.get(key) ?? 0);
        const high = Math.max(before.get(key) ?? 0, after.get(key) ?? 0);
        // The map takes ~0.5 s to read while the machine runs: allow what moved meanwhile plus 1%.
        const slack = Math.max(256, 0.01 * high);
        expect(zone.pages.free, key).toBeGreaterThanOrEqual(low - slack);
        expect(zone.pages.free, key).toBeLessThanOrEqual(high + slack);
      }
    },
  );

  it.skipIf(mapWhy !== null || fragmenterWhy !== null)(
    `the fragmenter turns free pages into movable ones, and its page tables add unmovable ones${why(mapWhy ?? fragmenterWhy)}`,
    async () => {
      const { map: before } = await readMap();
      const fragmenter: Fragmenter = await startFragmenter(2048, { pageTables: true });
      cleanups.push(() => fragmenter.stop());
      const { map: during } = await readMap();
      // 1 GiB of holes keeps 512 MiB of anonymous pages (131,072 pages of 4 KiB); 512 MiB go to page tables.
      const pages = (mib: number) => (mib * 1024 * 1024) / before.pageSizeBytes;
      expect(total(during, 'movable') - total(before, 'movable')).toBeGreaterThan(0.8 * pages(512));
      expect(total(during, 'unmovable') - total(before, 'unmovable')).toBeGreaterThan(0.8 * pages(512));
      expect(total(before, 'free') - total(during, 'free')).toBeGreaterThan(0.8 * pages(1024));
      // Pageblocks that were wholly free now hold the fragmenter's pages.
      expect(blocksOf(during, 'F')).toBeLessThan(blocksOf(before, 'F'));
    },
  );

  it.skipIf(mapWhy !== null || fragmenterWhy !== null)(
    `a real compaction never produces more order-N blocks than the ceiling computed just before${why(mapWhy ?? fragmenterWhy)}`,
    async () => {
      const fragmenter: Fragmenter = await startFragmenter(2048);
      cleanups.push(() => fragmenter.stop());
      const { map } = await readMap();
      writeFileSync('/proc/sys/vm/compact_memory', '1');
      const after = buildSnapshot(await new ProcSource({ procRoot: '/proc' }).read());
      const report: string[] = [];
      for (const zone of map.zones) {
        const live = after.zones.find((z) => z.node === zone.node && z.zone === zone.zone);
        if (!live) continue;
        for (let order = 3; order < map.orderCount; order++) {
          const ceiling = zoneCeiling(zone, order)!.ceiling;
          const now = blocksAtOrAbove(live.freeBlocksByOrder, order);
          if (order === 6 || order === 9)
            report.push(`${zone.node} ${zone.zone} order ${order}: after ${now} ≤ ceiling ${ceiling}`);
          expect(now, `${zone.node} ${zone.zone} order ${order}`).toBeLessThanOrEqual(ceiling);
        }
      }
      console.log(report.join('\n'));
    },
  );
});

/** Mounts tracefs privately to look at the global state when nothing has it mounted. */
function globalTracing(): {
  tracingOn: string;
  enables: Record<string, string>;
  instances: string[];
  mounts: string;
} {
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  let root = findTracefs(mounts);
  let own: string | null = null;
  if (root === null) {
    own = root = mkdtempSync(join(tmpdir(), 'tracing-check-'));
    execFileSync('mount', ['-t', 'tracefs', 'nodev', own]);
  }
  try {
    const enables = Object.fromEntries(
      TRACE_EVENTS.map((event) => [
        event,
        readFileSync(join(root!, 'events', event, 'enable'), 'utf8').trim(),
      ]),
    );
    return {
      tracingOn: readFileSync(join(root, 'tracing_on'), 'utf8').trim(),
      enables,
      instances: readdirSync(join(root, 'instances')).sort(),
      mounts: mounts
        .split('\n')
        .filter((line) => line.includes('tracefs'))
        .join('\n'),
    };
  } finally {
    if (own) {
      execFileSync('umount', [own]);
      rmdirSync(own);
    }
  }
}

describe('tracing on this machine', () => {
  const traceWhy = !isRoot
    ? 'needs root for tracefs'
    : !hasTracefs
      ? 'this kernel has no tracefs'
      : fragmenterWhy;
  it.skipIf(traceWhy !== null)(
    `sees the fragmenter steal pageblocks, then leaves tracing_on, the instances and every event's enable as found${why(traceWhy)}`,
    async () => {
      const before = globalTracing();
      const tracer = new TraceTallySource();
      cleanups.push(() => tracer.stop());
      tracer.start();
      expect(tracer.current()).toMatchObject({ ok: true });
      const fragmenter = await startFragmenter(2048, { pageTables: true });
      const tallies = tracer.poll(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic']);
      await fragmenter.stop();
      tracer.stop();
      expect(tallies?.ok).toBe(true);
      if (!tallies?.ok) return;
      const culprit = tallies.tallies.extfrag.byProcess.find((p) => p.pid === fragmenter.pid);
      expect(culprit?.count ?? 0).toBeGreaterThan(0);
      expect(globalTracing()).toEqual(before);
    },
  );

  it.skipIf(traceWhy !== null)(
    `two fragtop events at once trace side by side; SIGTERM and SIGINT leave tracing as found${why(traceWhy)}`,
    async () => {
      const { spawn } = await import('node:child_process');
      const { BIN, HAS_BUILD } = await import('../helpers/tmux.js');
      if (!HAS_BUILD) throw new Error('run npm run build first');
      const before = globalTracing();
      const start = () => {
        const child = spawn('node', [BIN, 'events', '--duration', '60s'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
        const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
        const started = (async () => {
          for (let i = 0; i < 200 && !err.includes('tracing for'); i++)
            await new Promise((r) => setTimeout(r, 25));
          if (!err.includes('tracing for')) throw new Error(`fragtop events did not start: ${err}`);
        })();
        return { child, exited, started };
      };
      const first = start();
      const second = start();
      cleanups.push(
        () => void first.child.kill('SIGKILL'),
        () => void second.child.kill('SIGKILL'),
      );
      await Promise.all([first.started, second.started]);
      // Each has an instance of its own, named by its pid.
      const during = globalTracing().instances.filter((name) => !before.instances.includes(name));
      expect(during.map((name) => name.split('-')[1]).sort()).toEqual(
        [String(first.child.pid), String(second.child.pid)].sort(),
      );
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
      // Tracing as found: the switches exactly; of the instances and mounts, none of these two processes' is left
      // (other programs on the machine may add or remove their own meanwhile).
      const after = globalTracing();
      expect({ tracingOn: after.tracingOn, enables: after.enables }).toEqual({
        tracingOn: before.tracingOn,
        enables: before.enables,
      });
      const ours = [String(first.child.pid), String(second.child.pid)];
      expect(after.instances.filter((name) => ours.includes(name.split('-')[1] ?? ''))).toEqual([]);
      expect(after.mounts.split('\n').length).toBeLessThanOrEqual(before.mounts.split('\n').length);
    },
  );
});
