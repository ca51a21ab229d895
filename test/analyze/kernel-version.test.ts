// Tests for kernel release parsing.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isAtLeast, parseKernelVersion } from '../../src/analyze/kernel-version.js';

describe('parseKernelVersion', () => {
  it.each([
    ['3.10.0-957.el7.x86_64', { major: 3, minor: 10, patch: 0, distro: 'el7', suffix: '957.el7.x86_64' }],
    ['6.18.44-fc-v595', { major: 6, minor: 18, patch: 44, suffix: 'fc-v595' }],
    ['5.14.0-325.el9.x86_64', { major: 5, minor: 14, patch: 0, distro: 'el9', suffix: '325.el9.x86_64' }],
    ['4.4.0-21-generic', { major: 4, minor: 4, patch: 0, distro: 'ubuntu', suffix: '21-generic' }],
    ['2.6.32-754.el6.x86_64', { major: 2, minor: 6, patch: 32, distro: 'el6', suffix: '754.el6.x86_64' }],
    ['5.10.0-21-amd64', { major: 5, minor: 10, patch: 0, distro: 'debian', suffix: '21-amd64' }],
    [
      '6.1.55-75.123.amzn2023.x86_64',
      { major: 6, minor: 1, patch: 55, distro: 'amzn2023', suffix: '75.123.amzn2023.x86_64' },
    ],
    ['6.5.6-300.fc39.x86_64', { major: 6, minor: 5, patch: 6, distro: 'fc39', suffix: '300.fc39.x86_64' }],
    ['5.5.0-00045-g7d6bb61d6188c', { major: 5, minor: 5, patch: 0, suffix: '00045-g7d6bb61d6188c' }],
    ['3.4.5', { major: 3, minor: 4, patch: 5 }],
    ['6.1', { major: 6, minor: 1, patch: 0 }],
    ['  4.19.0+\n', { major: 4, minor: 19, patch: 0 }],
  ])('%s', (release, expected) => {
    expect(parseKernelVersion(release)).toEqual(expected);
  });

  it.each(['', 'unknown', 'Linux', '3', '3.10x', 'v5.4'])('rejects %j', (release) => {
    expect(parseKernelVersion(release)).toBeNull();
  });

  it('compares versions', () => {
    const v = parseKernelVersion('4.4.0-21-generic');
    expect(v && isAtLeast(v, 4, 4)).toBe(true);
    expect(v && isAtLeast(v, 4, 5)).toBe(false);
    expect(v && isAtLeast(v, 3, 19)).toBe(true);
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        (s) => parseKernelVersion(s) === null || typeof parseKernelVersion(s)?.major === 'number',
      ),
    );
  });
});
