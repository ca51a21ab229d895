// Tests the plain-text number and cell formatting shared by the screen and the text snapshot.
import { describe, expect, it } from 'vitest';
import { blockLabel, humanBytes, humanCount, padLeft, padRight, shareBar } from '../../src/render/format.js';

describe('screen formatting', () => {
  it('names block sizes from the page size and order', () => {
    expect([0, 1, 6, 9, 10].map((o) => blockLabel(4096, o))).toEqual(['4K', '8K', '256K', '2M', '4M']);
    expect([0, 13].map((o) => blockLabel(65536, o))).toEqual(['64K', '512M']);
  });

  it('sizes bytes to at most four characters and a unit', () => {
    expect(humanBytes(0)).toBe('0B');
    expect(humanBytes(1536)).toBe('1.5K');
    expect(humanBytes(311640 * 1024)).toBe('304M');
    expect(humanBytes(24 * 1024 ** 3)).toBe('24G');
    expect(humanBytes(null)).toBe('-');
  });

  it('keeps counts inside their column, whatever their size', () => {
    expect(humanCount(7589, 4)).toBe('7589');
    expect(humanCount(70473, 4)).toBe('70K');
    expect(humanCount(170473, 5)).toBe('170K');
    expect(humanCount(1_704_730, 5)).toBe('1.7M');
    expect(humanCount(104076, 4)).toBe('104K');
    expect(humanCount(999_600, 4)).toBe('1M');
    // Three columns cannot hold 104K: the number stays true and takes a column more, never "0M".
    expect(humanCount(104_076, 3)).toBe('104K');
    expect(humanCount(12_345_678, 6)).toBe('12.3M');
    for (const count of [0, 9, 99_999, 100_000, 999_999, 1_000_000, 123_456_789, 9_999_999_999])
      for (const width of [4, 5, 6]) expect(humanCount(count, width).length).toBeLessThanOrEqual(width);
  });

  it('pads and cuts cells to their width', () => {
    expect(padLeft('42', 5)).toBe('   42');
    expect(padRight('nf_conntrack_ffff881026e52400', 10)).toBe('nf_conntr…');
    expect(shareBar(0)).toBe(' ');
    expect(shareBar(0.001)).toBe('▁');
    expect(shareBar(1)).toBe('█');
  });
});
