// Tests the zones panel layout on narrow terminals: cells never run together and the target order stays in view.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { countCells, shownOrders, zoneColumns, zoneHeader } from '../../src/render/zones-layout.js';
import { footerText } from '../../src/ui/Footer.js';
import { fixtureFrame } from '../helpers/frames.js';

const snapshot = buildSnapshot(fixtureFrame('live-6.18'));

/** Every cell's text is preceded by at least one space: nothing reads as "104K128K". */
function separated(cells: string[]): boolean {
  return cells.every((cell) => cell.startsWith(' '));
}

describe('zone columns on narrow terminals', () => {
  it.each([40, 50, 60, 70, 80, 100, 120])('keeps cells apart at %i columns', (columns) => {
    for (const target of [0, 3, 6, 10]) {
      const layout = zoneColumns(snapshot.orderCount, columns, undefined, target);
      expect(layout.cellWidth).toBeGreaterThanOrEqual(5);
      const orders = shownOrders(snapshot.orderCount, layout);
      expect(orders).toContain(target);
      // The tail (free, ≥N, ok@N) stays on the line.
      expect(zoneHeader(snapshot, target, layout).length).toBeLessThanOrEqual(columns);
      const header = zoneHeader(snapshot, target, layout);
      // The header's order labels, one per shown order, each led by a space.
      const labels = header.slice(layout.labelWidth, layout.labelWidth + orders.length * layout.cellWidth);
      expect(labels.trim().split(/\s+/)).toHaveLength(orders.length);
      for (const zone of snapshot.zones)
        expect(separated(countCells(zone.freeBlocksByOrder, snapshot.orderCount, layout))).toBe(true);
      expect(header.startsWith('zone ‹')).toBe(orders[0]! > 0);
      expect(/^zone( ‹)? ›/.test(header)).toBe(orders.at(-1)! < snapshot.orderCount - 1);
    }
  });

  it('shows every order where they fit', () => {
    expect(zoneColumns(snapshot.orderCount, 80).firstOrder).toBe(0);
    expect(zoneColumns(snapshot.orderCount, 120).firstOrder).toBe(0);
  });

  it('separates a count too long for its cell instead of joining it to the next', () => {
    const layout = zoneColumns(11, 60);
    const cells = countCells([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 123_456_789_012], 11, layout);
    expect(separated(cells)).toBe(true);
  });
});

describe('footer', () => {
  it.each([40, 60, 80, 120])('fits %i columns and always offers the help', (width) => {
    for (const [readOnly, replay] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const text = footerText(readOnly, replay, width);
      expect(text).toContain('? help');
      if (width >= 40) expect(text.length).toBeLessThanOrEqual(width);
      if (readOnly) expect(text).toContain('read-only');
    }
  });
});
