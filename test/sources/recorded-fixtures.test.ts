// Checks the bundled recordings in fixtures/recordings: they open cleanly and hold what their ABOUT.md says.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllocFailures } from '../../src/parse/alloc-failure.js';
import { parseBuddyInfo } from '../../src/parse/buddyinfo.js';
import { openRecording, type Recording } from '../../src/sources/recording-reader.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const recordingsDir = join(repoRoot, 'fixtures/recordings');

const EXPECTED_FRAMES: Record<string, number> = {
  'idle.ftr': 60,
  'fragmentation-compaction.ftr': 49,
  'k8s-order6-incident.ftr': 120,
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

  it('k8s-order6-incident.ftr ends in the sampled buddyinfo with the order-6 report in its last frames', async () => {
    await withRecording('k8s-order6-incident.ftr', (recording) => {
      const last = recording.frameCount - 1;
      expect(recording.header).toMatchObject({
        host: 'k8s-node',
        kernel: '3.10.0-1160.49.1.el7.x86_64',
        pageSize: 4096,
        intervalMs: 1000,
      });
      expect(recording.timeOf(last) - recording.timeOf(0)).toBe(119_000);

      const sample = readFileSync(join(repoRoot, 'fixtures/centos7-numa-k8s/proc/buddyinfo'), 'utf8');
      const lastBuddy = recording.frameAt(last).files.buddyinfo;
      expect(lastBuddy?.ok && parseBuddyInfo(lastBuddy.text).value).toEqual(parseBuddyInfo(sample).value);
      // The start was healthier: node 0 Normal had order 9 and 10 blocks, which the sample has none of.
      const firstBuddy = recording.frameAt(0).files.buddyinfo;
      const firstNormal = firstBuddy?.ok
        ? parseBuddyInfo(firstBuddy.text).value.zones.find((z) => z.node === 0 && z.zone === 'Normal')
        : undefined;
      expect(firstNormal?.freeBlocksByOrder[10]).toBeGreaterThan(0);

      const report = readFileSync(join(repoRoot, 'fixtures/centos7-numa-k8s/dmesg.txt'), 'utf8');
      const failureLine = 'Nov 12 15:15:41 kernel: exe: page allocation failure: order:6, mode:0x10c0d0';
      expect(report.split('\n')[0]).toBe(failureLine);
      // The report arrives within the last 15 frames, not before.
      expect(recording.logLinesUpTo(last - 15)).toEqual([]);
      const lines = recording.logLinesUpTo(last);
      expect(lines).toContain(failureLine);
      expect(
        lines.some((line) => line.includes('kubelet: E1112 15:15:42') && line.includes('RunPodSandbox')),
      ).toBe(true);
      const failures = parseAllocFailures(lines).value.failures;
      expect(failures.map((f) => [f.kind, f.order, f.mode])).toEqual([
        ['page-allocation-failure', 6, '0x10c0d0'],
      ]);
      expect(failures[0]?.traceModules).toContain('nf_conntrack');
    });
  });
});
