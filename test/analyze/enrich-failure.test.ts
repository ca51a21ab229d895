// Tests that a parsed report stays as printed and that enrichment decodes its flags and explains it.
import { describe, expect, it } from 'vitest';
import { enrichFailure } from '../../src/analyze/enrich-failure.js';
import { parseAllocFailures } from '../../src/parse/alloc-failure.js';

const HEX_ONLY = [
  'exe: page allocation failure: order:6, mode:0x10c0d0',
  'CPU: 3 PID: 18377 Comm: exe Not tainted 3.10.0-514.el7.x86_64 #1',
];
const NAMED = ['bmc: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null)'];

describe('enrichFailure', () => {
  it('the parser keeps the report as printed: hex only, no names, no cause', () => {
    const [report] = parseAllocFailures(HEX_ONLY).value.failures;
    expect(report).toMatchObject({ process: 'exe', order: 6, mode: '0x10c0d0', printedFlags: null });
    expect(report).not.toHaveProperty('cause');
    expect(report).not.toHaveProperty('flags');
  });

  it('decodes a hex-only mask with the layout of the kernel named in the report', () => {
    const failure = enrichFailure(parseAllocFailures(HEX_ONLY).value.failures[0]!);
    expect(failure.flags).toEqual(['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG']);
    expect(failure.flagsSource).toBe('decoded');
    expect(failure.flagsNote).toMatch(/3\.10/);
    expect(failure).not.toHaveProperty('printedFlags');
  });

  it('keeps the names the kernel printed and says so', () => {
    const failure = enrichFailure(parseAllocFailures(NAMED).value.failures[0]!);
    expect(failure.flags).toEqual(['GFP_KERNEL', '__GFP_COMP']);
    expect(failure.flagsSource).toBe('kernel');
    expect(failure.flagsNote).toBeUndefined();
  });
});
