// Tests decoding a GFP mask into flag names for each kernel version.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeGfp } from '../../src/analyze/gfp-decode.js';

const flags = (mode: number, kernel: string | null): string[] => decodeGfp(mode, kernel).flags;

describe('decodeGfp: the seed mask 0x10c0d0', () => {
  // 0x10c0d0 = 0x100000 + 0x8000 + 0x4000 + 0x80 + 0x40 + 0x10. On 3.10: 0x10 __GFP_WAIT, 0x40 __GFP_IO,
  // 0x80 __GFP_FS (together GFP_KERNEL = 0xd0), 0x4000 __GFP_COMP, 0x8000 __GFP_ZERO, and 0x100000 is
  // __GFP_KMEMCG on RHEL 7 kernels before 3.10.0-1075 but __GFP_ACCOUNT (GFP_KERNEL_ACCOUNT = 0x1000d0) after.
  it('is GFP_KERNEL|__GFP_COMP|__GFP_ZERO|__GFP_KMEMCG on 3.10.0-514 (CentOS 7.3)', () => {
    expect(decodeGfp(0x10c0d0, '3.10.0-514.el7.x86_64')).toEqual({
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG'],
      source: 'decoded',
      note: 'decoded with the GFP bit layout of 3.10 (RHEL 7 before 3.10.0-1075: 0x100000 is __GFP_KMEMCG)',
    });
    expect(flags(0x10c0d0, '3.10.0-957.1.3.el7.x86_64')).toEqual([
      'GFP_KERNEL',
      '__GFP_COMP',
      '__GFP_ZERO',
      '__GFP_KMEMCG',
    ]);
  });

  it('is GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO on RHEL 7.9 (3.10.0-1160), and 0xc0d0 lacks the account bit', () => {
    expect(flags(0x10c0d0, '3.10.0-1160.49.1.el7.x86_64')).toEqual([
      'GFP_KERNEL_ACCOUNT',
      '__GFP_COMP',
      '__GFP_ZERO',
    ]);
    expect(flags(0xc0d0, '3.10.0-1160.49.1.el7.x86_64')).toEqual(['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO']);
  });

  it('has no name for 0x100000 on 2.6.32 (RHEL 6)', () => {
    expect(flags(0x10c0d0, '2.6.32-431.el6.x86_64')).toEqual([
      'GFP_KERNEL',
      '__GFP_COMP',
      '__GFP_ZERO',
      '0x100000',
    ]);
    expect(flags(0xd0, '2.6.32-754.el6.x86_64')).toEqual(['GFP_KERNEL']);
  });
});

describe('decodeGfp: hex-only kernels (before 4.6)', () => {
  it('decodes 3.x masks seen in real reports', () => {
    // 0x204010 (3.18.18): 0x10 __GFP_WAIT is GFP_NOIO on 3.x, 0x4000 __GFP_COMP, 0x200000 __GFP_NOTRACK.
    expect(flags(0x204010, '3.18.18')).toEqual(['GFP_NOIO', '__GFP_COMP', '__GFP_NOTRACK']);
    // The 3.10 page-fault OOM mask: GFP_HIGHUSER_MOVABLE (0x200da) | __GFP_COLD (0x100).
    expect(flags(0x201da, '3.10.0-1160.el7.x86_64')).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  });

  it('knows each version line of GFP_TRANSHUGE and GFP_KERNEL from the bit tables', () => {
    expect(flags(0x4352da, '3.10.0-514.el7.x86_64')).toEqual(['GFP_TRANSHUGE']);
    expect(flags(0x4352ca, '4.4.155')).toEqual(['GFP_TRANSHUGE']);
    expect(flags(0x24000c0, '4.4.155')).toEqual(['GFP_KERNEL']);
    expect(flags(0x24000d0, '4.4.155')).toEqual(['GFP_TEMPORARY']);
  });

  it('names 0x100000 __GFP_NOACCOUNT on 4.4 but makes it GFP_KERNEL_ACCOUNT from 4.5', () => {
    expect(flags(0x25000c0, '4.4.155')).toEqual(['GFP_KERNEL', '__GFP_NOACCOUNT']);
    expect(flags(0x25000c0, '4.9.24-coreos')).toEqual(['GFP_KERNEL_ACCOUNT']);
  });

  it('reports an empty mask as GFP_NOWAIT where that is 0, and as nothing from 4.4', () => {
    expect(flags(0, '3.10.0-514.el7.x86_64')).toEqual(['GFP_NOWAIT']);
    expect(flags(0, '5.4.214')).toEqual([]);
  });
});

describe('decodeGfp: reproduces what 4.6+ kernels printed', () => {
  // Each pair is a real log line's mask and the names that kernel printed beside it (gfp.md §4).
  const cases: Array<[string, number, string[]]> = [
    ['4.6.0', 0x2080020, ['GFP_ATOMIC']],
    ['4.9.24-coreos', 0x2084120, ['GFP_ATOMIC', '__GFP_COLD', '__GFP_COMP']],
    ['4.12.0', 0x14210d2, ['GFP_HIGHUSER', '__GFP_NORETRY', '__GFP_RECLAIMABLE']],
    ['5.5.0-00045-g7d6bb61d6188c', 0x40cc0, ['GFP_KERNEL', '__GFP_COMP']],
    ['5.4.19', 0x40dc0, ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO']],
    ['5.7.0-rc4', 0x400dc0, ['GFP_KERNEL_ACCOUNT', '__GFP_ZERO']],
    ['5.4.74', 0x100cca, ['GFP_HIGHUSER_MOVABLE']],
    ['5.10.44', 0xc00, ['GFP_NOIO']],
    ['6.1.0', 0xa20, ['GFP_ATOMIC']],
    ['6.8.0', 0x820, ['GFP_ATOMIC']],
    ['6.12.117', 0xcc0, ['GFP_KERNEL']],
  ];
  it.each(cases)('%s: %s', (kernel, mode, expected) => {
    expect(decodeGfp(mode, kernel)).toMatchObject({ flags: expected, source: 'decoded' });
  });

  it('uses the composite values of each layout', () => {
    expect(flags(0x14000c0, '4.14.74')).toEqual(['GFP_KERNEL']);
    expect(flags(0x15000c0, '4.14.74')).toEqual(['GFP_KERNEL_ACCOUNT']);
    expect(flags(0x6000c0, '4.19.0')).toEqual(['GFP_KERNEL']);
    expect(flags(0x7000c0, '4.19.0')).toEqual(['GFP_KERNEL_ACCOUNT']);
    expect(flags(0x2342ca, '4.19.0')).toEqual(['GFP_TRANSHUGE']);
    expect(flags(0x342ca, '4.9.24')).toEqual(['GFP_TRANSHUGE_LIGHT']);
    expect(flags(0x4342ca, '4.9.24')).toEqual(['GFP_TRANSHUGE']);
    expect(flags(0x1c24ca, '5.10.44')).toEqual(['GFP_TRANSHUGE']);
    expect(flags(0x1c20ca, '6.12.117')).toEqual(['GFP_TRANSHUGE_LIGHT']);
  });

  it('follows renames and removals between versions', () => {
    expect(flags(0x14004c0, '4.12.0')).toEqual(['GFP_KERNEL', '__GFP_REPEAT']);
    expect(flags(0x14004c0, '4.14.74')).toEqual(['GFP_KERNEL', '__GFP_RETRY_MAYFAIL']);
    // GFP_NOWAIT gained __GFP_NOWARN in the 6.12 layout; alone, 0x800 is just the kswapd bit there.
    expect(flags(0x800, '6.1.192')).toEqual(['GFP_NOWAIT']);
    expect(flags(0x800, '6.12.117')).toEqual(['__GFP_KSWAPD_RECLAIM']);
    expect(flags(0x2800, '6.12.117')).toEqual(['GFP_NOWAIT']);
    // 0x200 was __GFP_ATOMIC until 6.2 and is unused after.
    expect(flags(0x200, '6.1.192')).toEqual(['__GFP_ATOMIC']);
    expect(flags(0x200, '6.12.117')).toEqual(['0x200']);
  });

  it('leaves config-dependent high bits of recent kernels as hex and says so', () => {
    expect(decodeGfp(0x1000cc0, '6.12.117')).toEqual({
      flags: ['GFP_KERNEL', '0x1000000'],
      source: 'decoded',
      note: 'decoded with the GFP bit layout of 6.12; bits above 0x800000 depend on the kernel config and are left as hex',
    });
  });

  it('says when the kernel is newer than the newest table', () => {
    expect(decodeGfp(0xcc0, '6.15.0')).toEqual({
      flags: ['GFP_KERNEL'],
      source: 'decoded',
      note: 'decoded with the GFP bit layout of 6.12; 6.15 is newer than the newest table (6.12)',
    });
  });
});

describe('decodeGfp: unknown kernels', () => {
  it('marks a guess as unknown and says it is a guess', () => {
    expect(decodeGfp(0x10c0d0, null)).toEqual({
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG'],
      source: 'unknown',
      note: 'kernel version unknown: the names are a guess using the 3.10 layout, the one most hex-only reports (kernels before 4.6) use',
    });
    expect(decodeGfp(0xd0, 'not-a-version')).toMatchObject({
      source: 'unknown',
      note: expect.stringContaining('kernel version "not-a-version" not recognised') as unknown,
    });
  });

  it('refuses values that are not masks', () => {
    expect(decodeGfp(-1, '5.4.0')).toEqual({ flags: [], source: 'unknown', note: '-1 is not a GFP mask' });
    expect(decodeGfp(Number.NaN, '5.4.0').source).toBe('unknown');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.maxSafeNat()),
        fc.option(fc.string()),
        (mode, kernel) => {
          const result = decodeGfp(mode, kernel);
          expect(Array.isArray(result.flags)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
