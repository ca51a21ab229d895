// On this machine, as root: fragment memory, then compact and drop caches from the live screen and read the measured effect.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fragmenterUnavailable, startFragmenter, type Fragmenter } from '../helpers/fragmenter.js';
import { BIN, exitStatus, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const isRoot = process.getuid?.() === 0;
const fragmenterWhy = fragmenterUnavailable();
const reason = !isRoot
  ? 'needs root to write /proc/sys/vm'
  : !HAS_TMUX
    ? 'tmux is not installed'
    : !HAS_BUILD
      ? 'run npm run build first'
      : fragmenterWhy;
const skip = reason !== null;
const why = reason ? ` (skipped: ${reason})` : '';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function vmstat(): Record<string, number> {
  return Object.fromEntries(
    readFileSync('/proc/vmstat', 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([name, value]) => [name, Number(value)]),
  );
}

function startScreen(): TmuxSession {
  const session = new TmuxSession(`node ${BIN} --order 6`, { columns: 130, rows: 45 });
  cleanups.push(() => session.kill());
  return session;
}

describe('remediation on this machine', () => {
  it.skipIf(skip)(
    `c then y compacts a fragmented machine: the scanners move and the screen measures order-6 blocks per zone before → after${why}`,
    async () => {
      const fragmenter: Fragmenter = await startFragmenter(2048);
      cleanups.push(() => fragmenter.stop());
      const session = startScreen();
      await session.waitFor((s) => s.includes('Free blocks by order'));
      const before = vmstat();
      session.send('c');
      await session.waitFor((s) => s.includes('[y/N]') && s.includes('compact_memory'));
      session.send('y');
      const result = await session.waitFor((s) => s.includes('any key closes'), 60_000);
      const after = vmstat();
      // The kernel really ran compaction: its scanners moved. Whether the order-6 count grows depends on
      // this machine's history (compaction may migrate the fragmenter's pages into blocks that were
      // already free), so the test asserts what compaction must do and what the screen must measure.
      expect(after['compact_migrate_scanned']! + after['compact_free_scanned']!).toBeGreaterThan(
        before['compact_migrate_scanned']! + before['compact_free_scanned']!,
      );
      expect(result).toMatch(/counters: .*compact_(migrate|free)_scanned \+[\d,]+/);
      const count = (text: string) => Number(text.replace(/,/g, ''));
      const summary = /order ≥6 blocks ([\d,]+) → ([\d,]+)/.exec(result);
      expect(summary, result).not.toBeNull();
      const zoneRows = [
        ...result.matchAll(
          /\d+ (?:DMA|DMA32|Normal|Movable|HighMem)\s+([\d,]+) → ([\d,]+) \(([+-][\d,]+)\)/g,
        ),
      ];
      expect(zoneRows.map((row) => row[0]).join('\n'), result).toMatch(/0 Normal/);
      for (const [, zoneBefore, zoneAfter, delta] of zoneRows)
        expect(count(zoneAfter!) - count(zoneBefore!)).toBe(count(delta!));
      // The summary counts the blocks of zones that can serve order 6: a part of all the zones' blocks.
      expect(zoneRows.reduce((sum, row) => sum + count(row[1]!), 0)).toBeGreaterThanOrEqual(
        count(summary![1]!),
      );
      expect(zoneRows.reduce((sum, row) => sum + count(row[2]!), 0)).toBeGreaterThanOrEqual(
        count(summary![2]!),
      );
      session.send('Escape');
      await session.waitFor((s) => s.includes('Free blocks by order'));
      session.send('q');
      expect(exitStatus(await session.waitFor((s) => exitStatus(s) !== null))).toBe(0);
    },
    120_000,
  );

  it.skipIf(skip)(
    `d 1 y drops the page cache and the screen says how much memory came back${why}`,
    async () => {
      // 256 MiB of file data, just written: it sits in the page cache.
      const file = join(tmpdir(), `fragtop-cache-${process.pid}`);
      cleanups.push(() => rmSync(file, { force: true }));
      const fd = openSync(file, 'w');
      const chunk = Buffer.alloc(1 << 20, 7);
      for (let i = 0; i < 256; i++) writeSync(fd, chunk);
      closeSync(fd);
      const session = startScreen();
      await session.waitFor((s) => s.includes('Free blocks by order'));
      session.send('d');
      await session.waitFor((s) => s.includes('Drop which caches?'));
      session.send('1');
      await session.waitFor((s) => s.includes('[y/N]') && s.includes('drop_caches'));
      session.send('y');
      const result = await session.waitFor((s) => s.includes('any key closes'), 60_000);
      const cached = /cached ([\d.]+[KMGT]?) → ([\d.]+[KMGT]?) \((-[\d.]+[KMGT]?)\)/.exec(result);
      expect(cached, result).not.toBeNull();
      const free = /memory free ([\d.]+[KMGT]?) → ([\d.]+[KMGT]?) \(\+([\d.]+[KMGT]?)\)/.exec(result);
      expect(free, result).not.toBeNull();
      expect(result).toContain('drop_pagecache +1');
      session.send('q');
      session.send('q');
      expect(exitStatus(await session.waitFor((s) => exitStatus(s) !== null))).toBe(0);
    },
    120_000,
  );
});
