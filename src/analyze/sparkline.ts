// A one-line bar chart of recent values, for trends beside a number.

const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as bars, right-aligned in exactly `width` cells (spaces before when there are
 * fewer values). Bars scale from min(0, lowest) to the highest value, so a steady non-zero rate shows
 * as tall bars and zero as the lowest; non-finite values (missing rates) are blanks.
 */
export function sparkline(values: readonly number[], width: number): string {
  const cells = Math.max(0, Math.trunc(width));
  if (cells === 0) return '';
  const shown = values.slice(-cells);
  const finite = shown.filter((v) => Number.isFinite(v));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(lo, ...finite);
  const bars = shown.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    const level = hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1));
    return BARS[level] ?? ' ';
  });
  return ' '.repeat(cells - shown.length) + bars.join('');
}
