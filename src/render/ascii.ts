// Text for terminals without UTF-8: every glyph the screen uses becomes one ASCII character of the same width,
// so a laid-out screen keeps its columns.

const GLYPHS: Record<string, string> = {
  '·': '|',
  '─': '-',
  '│': '|',
  '┌': '+',
  '┐': '+',
  '└': '+',
  '┘': '+',
  '├': '+',
  '┤': '+',
  '┬': '+',
  '┴': '+',
  '┼': '+',
  '█': '#',
  '░': '.',
  '▁': '_',
  '▂': '.',
  '▃': ':',
  '▄': '-',
  '▅': '=',
  '▆': '+',
  '▇': '*',
  '≥': '>',
  '≤': '<',
  '→': '>',
  '←': '<',
  '↑': '^',
  '↓': 'v',
  '…': '~',
  '⚠': '!',
  '●': '*',
  '‹': '<',
  '›': '>',
  '▶': '>',
  '❚': '|',
  '−': '-',
  '–': '-',
  '×': 'x',
  Σ: 'S',
};

/** Every non-ASCII character as one ASCII character: a known glyph's stand-in, else "?". */
export function toAscii(text: string): string {
  // eslint-disable-next-line no-control-regex -- everything outside printable ASCII and the controls
  return text.replace(/[^\u0000-\u007f]/g, (char) => GLYPHS[char] ?? '?');
}
