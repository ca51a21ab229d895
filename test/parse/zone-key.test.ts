// Tests matching zones across files by node and zone name.
import { describe, it, expect } from 'vitest';
import { sameZone } from '../../src/parse/zone-key.js';

describe('sameZone', () => {
  it('needs both the node and the zone name to match, and ignores other fields', () => {
    expect(sameZone({ node: 0, zone: 'Normal' }, { node: 0, zone: 'Normal' })).toBe(true);
    expect(sameZone({ node: 0, zone: 'Normal' }, { node: 1, zone: 'Normal' })).toBe(false);
    expect(sameZone({ node: 0, zone: 'Normal' }, { node: 0, zone: 'DMA32' })).toBe(false);
    const row = { node: 1, zone: 'Normal', type: 'Movable' };
    expect(sameZone(row, { node: 1, zone: 'Normal' })).toBe(true);
  });
});
