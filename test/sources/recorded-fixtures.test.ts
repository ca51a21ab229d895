// Checks the bundled recordings in fixtures/recordings: they open cleanly and hold what their ABOUT.md says.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { enrichFailures } from '../../src/analyze/enrich-failure.js';
import { parseAllocFailures } from '../../src/parse/alloc-failure.js';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';
import { parseSlabInfo } from '../../src/parse/slabinfo.js';
import type { BuddyZone, ZoneInfoZone } from '../../src/parse/types.js';
import { parseZoneInfo } from '../../src/parse/zoneinfo.js';
import { openRecording, type Recording } from '../../src/sources/recording-reader.js';
import { diagnoseSnapshot } from '../../src/analyze/diagnose-snapshot.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const recordingsDir = join(repoRoot, 'fixtures/recordings');

const EXPECTED_FRAMES: Record<string, number> = {
  'idle.ftr': 60,
  'fragmentation-compaction.ftr': 49,
  'k8s-order6-incident.ftr': 120,
  'pageblock-map-events.ftr': 49,
};

async function withRecording<T>(name: string, use: (recording: Recording) => T): Promise<T> {
  const recording = await openRecording(join(recordingsDir, name));
  try {
    return use(recording);
  } finally {
    recording.close();
  }
}

/** Free blocks of order >= 6 in one zone of frame i's buddyinfo. */
function highOrderBlocks(recording: Recording, i: number, node: number, zone: string): number {
  const read = recording.frameAt(i).files.buddyinfo;
  if (!read?.ok) throw new Error(`frame ${i} has no buddyinfo`);
  const row = parseBuddyInfo(read.text).value.zones.find((z) => z.node === node && z.zone === zone);
  return (row?.freeBlocksByOrder ?? []).slice(6).reduce((sum, n) => sum + n, 0);
}

describe('fixtures/recordings', () => {
  it('holds exactly the recordings this test knows, each under 1 MB', () => {
    const files = readdirSync(recordingsDir).filter((name) => name.endsWith('.ftr'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED_FRAMES).sort());
    for (const name of files) expect(statSync(join(recordingsDir, name)).size).toBeLessThan(1_000_000);
  });

  for (const [name, frames] of Object.entries(EXPECTED_FRAMES)) {
    it(`${name} opens without warnings, with ${frames} frames that all decode`, async () => {
      await withRecording(name, (recording) => {
        expect(recording.warnings).toEqual([]);
        expect(recording.frameCount).toBe(frames);
        for (let i = 0; i < recording.frameCount; i++) {
          const frame = recording.frameAt(i);
          expect(frame.timeMs).toBe(recording.timeOf(i));
          expect(frame.files.buddyinfo?.ok).toBe(true);
        }
      });
    });
  }

  it('idle.ftr and fragmentation-compaction.ftr are of this 6.18 machine at 1 s and 500 ms', async () => {
    await withRecording('idle.ftr', (recording) => {
      expect(recording.header).toMatchObject({ kernel: '6.18.44-fc-v595', pageSize: 4096, intervalMs: 1000 });
    });
    await withRecording('fragmentation-compaction.ftr', (recording) => {
      expect(recording.header).toMatchObject({ kernel: '6.18.44-fc-v595', pageSize: 4096, intervalMs: 500 });
    });
  });

  it('fragmentation-compaction.ftr shows the Normal zone losing its large blocks, compaction, and recovery', async () => {
    await withRecording('fragmentation-compaction.ftr', (recording) => {
      const series = Array.from({ length: recording.frameCount }, (_, i) =>
        highOrderBlocks(recording, i, 0, 'Normal'),
      );
      const first = series[0] ?? 0;
      const lowest = Math.min(...series);
      const lowestAt = series.indexOf(lowest);
      // As measured while recording (ABOUT.md): about 1069 blocks before, 78 while fragmented.
      expect(lowest).toBeLessThan(first / 4);
      // After compaction and after the fragmenter exits, most come back.
      const after = series.slice(lowestAt);
      expect(Math.max(...after)).toBeGreaterThan(first / 2);
      expect(after.some((n) => n > lowest * 3 && n < first / 2)).toBe(true);
    });
  });

  describe('k8s-order6-incident.ftr', () => {
    const failureLine = 'Nov 12 15:15:41 kernel: exe: page allocation failure: order:6, mode:0x10c0d0';
    // The report's per-order lines (fixtures/centos7-numa-k8s/dmesg.txt), typed in by hand:
    // "Node 0 DMA32: 19160*4kB (UEM) 6346*8kB (UEM) 35*16kB (EM) 7*32kB (E) 0*64kB … = 128192kB" and so on.
    const REPORT_BLOCKS: Record<string, number[]> = {
      DMA: [1, 0, 0, 1, 2, 1, 1, 0, 1, 1, 3],
      DMA32: [19160, 6346, 35, 7, 0, 0, 0, 0, 0, 0, 0],
      Normal: [34178, 20118, 412, 115, 46, 6, 0, 0, 0, 0, 0],
    };
    // The report's totals of those lines (15908kB, 128192kB, 311640kB) in 4 KiB pages.
    const REPORT_FREE_PAGES: Record<string, number> = { DMA: 3977, DMA32: 32048, Normal: 77910 };
    /** First frame holding the report's state, and the frame whose log lines hold the report (ABOUT.md). */
    const FRAGMENTED_FRAME = 104;
    const REPORT_FRAME = 105;

    const buddyOf = (recording: Recording, i: number): BuddyZone[] => {
      const read = recording.frameAt(i).files.buddyinfo;
      if (!read?.ok) throw new Error(`frame ${i} has no buddyinfo`);
      return parseBuddyInfo(read.text).value.zones;
    };
    const zoneinfoOf = (recording: Recording, i: number): ZoneInfoZone[] => {
      const read = recording.frameAt(i).files.zoneinfo;
      if (!read?.ok) throw new Error(`frame ${i} has no zoneinfo`);
      const parsed = parseZoneInfo(read.text);
      expect(parsed.problems).toEqual([]);
      return parsed.value.zones;
    };
    const pagesOf = (blocks: readonly number[]): number => blocks.reduce((sum, n, o) => sum + n * 2 ** o, 0);
    const verdictAt = (recording: Recording, i: number) =>
      diagnoseSnapshot(buildSnapshot(recording.frameAt(i)), 6);

    it('is a 3.10.0-514 node at 1 s, 120 s long, with the report in the frame after the fragmented state', async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        const last = recording.frameCount - 1;
        expect(recording.header).toMatchObject({
          host: 'k8s-node',
          kernel: '3.10.0-514.el7.x86_64',
          pageSize: 4096,
          intervalMs: 1000,
        });
        expect(recording.timeOf(last) - recording.timeOf(0)).toBe(119_000);
        // The report's syslog time, Nov 12 15:15:41, taken as 2018 UTC (ABOUT.md), plus 0.2 s.
        expect(recording.timeOf(REPORT_FRAME)).toBe(Date.UTC(2018, 10, 12, 15, 15, 41, 200));

        const report = readFileSync(join(repoRoot, 'fixtures/centos7-numa-k8s/dmesg.txt'), 'utf8')
          .replace(/\n$/, '')
          .split('\n');
        expect(report[0]).toBe(failureLine);
        expect(recording.logLinesUpTo(REPORT_FRAME - 1)).toEqual([]);
        expect(recording.logLinesUpTo(REPORT_FRAME)).toEqual(report);
        const lines = recording.logLinesUpTo(last);
        expect(lines).toContain(failureLine);
        const kubelet = lines.slice(report.length);
        expect(recording.logLinesUpTo(REPORT_FRAME + 1)).toEqual(lines);
        expect(kubelet).toHaveLength(5);
        expect(kubelet.every((line) => line.startsWith('Nov 12 15:15:42 dc05 kubelet: '))).toBe(true);
        expect(
          kubelet.some((line) => line.includes('E1112 15:15:42') && line.includes('RunPodSandbox')),
        ).toBe(true);
        const failures = enrichFailures(parseAllocFailures(lines)).value.failures;
        expect(failures.map((f) => [f.kind, f.order, f.mode])).toEqual([
          ['page-allocation-failure', 6, '0x10c0d0'],
        ]);
        expect(failures[0]?.traceModules).toContain('nf_conntrack');
      });
    });

    it("holds the report's per-order state from frame 104 on, and a healthier one before", async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        for (const [zone, blocks] of Object.entries(REPORT_BLOCKS))
          expect(pagesOf(blocks)).toBe(REPORT_FREE_PAGES[zone]);
        const reportZones = Object.entries(REPORT_BLOCKS).map(([zone, freeBlocksByOrder]) => ({
          node: 0,
          zone,
          freeBlocksByOrder,
        }));
        for (let i = FRAGMENTED_FRAME; i < recording.frameCount; i++)
          expect(buddyOf(recording, i)).toEqual(reportZones);
        expect(buddyOf(recording, FRAGMENTED_FRAME - 1)).not.toEqual(reportZones);

        // Frame 0: most free pages of DMA32 and Normal are in blocks of order >= 6, and Normal has order-10 blocks.
        for (const zone of buddyOf(recording, 0).filter((z) => z.zone !== 'DMA')) {
          const high = pagesOf(zone.freeBlocksByOrder.map((n, o) => (o >= 6 ? n : 0)));
          expect(high / pagesOf(zone.freeBlocksByOrder)).toBeGreaterThan(0.7);
        }
        expect(buddyOf(recording, 0).find((z) => z.zone === 'Normal')?.freeBlocksByOrder[10]).toBeGreaterThan(
          0,
        );
      });
    });

    it('keeps buddyinfo, zoneinfo pages free and nr_free_pages equal to the report free pages in every frame', async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        for (let i = 0; i < recording.frameCount; i++) {
          const zoneinfo = zoneinfoOf(recording, i);
          const buddy = buddyOf(recording, i);
          expect(zoneinfo.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
          expect(buddy.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
          for (const zone of buddy) {
            const info = zoneinfo.find((z) => z.zone === zone.zone);
            const free = pagesOf(zone.freeBlocksByOrder);
            expect(free).toBe(REPORT_FREE_PAGES[zone.zone]);
            expect(info?.pagesFree).toBe(free);
            expect(info?.stats['nr_free_pages']).toBe(free);
          }
        }
      });
    });

    it("has the report's watermarks, sizes and lowmem reserves in zoneinfo, in pages", async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        const zones = zoneinfoOf(recording, recording.frameCount - 1);
        const pick = (z: ZoneInfoZone | undefined) =>
          z && [
            z.watermarkMinPages,
            z.watermarkLowPages,
            z.watermarkHighPages,
            z.presentPages,
            z.managedPages,
          ];
        // kB / 4: "Node 0 DMA free:15908kB min:64kB low:80kB high:96kB … present:15992kB managed:15908kB".
        expect(pick(zones[0])).toEqual([16, 20, 24, 3998, 3977]);
        // "min:11976kB low:14968kB high:17964kB … present:3129212kB managed:2884472kB".
        expect(pick(zones[1])).toEqual([2994, 3742, 4491, 782303, 721118]);
        // "min:55536kB low:69420kB high:83304kB … present:13631488kB managed:13367020kB".
        expect(pick(zones[2])).toEqual([13884, 17355, 20826, 3407872, 3341755]);
        // The report's "lowmem_reserve[]:" lines.
        expect(zones.map((z) => z.protection)).toEqual([
          [0, 2815, 15868, 15868],
          [0, 0, 13053, 13053],
          [0, 0, 0, 0],
        ]);
        // Zone counters add up to the report's node-wide Mem-Info line: "slab_unreclaimable:1709086", "mapped:17698".
        const sum = (key: string): number => zones.reduce((total, z) => total + (z.stats[key] ?? 0), 0);
        expect(sum('nr_slab_unreclaimable')).toBe(1709086);
        expect(sum('nr_mapped')).toBe(17698);
      });
    });

    it('records pagetypeinfo, vmstat and meminfo as missing, and grows the nf_conntrack caches', async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        const last = recording.frameCount - 1;
        for (let i = 0; i < recording.frameCount; i++)
          for (const name of ['pagetypeinfo', 'vmstat', 'meminfo'] as const)
            expect(recording.frameAt(i).files[name]).toMatchObject({ ok: false, reason: 'missing' });
        const conntrack = (i: number): string[] => {
          const read = recording.frameAt(i).files.slabinfo;
          return read?.ok
            ? parseSlabInfo(read.text)
                .value.caches.filter((c) => c.name.startsWith('nf_conntrack'))
                .map((c) => `${c.name} ${c.numSlabs}`)
            : [];
        };
        expect(conntrack(0)).toEqual(['nf_conntrack_ffffffff81a25e00 4']);
        expect(conntrack(last).sort()).toEqual([
          'nf_conntrack_ffff881026e50000 0',
          'nf_conntrack_ffff881026e52400 0',
          'nf_conntrack_ffffffff81a25e00 32',
        ]);
      });
    });

    it('diagnoses order 6 as ok at frame 0 and as fragmentation from the fragmented state on', async () => {
      await withRecording('k8s-order6-incident.ftr', (recording) => {
        const last = recording.frameCount - 1;
        // Pre-4.4 check (3.10) of Normal at frame 0 (1710 1818 885 426 205 98 47 23 12 6 46): 77910 − 63 = 77847 > min 13884;
        // taking away the pages of orders 0..5 leaves 76137, 72501, 68961, 65553, 62273, 59137, each above
        // min halved each step (6942, 3471, 1735, 867, 433, 216): it passes.
        const first = verdictAt(recording, 0);
        expect(first?.verdict).toBe('ok');
        expect(first?.zonesOk).toContainEqual({ node: 0, zone: 'Normal' });
        // The report's state, Normal: 77847 > 13884; − 34178 = 43669 > 6942; − 2×20118 = 3433 ≤ 3471: fails.
        // DMA32: 31985 > 2994 + 13053; − 19160 = 12825 > 1497; − 2×6346 = 133 ≤ 748: fails.
        // DMA: 3977 − 63 = 3914 ≤ 16 + 15868 (its reserve against Normal requests): fails, for lack of memory.
        // Fragmentation index of Normal: 1000 − (1000 + 77910·1000/64) / 54875 = 978 ≥ 500.
        const end = verdictAt(recording, last);
        expect(end?.verdict).toBe('fragmentation');
        expect(end?.zones.map((z) => [z.zone, z.canAllocate, z.cause])).toEqual([
          ['DMA', false, 'low-memory'],
          ['DMA32', false, 'fragmentation'],
          ['Normal', false, 'fragmentation'],
        ]);
        expect(end?.zones.find((z) => z.zone === 'Normal')?.fragmentationIndex).toBe(978);
        // Once the check fails it keeps failing, and it fails before the report arrives.
        const verdicts = Array.from(
          { length: recording.frameCount },
          (_, i) => verdictAt(recording, i)?.verdict,
        );
        const firstFragmented = verdicts.indexOf('fragmentation');
        expect(firstFragmented).toBeGreaterThan(0);
        expect(firstFragmented).toBeLessThanOrEqual(FRAGMENTED_FRAME);
        expect(verdicts.slice(0, firstFragmented).every((v) => v === 'ok')).toBe(true);
        expect(verdicts.slice(firstFragmented).every((v) => v === 'fragmentation')).toBe(true);
      });
    });
  });
});
