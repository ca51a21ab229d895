// Tests the built fragtop command line end to end: snapshot JSON and text, replay frames, usage errors, --help.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

const why = HAS_BUILD ? '' : ' (skipped: run npm run build first)';

function fragtop(args: string[], input = '') {
  const result = spawnSync('node', [BIN, ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const FIXTURES = readdirSync(fixturePath()).filter((name) => existsSync(fixturePath(name, 'proc')));

describe('the fragtop command line', () => {
  it.skipIf(!HAS_BUILD)(`prints the JSON contract for every fixture${why}`, () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(4);
    for (const name of FIXTURES) {
      const { status, stdout, stderr } = fragtop([
        'snapshot',
        '--json',
        '--proc-root',
        fixturePath(name, 'proc'),
      ]);
      expect(stderr, name).toBe('');
      expect(status, name).toBe(0);
      const json = JSON.parse(stdout);
      expect(json.schema).toBe(1);
      expect(typeof json.time).toBe('string');
      expect(json.pageSize).toBe(4096);
      expect(json.kernel, name).toMatch(/^\d+\.\d+/);
      expect(json.zones.length, name).toBeGreaterThan(0);
      for (const zone of json.zones) {
        const pages = zone.free.reduce((sum: number, blocks: number, o: number) => sum + blocks * 2 ** o, 0);
        expect(zone.freePages).toBe(pages);
        expect(zone.unusableIndex).toHaveLength(zone.free.length);
        expect(zone.fragmentationIndex).toHaveLength(zone.free.length);
        for (const key of ['highestFreeOrder', 'watermarks', 'canAllocate', 'freeByType', 'blocksByType'])
          expect(zone).toHaveProperty(key);
      }
      expect(Array.isArray(json.slabs)).toBe(true);
      expect(Array.isArray(json.failures)).toBe(true);
      expect(Array.isArray(json.problems)).toBe(true);
    }
  });

  it.skipIf(!HAS_BUILD)(`says what is unavailable instead of failing${why}`, () => {
    const { status, stdout } = fragtop([
      'snapshot',
      '--json',
      '--proc-root',
      fixturePath('ubuntu-3.2', 'proc'),
    ]);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    const sources = json.problems.map((p: { source: string }) => p.source);
    expect(sources).toContain('vmstat');
    expect(sources).toContain('meminfo');
    expect(json.zones[0].freeByType).not.toBeNull();
  });

  it.skipIf(!HAS_BUILD)(`prints a text snapshot with zones, slabs and failures${why}`, () => {
    const dir = fixturePath('centos7-numa-k8s');
    const { status, stdout } = fragtop([
      'snapshot',
      '--proc-root',
      `${dir}/proc`,
      '--kmsg',
      `${dir}/dmesg.txt`,
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain('Free blocks by order (target order 6)');
    expect(stdout).toMatch(/^1 Normal\s+108359\s+115466/m);
    expect(stdout).toContain('Allocation failures');
    expect(stdout).toContain('order 6 (256K)');
  });

  it.skipIf(!HAS_BUILD)(`reads the kernel log from stdin with --kmsg -${why}`, () => {
    const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8');
    const { status, stdout } = fragtop(
      ['snapshot', '--json', '--kmsg', '-', '--proc-root', fixturePath('centos7-numa-k8s', 'proc')],
      dmesg,
    );
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.failures).toHaveLength(1);
    expect(json.failures[0]).toMatchObject({
      process: 'exe',
      pid: 18377,
      order: 6,
      mode: '0x10c0d0',
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG'],
      flagsSource: 'decoded',
      kernel: '3.10.0-514.el7.x86_64',
      cause: 'fragmentation',
    });
    expect(json.targetOrder).toBe(6);
  });

  it.skipIf(!HAS_BUILD)(`prints one frame of a recording with --replay FILE --at TIME${why}`, () => {
    const file = fixturePath('recordings', 'k8s-order6-incident.ftr');
    const end = JSON.parse(fragtop(['snapshot', '--json', '--replay', file]).stdout);
    expect(end.diagnosis.verdict).toBe('fragmentation');
    expect(end.failures.map((f: { order: number }) => f.order)).toEqual([6]);
    const start = JSON.parse(fragtop(['snapshot', '--json', '--replay', file, '--at', '+0s']).stdout);
    expect(start.diagnosis.verdict).toBe('ok');
    expect(start.failures).toEqual([]);
    expect(Date.parse(end.time) - Date.parse(start.time)).toBe(119_000);
    const tenBack = JSON.parse(fragtop(['snapshot', '--json', '--replay', file, '--at', '-10s']).stdout);
    expect(Date.parse(end.time) - Date.parse(tenBack.time)).toBe(10_000);
    const outside = fragtop(['snapshot', '--replay', file, '--at', '-1h']);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/^fragtop: --at -1h: the recording runs from /);
    const missing = fragtop(['snapshot', '--replay', '/nonexistent.ftr']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('fragtop: cannot open recording /nonexistent.ftr: no such file\n');
  });

  it.skipIf(!HAS_BUILD)(`says a file is not a recording, and that an empty one is empty${why}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-bad-rec-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    writeFileSync(join(dir, 'empty.ftr'), '');
    const other = fragtop(['snapshot', '--replay', join(dir, 'notes.txt')]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('not a fragtop recording');
    const empty = fragtop(['snapshot', '--replay', join(dir, 'empty.ftr')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('empty');
  });

  it.skipIf(!HAS_BUILD)(
    `check follows the node-problem-detector contract: one line, exit 0, 1 or 2${why}`,
    () => {
      const root = fixturePath('centos7-numa-k8s', 'proc');
      const ok = fragtop(['check', '--order', '6', '--min-blocks', '100', '--proc-root', root]);
      expect([ok.status, ok.stdout]).toEqual([0, 'order6 OK: 38856 blocks (want 100)\n']);
      const problem = fragtop(['check', '--order', '9', '--proc-root', root]);
      expect(problem.status).toBe(1);
      expect(problem.stdout).toBe('order9 FRAG: 0 blocks (want 1); compact\n');
      // The reason in full goes to stderr, which node-problem-detector logs.
      expect(problem.stderr).toMatch(/^No zone can serve order 9 \(2 MiB\) \(fragmentation\)/);
      // A usage error still says why on stdout, the part node-problem-detector shows.
      const usage = fragtop(['check']);
      expect([usage.status, usage.stdout]).toEqual([2, 'UNKNOWN: usage: fragtop check needs --order N\n']);
      const unknown = fragtop([
        'check',
        '--order',
        '6',
        '--proc-root',
        mkdtempSync(join(tmpdir(), 'fragtop-noproc-')),
      ]);
      expect(unknown.status).toBe(2);
      expect(unknown.stdout).toMatch(/^order6 UNKNOWN: .*buddyinfo does not exist\n$/);
    },
  );

  it.skipIf(!HAS_BUILD)(
    `metrics serves /metrics over HTTP and writes a textfile, and stops on SIGTERM${why}`,
    async () => {
      const root = fixturePath('centos7-numa-k8s', 'proc');
      const port = 20_000 + (process.pid % 20_000);
      const server = spawn('node', [BIN, 'metrics', '--listen', `127.0.0.1:${port}`, '--proc-root', root], {
        cwd: REPO_ROOT,
      });
      const file = join(mkdtempSync(join(tmpdir(), 'fragtop-textfile-')), 'fragtop.prom');
      const writer = spawn(
        'node',
        [BIN, 'metrics', '--textfile', file, '--interval', '200ms', '--proc-root', root],
        {
          cwd: REPO_ROOT,
        },
      );
      try {
        let body = '';
        for (let i = 0; i < 100 && !body.includes('fragtop_zone_free_blocks'); i++) {
          body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
            (r) => r.text(),
            () => '',
          );
          if (!body.includes('fragtop_zone_free_blocks')) await new Promise((r) => setTimeout(r, 50));
        }
        expect(body).toContain('fragtop_zone_free_blocks{numa_node="1",zone="Normal",order="8"} 1147');
        for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
        expect(readFileSync(file, 'utf8')).toContain(
          'fragtop_zone_free_pages{numa_node="0",zone="DMA"} 3962',
        );
      } finally {
        server.kill('SIGTERM');
        writer.kill('SIGTERM');
      }
      const codes = await Promise.all(
        [server, writer].map((child) => new Promise((r) => child.once('exit', r))),
      );
      expect(codes).toEqual([0, 0]);
    },
  );

  it.skipIf(!HAS_BUILD)(`reads the kernel log from stdin in batch output, which needs no keys${why}`, () => {
    const report = '[  100.000000] exe: page allocation failure: order:6, mode:0x10c0d0\n';
    const { status, stdout } = fragtop(
      ['-b', '-n', '1', '--kmsg', '-', '--proc-root', fixturePath('live-6.18', 'proc')],
      report,
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/Allocation failures \(1\)\n {2}.*exe.*order 6/);
  });

  it.skipIf(!HAS_BUILD)(`exits 2 with one line for bad usage${why}`, () => {
    const { status, stdout, stderr } = fragtop(['--interval', 'soon']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('fragtop: --interval expects a duration like 500ms, 2s or 1m, got "soon"\n');
  });

  it.skipIf(!HAS_BUILD)(`refuses an interval no timer can hold, with the range, exit 2${why}`, () => {
    for (const args of [
      ['metrics', '--textfile', '/dev/null', '--interval', '30d'],
      ['snapshot', '--interval', '1ms'],
    ]) {
      const { status, stdout, stderr } = fragtop(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `fragtop: --interval expects a duration from 100ms to 1d, got "${args[args.length - 1]}"\n`,
      );
    }
  });

  it.skipIf(!HAS_BUILD)(`lists every common option in --help${why}`, () => {
    const { status, stdout } = fragtop(['--help']);
    expect(status).toBe(0);
    for (const option of [
      '--proc-root',
      '--sys-root',
      '--kmsg',
      '--interval',
      '--order',
      '--pagetypeinfo-interval',
      '--read-only',
      '--version',
    ])
      expect(stdout).toContain(option);
  });

  it.skipIf(!HAS_BUILD)(
    `without a terminal the live monitor prints text frames like top -b, -n of them${why}`,
    () => {
      const { status, stdout, stderr } = fragtop([
        '-n',
        '2',
        '-d',
        '0.1',
        '--proc-root',
        fixturePath('live-6.18', 'proc'),
      ]);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      const frames = stdout.split(/\n\n(?=fragtop · )/);
      expect(frames).toHaveLength(2);
      for (const frame of frames)
        expect(frame).toMatch(/^fragtop · vm · 6\.18\.44-fc-v595 .*\nORDER \d+ OK:/);
      const json = fragtop([
        '-b',
        '--json',
        '-n',
        '2',
        '-d',
        '0.1',
        '--proc-root',
        fixturePath('live-6.18', 'proc'),
      ]);
      const lines = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { schema: number; rates: object });
      expect(lines.map((line) => line.schema)).toEqual([1, 1]);
      // The second line has rates, from the frame before it.
      expect(Object.keys(lines[0]!.rates)).toEqual([]);
      expect(Object.keys(lines[1]!.rates).length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!HAS_BUILD)(`rejects a proc root that is not a directory with one line and exit 2${why}`, () => {
    const { status, stdout, stderr } = fragtop(['snapshot', '--json', '--proc-root', '/nonexistent/proc']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('fragtop: --proc-root /nonexistent/proc: no such directory\n');
  });

  it.skipIf(!HAS_BUILD)(`reports every file of an empty proc root as unavailable, not a crash${why}`, () => {
    const empty = mkdtempSync(join(tmpdir(), 'fragtop-empty-proc-'));
    const { status, stdout, stderr } = fragtop(['snapshot', '--json', '--proc-root', empty]);
    // Nothing could be read: the frame says what is missing, and the exit code tells a script.
    expect(status).toBe(1);
    expect(stderr).toMatch(/^fragtop: no memory state could be read: .*buddyinfo does not exist\n$/);
    const json = JSON.parse(stdout);
    expect(json.zones).toEqual([]);
    expect(json.kernel).toBeNull();
    const sources = json.problems.map((p: { source: string }) => p.source);
    for (const file of ['buddyinfo', 'pagetypeinfo', 'slabinfo', 'zoneinfo', 'vmstat', 'meminfo'])
      expect(sources).toContain(file);
    expect(json.problems.find((p: { source: string }) => p.source === 'buddyinfo').message).toContain(
      'does not exist',
    );
  });
});
