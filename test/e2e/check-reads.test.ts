// Tests that fragtop check reads only what its verdict needs: never slabinfo, and pagetypeinfo (which the kernel
// prints with interrupts off) only for an ok on a 4.4+ kernel. File access times tell what the real binary read.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

/** Whether reading a file here moves its access time (not on a noatime mount). */
function atimeMoves(): boolean {
  const probe = join(mkdtempSync(join(tmpdir(), 'fragtop-atime-')), 'probe');
  writeFileSync(probe, 'x');
  utimesSync(probe, new Date('2000-01-01'), new Date());
  readFileSync(probe);
  return statSync(probe).atimeMs > new Date('2001-01-01').getTime();
}

const moves = atimeMoves();
const why = !HAS_BUILD
  ? ' (skipped: run npm run build first)'
  : !moves
    ? ' (skipped: this file system does not record access times)'
    : '';

/** A copy of a fixture whose slabinfo and pagetypeinfo carry an access time of 2000. */
function agedCopy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fragtop-check-${name}-`));
  cpSync(fixturePath(name, 'proc'), join(dir, 'proc'), { recursive: true });
  for (const file of ['slabinfo', 'pagetypeinfo'])
    utimesSync(join(dir, 'proc', file), new Date('2000-01-01'), new Date('2000-01-02'));
  return join(dir, 'proc');
}

const read = (root: string, file: string) =>
  statSync(join(root, file)).atimeMs > new Date('2001-01-01').getTime();

function check(root: string, order: number, minBlocks = 1) {
  return spawnSync(
    'node',
    [BIN, 'check', '--order', String(order), '--min-blocks', String(minBlocks), '--proc-root', root],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
}

describe.skipIf(!HAS_BUILD || !moves)(`what fragtop check reads${why}`, () => {
  it('an ok on a 4.4+ kernel reads pagetypeinfo (the blocks may be HighAtomic or CMA), never slabinfo', () => {
    const root = agedCopy('live-6.18');
    expect(check(root, 6).stdout).toMatch(/^order6 OK: /);
    expect(read(root, 'pagetypeinfo')).toBe(true);
    expect(read(root, 'slabinfo')).toBe(false);
  });

  it('a problem reads neither: pagetypeinfo could only take blocks away', () => {
    const root = agedCopy('live-6.18');
    const result = check(root, 6, 1_000_000_000);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^order6 SHORT: /);
    expect(read(root, 'pagetypeinfo')).toBe(false);
    expect(read(root, 'slabinfo')).toBe(false);
  });

  it('an ok on a pre-4.4 kernel reads neither: its check does not look at the lists', () => {
    const root = agedCopy('ubuntu-3.2');
    expect(check(root, 0).stdout).toMatch(/^order0 OK: /);
    expect(read(root, 'pagetypeinfo')).toBe(false);
    expect(read(root, 'slabinfo')).toBe(false);
  });
});
