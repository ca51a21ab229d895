// Tests the quoted line copy the parsers put in problem messages.
import { describe, it, expect } from 'vitest';
import { quote } from '../../src/parse/problem-text.js';

describe('quote', () => {
  it('trims and quotes a short line', () => {
    expect(quote('  Node 0, zone DMA x  ')).toBe('"Node 0, zone DMA x"');
  });

  it('keeps 60 characters, and cuts a longer line to 57 plus an ellipsis', () => {
    expect(quote('a'.repeat(60))).toBe(`"${'a'.repeat(60)}"`);
    expect(quote('a'.repeat(61))).toBe(`"${'a'.repeat(57)}..."`);
  });

  it('escapes as JSON', () => {
    expect(quote('say "hi"\t')).toBe('"say \\"hi\\""');
  });
});
