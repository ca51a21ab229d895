// Tests that `check` answers from buddyinfo, zoneinfo and meminfo, reads pagetypeinfo only when it can change the
// answer (giving the same line as a check that always reads it), and never opens slabinfo.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { orderVerdict } from '../../src/analyze/order-verdict.js';
import { pagetypeinfoMatters } from '../../src/analyze/pagetypeinfo-need.js';
import { runCheck } from '../../src/cli/run-check.js';
import { parseArgs } from '../../src/cli/parse-args.js';
import { checkSnapshot } from '../../src/export/check.js';
import { fixtureFrame, fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const FIXTURES = readdirSync(fixturePath()).filter((name) =>
  existsSync(fixturePath(name, 'proc', 'buddyinfo')),
);

async function checkLine(args: string[]): Promise<{ code: number; line: string }> {
  const parsed = parseArgs(['check', ...args]);
  if (parsed.kind !== 'run') throw new Error(`bad arguments: ${args.join(' ')}`);
  let out = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const code = await runCheck(parsed.options, stdout);
  return { code, line: out };
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const LONG_AGO = new Date('2000-01-01T00:00:00Z');

/** A copy of a fixture's proc tree whose files were last read long ago: reading one moves its access time (relatime). */
function procRootReadLongAgo(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fragtop-check-'));
  scratch.push(dir);
  cpSync(fixturePath(fixture, 'proc'), join(dir, 'proc'), { recursive: true });
  for (const file of ['slabinfo', 'pagetypeinfo'])
    if (existsSync(join(dir, 'proc', file))) utimesSync(join(dir, 'proc', file), LONG_AGO, new Date());
  return join(dir, 'proc');
}

const readSince = (root: string, file: string): boolean =>
  statSync(join(root, file)).atimeMs > LONG_AGO.getTime();

function run(args: string[]) {
  return spawnSync('node', [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 });
}

describe('fragtop check', () => {
  it('gives, on every fixture and order, the line a check reading pagetypeinfo every time gives', async () => {
    let skipped = 0;
    let read = 0;
    for (const fixture of FIXTURES) {
      const full = buildSnapshot(fixtureFrame(fixture));
      const frame = fixtureFrame(fixture);
      delete frame.files.pagetypeinfo;
      delete frame.files.slabinfo;
      const withoutTypes = buildSnapshot(frame);
      for (let order = 0; order <= 10; order++) {
        for (const minBlocks of [1, 50, 100_000]) {
          const matters = pagetypeinfoMatters(withoutTypes, orderVerdict(withoutTypes, order, minBlocks));
          // A fixture without pagetypeinfo: where it mattered, the line says the lists were not read.
          const listsUnread = matters && !existsSync(fixturePath(fixture, 'proc', 'pagetypeinfo'));
          const expected = checkSnapshot(full, order, minBlocks, { listsUnread });
          const got = await checkLine([
            '--order',
            String(order),
            '--min-blocks',
            String(minBlocks),
            '--proc-root',
            fixturePath(fixture, 'proc'),
          ]);
          expect(got, `${fixture} order ${order} min ${minBlocks}`).toEqual({
            code: expected.exitCode,
            line: `${expected.line}\n`,
          });
          if (matters) read++;
          else skipped++;
        }
      }
    }
    // Both paths ran: some answers needed pagetypeinfo, most did not.
    expect(read).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_BUILD)(
    `answers a clear "ok" without reading slabinfo or pagetypeinfo, which snapshot reads${HAS_BUILD ? '' : ' (skipped: run npm run build first)'}`,
    () => {
      const root = procRootReadLongAgo('live-6.18');
      const check = run(['check', '--order', '0', '--proc-root', root]);
      expect(check.stdout).toMatch(/^order0 OK: /);
      expect(check.status).toBe(0);
      expect(readSince(root, 'slabinfo')).toBe(false);
      expect(readSince(root, 'pagetypeinfo')).toBe(false);
      // The access times do move when a file is read: snapshot reads both.
      expect(run(['snapshot', '--json', '--proc-root', root]).status).toBe(0);
      expect(readSince(root, 'slabinfo')).toBe(true);
      expect(readSince(root, 'pagetypeinfo')).toBe(true);
    },
  );

  it.skipIf(!HAS_BUILD)(
    `reads pagetypeinfo for an "ok" resting on few blocks in a large zone: a reserve could hold them all${HAS_BUILD ? '' : ' (skipped: run npm run build first)'}`,
    () => {
      // centos9-5.14-vm: its few free 4 MiB blocks hold fewer pages than its high-atomic reserve may (1% of the
      // zone's managed pages): whether they are on ordinary lists decides the answer.
      const root = procRootReadLongAgo('centos9-5.14-vm');
      const check = run(['check', '--order', '10', '--proc-root', root]);
      expect(check.stdout).toMatch(/^order10 (OK|SHORT|FRAG|LOWMEM): /);
      expect(readSince(root, 'pagetypeinfo')).toBe(true);
    },
  );

  it.skipIf(!HAS_BUILD)(
    `reads pagetypeinfo, and still not slabinfo, when the answer is "short"${HAS_BUILD ? '' : ' (skipped: run npm run build first)'}`,
    () => {
      const root = procRootReadLongAgo('live-6.18');
      const check = run(['check', '--order', '0', '--min-blocks', '1000000000', '--proc-root', root]);
      expect(check.status).toBe(1);
      expect(readSince(root, 'pagetypeinfo')).toBe(true);
      expect(readSince(root, 'slabinfo')).toBe(false);
    },
  );
});

describe('pagetypeinfoMatters', () => {
  const snapshot = buildSnapshot(fixtureFrame('live-6.18'));

  it('is false for an "unknown" answer: it comes from buddyinfo and zoneinfo alone', () => {
    const verdict = orderVerdict(snapshot, 40, 1);
    expect(verdict.status).toBe('unknown');
    expect(pagetypeinfoMatters(snapshot, verdict)).toBe(false);
  });

  it('is true for a "short" answer, whose count and reason can change', () => {
    const verdict = orderVerdict(snapshot, 0, Number.MAX_SAFE_INTEGER);
    expect(verdict.status).toBe('short');
    expect(pagetypeinfoMatters(snapshot, verdict)).toBe(true);
  });

  it('is false for an order-0 "ok" with memory far above the watermark and every reserve', () => {
    const verdict = orderVerdict(snapshot, 0, 1);
    expect(verdict.status).toBe('ok');
    expect(pagetypeinfoMatters(snapshot, verdict)).toBe(false);
  });
});
