// Tests fragtop check: the one-line verdict and exit code of the node-problem-detector contract.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { checkSnapshot } from '../../src/export/check.js';
import { fixtureFrame } from '../helpers/frames.js';

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
});
