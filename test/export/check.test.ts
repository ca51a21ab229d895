// Tests fragtop check: the one-line verdict and exit code of the node-problem-detector contract.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { checkSnapshot, NPD_MESSAGE_BYTES } from '../../src/export/check.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fixtureFrame, fixturePath } from '../helpers/frames.js';

// centos7-numa-k8s buddyinfo, order-6 blocks per zone (Σ_{o≥6} n[o]·2^(o−6)):
//   DMA    1 + 0 + 1·4 + 1·8 + 3·16 = 61 (fails the check: its lowmem reserve is larger than its free pages)
//   DMA32  403 + 241·2 + 149·4 = 1481
//   Normal#0 176 + 5550·2 + 5297·4 = 32464;  Normal#1 185 + 69·2 + 1147·4 = 4911
const usable = 1481 + 32464 + 4911;

describe('fragtop check', () => {
  const snapshot = buildSnapshot(fixtureFrame('centos7-numa-k8s'));

  it('is ok (0) when the zones that pass the check hold at least K order-N blocks: the verdict first', () => {
    expect(checkSnapshot(snapshot, 6, usable)).toMatchObject({
      exitCode: 0,
      line: `order6 OK: ${usable} blocks (want ${usable})`,
    });
  });

  it('is a problem (1) below K: the verdict, the count and the first thing to do; the reason in the details', () => {
    const result = checkSnapshot(snapshot, 6, usable + 1);
    expect(result.exitCode).toBe(1);
    expect(result.line).toBe(`order6 SHORT: ${usable} blocks (want ${usable + 1})`);
    expect(result.details[0]).toMatch(/^Order 6 \(256 KiB\) can be served by/);
    const nine = checkSnapshot(snapshot, 9, 1);
    expect(nine.exitCode).toBe(1);
    expect(nine.line).toBe('order9 FRAG: 0 blocks (want 1); compact');
    expect(nine.details[0]).toMatch(/^No zone can serve order 9 \(2 MiB\) \(fragmentation\)/);
  });

  it('is unknown (2) without buddyinfo or for an order the kernel lacks', () => {
    const empty = buildSnapshot({ ...fixtureFrame('centos7-numa-k8s'), files: {} });
    expect(checkSnapshot(empty, 6, 1)).toMatchObject({
      exitCode: 2,
      line: 'order6 UNKNOWN: buddyinfo not captured',
    });
    expect(checkSnapshot(snapshot, 11, 1)).toMatchObject({
      exitCode: 2,
      line: 'order11 UNKNOWN: order 11 does not exist on this kernel (orders 0-10)',
    });
  });

  it('keeps every verdict of every fixture within 80 bytes of ASCII, the verdict first', () => {
    const fixtures = readdirSync(fixturePath()).filter((name) => existsSync(fixturePath(name, 'proc')));
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    const seen = new Set<number>();
    for (const name of fixtures) {
      const fixture = buildSnapshot(fixtureFrame(name));
      for (let order = 0; order <= 14; order++)
        for (const minBlocks of [0, 1, 64, 1_000_000_000])
          for (const reads of [{}, { listsUnread: true }]) {
            const { line, exitCode } = checkSnapshot(fixture, order, minBlocks, reads);
            seen.add(exitCode);
            expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(NPD_MESSAGE_BYTES);
            expect(line).toMatch(new RegExp(`^order${order} (OK|SHORT|FRAG|LOWMEM|UNKNOWN): `));
            expect(line).toMatch(/^[\x20-\x7e]*$/);
          }
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('says so when the lists holding the blocks could not be read, or the kernel log', () => {
    const result = checkSnapshot(snapshot, 6, 1, {
      listsUnread: true,
      kernelLog: { state: 'unreadable', source: '/dev/kmsg', reason: 'EPERM' },
    });
    expect(result.line).toBe(`order6 OK: ${usable} blocks (want 1), lists unread, kmsg unread`);
    expect(result.details).toContain('kernel log not read (EPERM): allocation failures unknown');
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
    expect(result.line).toMatch(/^order6 UNKNOWN: Room for \d+ order-6 blocks/);
    expect(result.details[0]).toMatch(/without zoneinfo watermarks the check cannot run/);
  });

  it('is unknown (2) when buddyinfo is cut short or lists a zone twice, never a doubled count', () => {
    const buddy = readFileSync(fixturePath('live-6.18', 'proc', 'buddyinfo'), 'utf8');
    const normal = buddy.split('\n').find((line) => line.includes('Normal'))!;
    for (const text of [buddy.slice(0, -30), `${buddy}${normal}\n`]) {
      const result = checkSnapshot(live({ buddyinfo: text }), 6, 1);
      expect(result.exitCode).toBe(2);
      expect(result.line).toMatch(/^order6 UNKNOWN: Cannot judge order 6 \(256 KiB\): buddyinfo is not/);
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
