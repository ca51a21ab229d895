// Tests the key table: within each mode a key runs one binding only, and every binding has a key and words.
import { describe, expect, it } from 'vitest';
import type { Mode } from '../../src/store/create-store.js';
import { bindingsFor, KEYMAP } from '../../src/ui/keymap.js';

const MODES: Mode[] = ['live', 'replay', 'demo'];

describe('key table', () => {
  it.each(MODES)('binds no key twice in %s mode', (mode) => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const binding of bindingsFor(mode))
      for (const key of binding.keys) {
        const first = seen.get(key);
        if (first !== undefined) twice.push(`${key}: "${first}" and "${binding.description}"`);
        else seen.set(key, binding.description);
      }
    expect(twice).toEqual([]);
  });

  it('gives every binding at least one key, a label and a description', () => {
    for (const binding of KEYMAP) {
      expect(binding.keys.length).toBeGreaterThan(0);
      expect(binding.label.trim()).not.toBe('');
      expect(binding.description.trim()).not.toBe('');
    }
  });
});
