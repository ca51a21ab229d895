// Shared by the parser tests: fixture loading and input generators for the never-throw properties.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Problem } from '../../src/parse/types.js';

/** Generated inputs per never-throw property: enough to reach the odd corners, run in every CI. */
export const PROPERTY_RUNS = 10_000;

/** A captured file by its path under fixtures/: a machine's tree (`ubuntu-3.2/proc/zoneinfo`) or `samples/…`. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}

/** Reads a live /proc file, or returns undefined when this machine does not let us (no file, not root). */
export function readProc(name: string): string | undefined {
  try {
    return readFileSync(`/proc/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

type Edit =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replaceToken'; at: number; token: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'joinNext'; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string() }),
  fc.record({
    kind: fc.constant('replaceToken' as const),
    at: fc.nat(),
    token: fc.nat(),
    text: fc.oneof(
      fc.string(),
      fc.constantFrom(
        '>100000',
        '-1',
        '',
        ':',
        'tunables',
        'slabdata',
        '99999999999999999999',
        '1e400',
        '1073741824',
        '0x10',
        '\u001b]0;title\u0007',
        '\u009b2J',
        'NaN',
        '__proto__',
      ),
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('joinNext' as const), at: fc.nat() }),
);

function applyEdit(lines: string[], e: Edit): string[] {
  if (lines.length === 0) return e.kind === 'insert' ? [e.text] : lines;
  const at = e.at % lines.length;
  const line = lines[at] ?? '';
  const out = [...lines];
  switch (e.kind) {
    case 'delete':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, line);
      break;
    case 'insert':
      out.splice(at, 0, e.text);
      break;
    case 'replaceToken': {
      const tokens = line.split(' ');
      tokens[e.token % tokens.length] = e.text;
      out[at] = tokens.join(' ');
      break;
    }
    case 'truncate':
      out[at] = line.slice(0, e.at % (line.length + 1));
      break;
    case 'joinNext':
      out.splice(at, 2, line + (lines[at + 1] ?? ''));
      break;
  }
  return out;
}

/** Real samples with a few random line edits: close enough to the format to reach deep branches. */
export function mutatedSample(texts: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([text, edits]) => edits.reduce(applyEdit, text.split('\n')).join('\n'));
}

/** Any text, printable or not, plus mutated samples. */
export function anyInput(texts: string[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutatedSample(texts));
}

/** Every number found anywhere in a parsed value, to check none is NaN or infinite. */
export function allNumbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(allNumbers);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allNumbers);
  return [];
}

/** A problem must point at a real line of the input when it names one. */
export function problemsPointInside(problems: Problem[], text: string): boolean {
  const lineCount = text.split('\n').length;
  return problems.every(
    (p) => p.line === undefined || (Number.isInteger(p.line) && p.line >= 1 && p.line <= lineCount),
  );
}
