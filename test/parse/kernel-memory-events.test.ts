// Tests reading the kernel's other memory warnings from real public lines: allocation stalls and vmalloc failures,
// with and without the process and mode, and that other lines are not taken for them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKernelMemoryEvents } from '../../src/parse/kernel-memory-events.js';
import { fixture, PROPERTY_RUNS } from './helpers.js';

const lines = fixture('kmsg/memory-events.txt').trimEnd().split('\n');

describe('parseKernelMemoryEvents: stalls and vmalloc failures', () => {
  const events = parseKernelMemoryEvents(lines);

  it('reads a 4.14 allocation stall from syslog: process, stall, order and the printed flags', () => {
    expect(events[0]).toMatchObject({
      kind: 'stall',
      line: 1,
      process: 'python3',
      stallMs: 10060,
      order: 1,
      mode: '0x15080c0',
      printedFlags: ['GFP_KERNEL_ACCOUNT', '__GFP_ZERO'],
      // The syslog stamp has no year: it stays in the documented partial form until a year is known.
      time: '--03-26T12:32:15',
    });
  });

  it('reads vmalloc failures with a process and mode, also with cpuset on the same line', () => {
    expect(events[1]).toMatchObject({
      kind: 'vmalloc',
      line: 4,
      process: 'kmodloader',
      bytes: 425984,
      mode: '0x14000c0',
      printedFlags: ['GFP_KERNEL'],
    });
    expect(events[2]).toMatchObject({
      kind: 'vmalloc',
      line: 6,
      process: 'tracebox',
      bytes: 32768,
      mode: '0xcc0',
    });
  });

  it('reads the older vmalloc form without a process or mode', () => {
    expect(events[3]).toMatchObject({ kind: 'vmalloc', line: 8, process: null, bytes: 3760332, mode: null });
  });

  it('takes nothing else for one: the vmap lines, the cpuset line and the page allocation failure', () => {
    expect(events.map((event) => event.kind)).toEqual(['stall', 'vmalloc', 'vmalloc', 'vmalloc']);
  });

  it('never throws on mutated lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...lines),
            fc.string(),
            fc.string().map((s) => `${lines[0]}${s}`),
          ),
        ),
        (input) => {
          expect(Array.isArray(parseKernelMemoryEvents(input))).toBe(true);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
