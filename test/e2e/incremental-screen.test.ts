// Tests that the live screen, written line by line (only changed lines), keeps every line in its place frame after
// frame in a real terminal: the header stays on the first row and is never left behind as a stale copy.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, HAS_BUILD, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const why = !HAS_TMUX
  ? ' (skipped: tmux is not installed)'
  : !HAS_BUILD
    ? ' (skipped: run npm run build first)'
    : '';
let session: TmuxSession | null = null;
afterEach(() => session?.kill());

describe('the live screen drawn incrementally', () => {
  it.skipIf(!HAS_TMUX || !HAS_BUILD)(
    `shows one header, on the first row, after many frames${why}`,
    async () => {
      // A fast interval: the clock and counters change every frame, so many partial updates happen.
      session = new TmuxSession(`node ${BIN} --interval 200ms`, { columns: 120, rows: 40 });
      const first = await session.waitFor((screen) => screen.includes('Free blocks by order'));
      const clock = /\d\d:\d\d:\d\d/.exec(first.split('\n')[0] ?? '')?.[0];
      expect(clock).toBeDefined();
      // Wait for a later second on the clock, so the first line has been rewritten at least once.
      const later = await session.waitFor((screen) => {
        const top = screen.split('\n')[0] ?? '';
        return /\d\d:\d\d:\d\d/.test(top) && !top.includes(clock!);
      });
      const rows = later.split('\n');
      expect(rows[0]).toMatch(/^fragtop · /);
      expect(rows.filter((row) => row.startsWith('fragtop · '))).toHaveLength(1);
      expect(rows.filter((row) => row.includes('Free blocks by order'))).toHaveLength(1);
    },
  );
});
