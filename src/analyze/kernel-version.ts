// Kernel release strings (uname -r, sys/kernel/osrelease) turned into numbers for version-aware logic.

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
  /** A recognised distribution tag: `el7`, `fc39`, `amzn2`, `ubuntu`, `debian`; absent when unknown. */
  distro?: string;
  /** Everything after `major.minor[.patch]`, without the leading `-`/`+`/`.` (e.g. `957.el7.x86_64`). */
  suffix?: string;
}

const RELEASE = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/;

/** Distribution tags as they appear in release strings, most specific first. */
const DISTRO_PATTERNS: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/(?:^|[.\-_])(el\d+)(?:[._-]|$)/, (m) => m[1] ?? 'el'],
  [/(?:^|[.\-_])(fc\d+)(?:[._-]|$)/, (m) => m[1] ?? 'fc'],
  [/(?:^|[.\-_])(amzn\d+)(?:[._-]|$)/, (m) => m[1] ?? 'amzn'],
  // Ubuntu flavours: `4.4.0-21-generic`, `5.15.0-1034-azure`, `-lowlatency`, `-aws`, `-gcp`.
  [/^\d+-(generic|lowlatency|aws|azure|gcp|oracle|kvm)(?:-|$)/, () => 'ubuntu'],
  // Debian: `5.10.0-21-amd64`, `6.1.0-13-cloud-amd64`, `-arm64`.
  [/^\d+-(?:cloud-|rt-)?(amd64|arm64|686|686-pae)$/, () => 'debian'],
];

/** Parses `3.10.0-957.el7.x86_64`, `6.18.44-fc-v595`, `4.4.0-21-generic`; null when it is not a release string. */
export function parseKernelVersion(release: string): KernelVersion | null {
  const m = RELEASE.exec(release.trim());
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || !Number.isSafeInteger(patch))
    return null;
  const rest = m[4] ?? '';
  // A release continues with a separator; `3.10x` is not a version.
  if (rest !== '' && !/^[-+._~]/.test(rest)) return null;
  const suffix = rest.replace(/^[-+._~]/, '');
  const version: KernelVersion = { major, minor, patch };
  if (suffix !== '') version.suffix = suffix;
  for (const [pattern, name] of DISTRO_PATTERNS) {
    const d = pattern.exec(suffix);
    if (d) {
      version.distro = name(d);
      break;
    }
  }
  return version;
}

/** True when `v` is at least `major.minor`. */
export function isAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}
