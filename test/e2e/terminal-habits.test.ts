// Tests the terminal habits of top and htop users on the real binary in a real terminal: TERM=dumb gives text
// frames, a C locale gives ASCII, NO_COLOR still tells pass from fail, -n stops the screen, -s sorts slabs.
/* eslint-disable no-control-regex -- these tests read the escape sequences a terminal received */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/frames.js';
import { BIN, exitStatus, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const skip = !HAS_TMUX || !HAS_BUILD;
const why = !HAS_TMUX
  ? ' (skipped: tmux is not installed)'
  : !HAS_BUILD
    ? ' (skipped: run npm run build first)'
    : '';
const PROC = fixturePath('live-6.18', 'proc');

const sessions: TmuxSession[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()?.kill();
});

function start(command: string): TmuxSession {
  const session = new TmuxSession(command, { columns: 120, rows: 40 });
  sessions.push(session);
  return session;
}

describe.skipIf(skip)(`terminal habits${why}`, () => {
  it('TERM=dumb prints text frames without the alternate screen or cursor moves', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fragtop-dumb-')), 'out');
    // `script` gives the program a terminal of its own and keeps exactly what was written to it.
    const session = start(
      `TERM=dumb script -qc "node ${BIN} -n 2 -d 0.2 --proc-root ${PROC}" ${out} >/dev/null`,
    );
    expect(exitStatus(await session.waitFor((s) => exitStatus(s) !== null))).toBe(0);
    const written = readFileSync(out, 'utf8').replace(/^Script started.*\n|\nScript done.*\n?$/g, '');
    expect(written).not.toContain('\u001b');
    expect(written.split(/\r?\n\r?\n(?=fragtop · )/)).toHaveLength(2);
  });

  it('a C locale gives ASCII bars and rules on the screen', async () => {
    const session = start(`LC_ALL=C node ${BIN} --proc-root ${PROC}`);
    const screen = await session.waitFor((s) => s.includes('Free blocks by order'));
    expect(screen).toMatch(/Free blocks by order \| target order/);
    expect(screen).not.toMatch(/[^\x20-\x7e\n]/);
    session.send('q');
    expect(exitStatus(await session.waitFor((s) => exitStatus(s) !== null))).toBe(0);
  });

  it('with NO_COLOR there is no colour, and passing counts are underlined while failing ones are not', async () => {
    // The terminal library treats any CI variable as "no attributes at all"; a user's terminal has only NO_COLOR.
    const session = start(`env -u CI -u FORCE_COLOR NO_COLOR=1 node ${BIN} --proc-root ${PROC} --order 10`);
    await session.waitFor((s) => s.includes('underlined: passes the check'));
    const styled = session.styledScreen();
    // No foreground colour codes (30-37, 90-97, 38;5) anywhere.
    expect(styled).not.toMatch(/\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+)m/);
    const plain = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');
    const row = (zone: string) => styled.split('\n').find((line) => plain(line).startsWith(zone))!;
    const underline = /\u001b\[(?:[0-9;]*;)?4m/;
    // live-6.18: DMA fails every order (its lowmem reserve), Normal passes them: the rows must look different.
    expect(plain(row('0 DMA '))).toMatch(/ no /);
    expect(row('0 DMA ')).not.toMatch(underline);
    expect(plain(row('0 Normal'))).toMatch(/ yes /);
    expect(row('0 Normal')).toMatch(underline);
    session.send('q');
    await session.waitFor((s) => exitStatus(s) !== null);
  });

  it('-n 2 stops the screen after two frames, restoring the terminal', async () => {
    const session = start(`node ${BIN} -n 2 -d 0.3 --proc-root ${PROC}`);
    const screen = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(screen)).toBe(0);
    expect(session.alternateOn()).toBe(false);
  });

  it('-s n sorts the slab caches by name from the start', async () => {
    const session = start(`node ${BIN} -s n --proc-root ${PROC}`);
    const screen = await session.waitFor((s) => /^cache\s+size/m.test(s));
    const lines = screen.split('\n');
    const header = lines.findIndex((line) => /^cache\s+size/.test(line));
    const names = lines.slice(header + 1, header + 6).map((line) => line.split(/\s+/)[0]!);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    session.send('q');
    await session.waitFor((s) => exitStatus(s) !== null);
  });

  it('--json on the screen is refused with a pointer to batch and snapshot', async () => {
    const session = start(`node ${BIN} --json --proc-root ${PROC}`);
    const screen = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(screen)).toBe(2);
    expect(screen).toContain(
      'fragtop: --json is for batch output: fragtop -b --json, or fragtop snapshot --json',
    );
  });

  it('--kmsg - is refused for the screen, whose keys come from stdin', async () => {
    const session = start(`node ${BIN} --kmsg - --proc-root ${PROC}`);
    const screen = await session.waitFor((s) => exitStatus(s) !== null);
    expect(exitStatus(screen)).toBe(2);
    expect(screen).toContain('--kmsg - reads stdin, which the screen needs for keys');
  });
});
