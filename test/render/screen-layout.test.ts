// Tests how the screen's lines and columns are shared out between the panels at every terminal size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_BOTTOM_LINES, screenLayout, SIDE_BY_SIDE_COLUMNS } from '../../src/render/screen-layout.js';

const main = (withBars: number, withoutBars: number, failuresOnly = false) => ({
  failuresOnly,
  zoneLinesWithBars: withBars,
  zoneLinesWithoutBars: withoutBars,
});

describe('screenLayout', () => {
  it('stays one line short of the terminal and gives the body what header, banner and footer leave', () => {
    const plain = screenLayout({ columns: 120, rows: 40, notes: false, replay: false, main: null });
    expect(plain).toEqual({ width: 120, budget: 39, body: 35, main: null });
    // A notes line and a replay position bar take one line each.
    expect(screenLayout({ columns: 120, rows: 40, notes: true, replay: true, main: null }).body).toBe(33);
  });

  it('keeps the bars while they fit above the bottom panels, and drops them when they do not', () => {
    const roomy = screenLayout({
      columns: 120,
      rows: 40,
      notes: false,
      replay: false,
      main: main(12, 8),
    }).main!;
    expect(roomy).toMatchObject({ showBars: true, zoneLines: 12, bottom: 23 });
    const tight = screenLayout({
      columns: 120,
      rows: 20,
      notes: false,
      replay: false,
      main: main(16, 10),
    }).main!;
    // body 15: bars need 16 > 15 - 4 lines, so the zones panel drops them and keeps 10.
    expect(tight).toMatchObject({ showBars: false, zoneLines: 10, bottom: 5 });
  });

  it('cuts the zones panel so the bottom panels keep their minimum', () => {
    const layout = screenLayout({
      columns: 120,
      rows: 16,
      notes: false,
      replay: false,
      main: main(40, 30),
    }).main!;
    expect(layout.zoneLines).toBe(11 - MIN_BOTTOM_LINES);
    expect(layout.bottom).toBe(MIN_BOTTOM_LINES);
  });

  it('puts slab caches beside the failures on wide terminals and under them on narrow ones', () => {
    const wide = screenLayout({
      columns: SIDE_BY_SIDE_COLUMNS,
      rows: 40,
      notes: false,
      replay: false,
      main: main(10, 6),
    }).main!;
    expect(wide).toMatchObject({
      sideBySide: true,
      slabWidth: 55,
      failuresWidth: 54,
      slabLines: 25,
      failureLines: 25,
    });
    const narrow = screenLayout({
      columns: 80,
      rows: 40,
      notes: false,
      replay: false,
      main: main(10, 6),
    }).main!;
    expect(narrow).toMatchObject({
      sideBySide: false,
      slabWidth: 80,
      failuresWidth: 80,
      slabLines: 13,
      failureLines: 12,
    });
  });

  it('gives the failures view the whole bottom', () => {
    const layout = screenLayout({
      columns: 200,
      rows: 40,
      notes: false,
      replay: false,
      main: main(10, 6, true),
    }).main!;
    expect(layout).toMatchObject({ sideBySide: false, slabLines: 0, failureLines: 25, failuresWidth: 200 });
  });

  it('never lays out more lines than the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 20, max: 400 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 3, max: 200 }),
        fc.boolean(),
        (rows, columns, notes, replay, zoneRows, failuresOnly) => {
          const layout = screenLayout({
            columns,
            rows,
            notes,
            replay,
            main: main(zoneRows * 2 + 3, zoneRows + 3, failuresOnly),
          });
          const m = layout.main!;
          const fixed = 4 + (notes ? 1 : 0) + (replay ? 1 : 0);
          expect(fixed + m.zoneLines + m.bottom).toBeLessThanOrEqual(layout.budget);
          expect(m.sideBySide ? Math.max(m.slabLines, m.failureLines) : m.slabLines + m.failureLines).toBe(
            m.bottom,
          );
        },
      ),
    );
  });
});
