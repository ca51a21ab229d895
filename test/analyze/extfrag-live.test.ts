// Live check: our indices equal the running kernel's debugfs extfrag files, zone by zone and order by order.
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import {
  fragmentationIndex,
  indexPerOrder,
  parseDebugfsExtfrag,
  unusableIndex,
} from '../../src/analyze/fragmentation-index.js';

const DEBUGFS = '/sys/kernel/debug';
const UNUSABLE = `${DEBUGFS}/extfrag/unusable_index`;
const EXTFRAG = `${DEBUGFS}/extfrag/extfrag_index`;

let mountedHere = false;

/** Makes the extfrag files reachable, mounting debugfs when root and it is not mounted; else why not. */
function prepare(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: debugfs extfrag files are root-only';
  if (!existsSync('/proc/buddyinfo')) return 'no /proc/buddyinfo on this system';
  if (!existsSync(UNUSABLE)) {
    const mounts = readFileSync('/proc/mounts', 'utf8');
    if (!mounts.split('\n').some((l) => l.split(' ')[1] === DEBUGFS)) {
      try {
        execFileSync('mount', ['-t', 'debugfs', 'none', DEBUGFS], { stdio: 'ignore' });
        mountedHere = true;
      } catch {
        return `could not mount debugfs on ${DEBUGFS}`;
      }
    }
  }
  if (!existsSync(UNUSABLE) || !existsSync(EXTFRAG))
    return 'debugfs has no extfrag files (kernel without CONFIG_COMPACTION?)';
  return undefined;
}

afterAll(() => {
  if (mountedHere) execFileSync('umount', [DEBUGFS], { stdio: 'ignore' });
});

function buddyZones(text: string): { key: string; free: number[] }[] {
  return text
    .split('\n')
    .map((l) => /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ key: `${m[1]}/${m[2]}`, free: (m[3] ?? '').trim().split(/\s+/).map(Number) }));
}

interface Snapshot {
  buddy: string;
  unusable: string;
  extfrag: string;
}

/** Reads the three files until buddyinfo is the same before and after the debugfs reads. */
function stableSnapshot(): Snapshot | undefined {
  for (let attempt = 0; attempt < 500; attempt++) {
    const before = readFileSync('/proc/buddyinfo', 'utf8');
    const unusable = readFileSync(UNUSABLE, 'utf8');
    const extfrag = readFileSync(EXTFRAG, 'utf8');
    const after = readFileSync('/proc/buddyinfo', 'utf8');
    if (before === after) return { buddy: before, unusable, extfrag };
  }
  return undefined;
}

function compare(s: Snapshot): { expected: unknown; actual: unknown } {
  const zones = buddyZones(s.buddy);
  const unusable = parseDebugfsExtfrag(s.unusable, 'unusable_index');
  const extfrag = parseDebugfsExtfrag(s.extfrag, 'extfrag_index');
  const actual = {
    problems: [...unusable.problems, ...extfrag.problems],
    unusable: Object.fromEntries(unusable.value.map((z) => [`${z.node}/${z.zone}`, z.kernelValues])),
    extfrag: Object.fromEntries(extfrag.value.map((z) => [`${z.node}/${z.zone}`, z.kernelValues])),
  };
  const expected = {
    problems: [],
    unusable: Object.fromEntries(zones.map((z) => [z.key, indexPerOrder(z.free, unusableIndex)])),
    extfrag: Object.fromEntries(zones.map((z) => [z.key, indexPerOrder(z.free, fragmentationIndex)])),
  };
  return { expected, actual };
}

describe('debugfs extfrag on this machine', () => {
  it('equals our unusable and fragmentation indices for every zone and order', (ctx) => {
    const skipReason = prepare();
    if (skipReason !== undefined) {
      ctx.skip(skipReason);
      return;
    }
    // A page freed and reallocated between reads (A→B→A) can still slip through; allow a few stable tries.
    let last: { expected: unknown; actual: unknown } | undefined;
    for (let tries = 0; tries < 5; tries++) {
      const snapshot = stableSnapshot();
      if (snapshot === undefined) {
        ctx.skip('buddyinfo never held still across the debugfs reads');
        return;
      }
      last = compare(snapshot);
      if (JSON.stringify(last.expected) === JSON.stringify(last.actual)) break;
    }
    expect(last?.actual).toEqual(last?.expected);
    // The comparison covered real zones, each with as many orders as buddyinfo has.
    expect(Object.keys((last?.expected as { unusable: object }).unusable).length).toBeGreaterThan(0);
  });
});
