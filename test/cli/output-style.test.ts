// Tests how the output is chosen from the environment and options: batch, colour, ASCII; and the ASCII mapping.
import { describe, expect, it } from 'vitest';
import { localeIsAscii, outputStyle } from '../../src/cli/output-style.js';
import { defaultOptions } from '../../src/cli/option-table.js';
import { toAscii } from '../../src/render/ascii.js';

const tty = { stdin: true, stdout: true };

describe('outputStyle', () => {
  it('shows the screen on a terminal, in colour and UTF-8', () => {
    expect(outputStyle({ TERM: 'xterm-256color', LANG: 'en_US.UTF-8' }, defaultOptions(), tty)).toEqual({
      batch: false,
      batchBecause: null,
      color: true,
      ascii: false,
    });
  });

  it('prints batch frames like top -b without a terminal, with TERM=dumb, or when asked', () => {
    expect(outputStyle({}, defaultOptions(), { stdin: true, stdout: false })).toMatchObject({
      batch: true,
      batchBecause: 'stdout is not a terminal',
    });
    expect(outputStyle({ TERM: 'dumb' }, defaultOptions(), tty)).toMatchObject({ batch: true, color: false });
    expect(outputStyle({}, defaultOptions(), { stdin: false, stdout: true }).batch).toBe(true);
    expect(outputStyle({}, { ...defaultOptions(), batch: true }, tty)).toMatchObject({
      batch: true,
      batchBecause: null,
    });
  });

  it('drops colour for NO_COLOR (not empty) and --no-color', () => {
    expect(outputStyle({ NO_COLOR: '1' }, defaultOptions(), tty).color).toBe(false);
    expect(outputStyle({ NO_COLOR: '' }, defaultOptions(), tty).color).toBe(true);
    expect(outputStyle({}, { ...defaultOptions(), noColor: true }, tty).color).toBe(false);
  });

  it('chooses ASCII for a locale that is set and not UTF-8, or --ascii', () => {
    expect(localeIsAscii({ LC_ALL: 'C' })).toBe(true);
    expect(localeIsAscii({ LANG: 'POSIX' })).toBe(true);
    expect(localeIsAscii({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(true);
    expect(localeIsAscii({ LC_CTYPE: 'C.utf8' })).toBe(false);
    expect(localeIsAscii({})).toBe(false);
    expect(outputStyle({}, { ...defaultOptions(), ascii: true }, tty).ascii).toBe(true);
  });
});

describe('toAscii', () => {
  it('turns every glyph into one ASCII character, so columns stay where they were', () => {
    const text = 'fragtop · ≥256K ▁▂▃▄▅▆▇█ ─ ⚠ … → ❚❚ 中';
    const ascii = toAscii(text);
    expect(ascii).toBe('fragtop | >256K _.:-=+*# - ! ~ > || ?');
    expect([...ascii]).toHaveLength([...text].length);
    expect(ascii).toMatch(/^[\x20-\x7e]*$/);
  });
});
