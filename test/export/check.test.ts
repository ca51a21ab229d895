// Tests fragtop check: the one-line verdict and exit code of the node-problem-detector contract.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { checkSnapshot } from '../../src/export/check.js';
import { readFileSync } from 'node:fs';
import { fixtureFrame, fixturePath } from '../helpers/frames.js';

// centos7-numa-k8s buddyinfo, order-6 blocks per zone (Σ_{o≥6} n[o]·2^(o−6)):
//   DMA    1 + 0 + 1·4 + 1·8 + 3·16 = 61 (fails the check: its lowmem reserve is larger than its free pages)
//   DMA32  403 + 241·2 + 149·4 = 1481
//   Normal#0 176 + 5550·2 + 5297·4 = 32464;  Normal#1 185 + 69·2 + 1147·4 = 4911
const usable = 1481 + 32464 + 4911;

describe('fragtop check', () => {
  const snapshot = buildSnapshot(fixtureFrame('centos7-numa-k8s'));

  it('is ok (0) when the zones that pass the check hold at least K order-N blocks', () => {
    expect(checkSnapshot(snapshot, 6, usable)).toEqual({
      exitCode: 0,
      line: `ok: ${usable} order-6 blocks available (at least ${usable} wanted)`,
    });
  });

  it('is a problem (1) below K, with the diagnosis as the reason', () => {
    const result = checkSnapshot(snapshot, 6, usable + 1);
    expect(result.exitCode).toBe(1);
    expect(
      result.line.startsWith(`order-6 blocks ${usable} < ${usable + 1}: Order 6 (256 KiB) can be served by`),
    ).toBe(true);
    const nine = checkSnapshot(snapshot, 9, 1);
    expect(nine.exitCode).toBe(1);
    expect(nine.line).toMatch(/^order-9 blocks 0 < 1: No zone can serve order 9 \(2 MiB\) \(fragmentation\)/);
  });

  it('is unknown (2) without buddyinfo or for an order the kernel lacks', () => {
    const empty = buildSnapshot({ ...fixtureFrame('centos7-numa-k8s'), files: {} });
    expect(checkSnapshot(empty, 6, 1)).toEqual({ exitCode: 2, line: 'unknown: buddyinfo not captured' });
    expect(checkSnapshot(snapshot, 11, 1)).toEqual({
      exitCode: 2,
      line: 'unknown: order 11 does not exist on this kernel (orders 0-10)',
    });
  });

  const live = (files: Record<string, string>) => {
    const frame = fixtureFrame('live-6.18');
    const reads = { ...frame.files };
    for (const [name, text] of Object.entries(files))
      reads[name as keyof typeof reads] = { ok: true, text, readMs: 0.1, readAtMs: frame.timeMs };
    return buildSnapshot({ ...frame, files: reads });
  };

  it('is unknown (2), not ok, when zoneinfo is empty: no zone can be checked', () => {
    const result = checkSnapshot(live({ zoneinfo: '' }), 6, 1);
    expect(result.exitCode).toBe(2);
    expect(result.line).toMatch(
      /^unknown: Room for \d+ order-6 blocks .* without zoneinfo watermarks the check cannot run/,
    );
  });

  it('is unknown (2) when buddyinfo is cut short or lists a zone twice, never a doubled count', () => {
    const buddy = readFileSync(fixturePath('live-6.18', 'proc', 'buddyinfo'), 'utf8');
    const normal = buddy.split('\n').find((line) => line.includes('Normal'))!;
    for (const text of [buddy.slice(0, -30), `${buddy}${normal}\n`]) {
      const result = checkSnapshot(live({ buddyinfo: text }), 6, 1);
      expect(result.exitCode).toBe(2);
      expect(result.line).toMatch(
        /^unknown: Cannot judge order 6 \(256 KiB\): buddyinfo is not what a kernel prints/,
      );
    }
  });

  it('does not read pagetypeinfo with orders buddyinfo lacks: no false low-memory', () => {
    const pagetypeinfo = readFileSync(fixturePath('live-6.18', 'proc', 'pagetypeinfo'), 'utf8').replace(
      /^(Node\s+\d+, zone\s+\S+, type\s+\S+.*)$/gm,
      '$1      0      0',
    );
    const snapshot = live({ pagetypeinfo });
    expect(snapshot.unavailable.pagetypeinfo).toMatch(/lists 13 orders .* but buddyinfo 11: not used/);
    expect(checkSnapshot(snapshot, 6, 1)).toEqual(checkSnapshot(live({}), 6, 1));
  });
});
