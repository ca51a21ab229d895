// Tests for the sparkline renderer.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sparkline } from '../../src/analyze/sparkline.js';

describe('sparkline', () => {
  it('maps 0..7 onto the eight bars', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
  });

  it('right-aligns fewer values and keeps only the last `width` ones', () => {
    expect(sparkline([0, 7], 4)).toBe('  ▁█');
    expect(sparkline([7, 7, 0, 7], 2)).toBe('▁█');
  });

  it('scales from zero: a steady rate is tall, all zeros are low, gaps are blank', () => {
    expect(sparkline([5, 5, 5], 3)).toBe('███');
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
    expect(sparkline([0, Number.NaN, 14], 3)).toBe('▁ █');
    // −7..7: 0 sits at 7/14·7 = 3.5 → level 4 (▅)
    expect(sparkline([-7, 0, 7], 3)).toBe('▁▅█');
  });

  it('is empty for no width', () => {
    expect(sparkline([1, 2], 0)).toBe('');
    expect(sparkline([1, 2], -3)).toBe('');
  });

  it('always fills exactly `width` cells (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.integer())), fc.nat(200), (values, width) => {
        return [...sparkline(values, width)].length === width;
      }),
    );
  });
});
