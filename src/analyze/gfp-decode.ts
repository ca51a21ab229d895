// Turns a hex GFP mask from a kernel log into flag names, using the bit layout of that kernel version.

export interface GfpDecoding {
  flags: string[];
  source: 'decoded' | 'unknown';
  note?: string;
}

type Bits = Record<string, number>;

interface Layout {
  label: string;
  bits: Bits;
  /** Name entries in print order: composites first, then single flags (as `__def_gfpflag_names` orders them). */
  names: Array<[string, number]>;
  /** Set bits above this one depend on the kernel config here, so they are left as hex (and the note says so). */
  configDependentAbove?: number;
  /** Said in every note for this layout. */
  caveat?: string;
}

const BASE_LOW: Bits = { __GFP_DMA: 0x1, __GFP_HIGHMEM: 0x2, __GFP_DMA32: 0x4, __GFP_MOVABLE: 0x8 };

/** Bits up to 4.3 (RHEL6 2.6.32 and the 3.x line); `extra` adds the version-specific ones. */
function bitsUpTo43(extra: Bits): Bits {
  return {
    ...BASE_LOW,
    __GFP_WAIT: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_COLD: 0x100,
    __GFP_NOWARN: 0x200,
    __GFP_REPEAT: 0x400,
    __GFP_NOFAIL: 0x800,
    __GFP_NORETRY: 0x1000,
    __GFP_COMP: 0x4000,
    __GFP_ZERO: 0x8000,
    __GFP_NOMEMALLOC: 0x10000,
    __GFP_HARDWALL: 0x20000,
    __GFP_THISNODE: 0x40000,
    __GFP_RECLAIMABLE: 0x80000,
    __GFP_NOTRACK: 0x200000,
    __GFP_NO_KSWAPD: 0x400000,
    __GFP_OTHER_NODE: 0x800000,
    ...extra,
  };
}

/** 4.4 - 4.9: __GFP_WAIT split into DIRECT/KSWAPD_RECLAIM; `account` is 4.4's NOACCOUNT or 4.5's ACCOUNT. */
function bits44To49(account: string): Bits {
  return {
    ...BASE_LOW,
    __GFP_RECLAIMABLE: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_COLD: 0x100,
    __GFP_NOWARN: 0x200,
    __GFP_REPEAT: 0x400,
    __GFP_NOFAIL: 0x800,
    __GFP_NORETRY: 0x1000,
    __GFP_MEMALLOC: 0x2000,
    __GFP_COMP: 0x4000,
    __GFP_ZERO: 0x8000,
    __GFP_NOMEMALLOC: 0x10000,
    __GFP_HARDWALL: 0x20000,
    __GFP_THISNODE: 0x40000,
    __GFP_ATOMIC: 0x80000,
    [account]: 0x100000,
    __GFP_NOTRACK: 0x200000,
    __GFP_DIRECT_RECLAIM: 0x400000,
    __GFP_OTHER_NODE: 0x800000,
    __GFP_WRITE: 0x1000000,
    __GFP_KSWAPD_RECLAIM: 0x2000000,
  };
}

function bits410To414(repeat: string, notrack: boolean): Bits {
  const bits: Bits = {
    ...BASE_LOW,
    __GFP_RECLAIMABLE: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_COLD: 0x100,
    __GFP_NOWARN: 0x200,
    [repeat]: 0x400,
    __GFP_NOFAIL: 0x800,
    __GFP_NORETRY: 0x1000,
    __GFP_MEMALLOC: 0x2000,
    __GFP_COMP: 0x4000,
    __GFP_ZERO: 0x8000,
    __GFP_NOMEMALLOC: 0x10000,
    __GFP_HARDWALL: 0x20000,
    __GFP_THISNODE: 0x40000,
    __GFP_ATOMIC: 0x80000,
    __GFP_ACCOUNT: 0x100000,
    __GFP_DIRECT_RECLAIM: 0x400000,
    __GFP_WRITE: 0x800000,
    __GFP_KSWAPD_RECLAIM: 0x1000000,
  };
  if (notrack) bits.__GFP_NOTRACK = 0x200000;
  return bits;
}

const BITS_415_50: Bits = {
  ...BASE_LOW,
  __GFP_RECLAIMABLE: 0x10,
  __GFP_HIGH: 0x20,
  __GFP_IO: 0x40,
  __GFP_FS: 0x80,
  __GFP_WRITE: 0x100,
  __GFP_NOWARN: 0x200,
  __GFP_RETRY_MAYFAIL: 0x400,
  __GFP_NOFAIL: 0x800,
  __GFP_NORETRY: 0x1000,
  __GFP_MEMALLOC: 0x2000,
  __GFP_COMP: 0x4000,
  __GFP_ZERO: 0x8000,
  __GFP_NOMEMALLOC: 0x10000,
  __GFP_HARDWALL: 0x20000,
  __GFP_THISNODE: 0x40000,
  __GFP_ATOMIC: 0x80000,
  __GFP_ACCOUNT: 0x100000,
  __GFP_DIRECT_RECLAIM: 0x200000,
  __GFP_KSWAPD_RECLAIM: 0x400000,
};

/** The 5.1 "shuffle" layout, still in use; `atomic` is false from 6.3 (0x200 unused). */
function bitsFrom51(atomic: boolean, high: Bits): Bits {
  const bits: Bits = {
    ...BASE_LOW,
    __GFP_RECLAIMABLE: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_ZERO: 0x100,
    __GFP_DIRECT_RECLAIM: 0x400,
    __GFP_KSWAPD_RECLAIM: 0x800,
    __GFP_WRITE: 0x1000,
    __GFP_NOWARN: 0x2000,
    __GFP_RETRY_MAYFAIL: 0x4000,
    __GFP_NOFAIL: 0x8000,
    __GFP_NORETRY: 0x10000,
    __GFP_MEMALLOC: 0x20000,
    __GFP_COMP: 0x40000,
    __GFP_NOMEMALLOC: 0x80000,
    __GFP_HARDWALL: 0x100000,
    __GFP_THISNODE: 0x200000,
    __GFP_ACCOUNT: 0x400000,
    ...high,
  };
  if (atomic) bits.__GFP_ATOMIC = 0x200;
  return bits;
}

/** Order of single-flag names: the kernel's own table order; old-only names sit where the 3.x tracepoint put them. */
const SINGLE_ORDER = [
  '__GFP_HIGHMEM',
  '__GFP_HIGH',
  '__GFP_ATOMIC',
  '__GFP_WAIT',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_COLD',
  '__GFP_NOWARN',
  '__GFP_REPEAT',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_COMP',
  '__GFP_ZERO',
  '__GFP_NOMEMALLOC',
  '__GFP_MEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_RECLAIMABLE',
  '__GFP_KMEMCG',
  '__GFP_MOVABLE',
  '__GFP_ACCOUNT',
  '__GFP_NOACCOUNT',
  '__GFP_NOTRACK',
  '__GFP_NO_KSWAPD',
  '__GFP_WRITE',
  '__GFP_RECLAIM',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_OTHER_NODE',
  '__GFP_ZEROTAGS',
  '__GFP_SKIP_ZERO',
  '__GFP_SKIP_KASAN_UNPOISON',
  '__GFP_SKIP_KASAN_POISON',
];

interface CompositeOptions {
  /** 4.8+ GFP_TRANSHUGE_LIGHT and the TRANSHUGE built on it. */
  transhugeLight: boolean;
  /** GFP_TEMPORARY existed up to 4.13. */
  temporary: boolean;
  /** GFP_NOWAIT includes __GFP_NOWARN from 6.12 (6.3 layout on). */
  nowaitNowarn: boolean;
}

/** Builds the print table: composites from the kernel's definitions, then the single flags. */
function buildNames(bits: Bits, options: CompositeOptions): Array<[string, number]> {
  const b = (name: string): number => bits[name] ?? 0;
  const oldStyle = bits.__GFP_WAIT !== undefined;
  const reclaim = oldStyle ? b('__GFP_WAIT') : b('__GFP_DIRECT_RECLAIM') | b('__GFP_KSWAPD_RECLAIM');
  const kernel = reclaim | b('__GFP_IO') | b('__GFP_FS');
  const user = kernel | b('__GFP_HARDWALL');
  const highuser = user | b('__GFP_HIGHMEM');
  const movable = highuser | b('__GFP_MOVABLE');
  const atomic = oldStyle ? b('__GFP_HIGH') : b('__GFP_HIGH') | b('__GFP_ATOMIC') | b('__GFP_KSWAPD_RECLAIM');
  const nowait = oldStyle ? 0 : b('__GFP_KSWAPD_RECLAIM') | (options.nowaitNowarn ? b('__GFP_NOWARN') : 0);
  const hugeBase = movable | b('__GFP_COMP') | b('__GFP_NOMEMALLOC') | b('__GFP_NOWARN');
  const light = hugeBase & ~reclaim;
  let transhuge: number;
  if (oldStyle) transhuge = hugeBase | b('__GFP_NORETRY') | b('__GFP_NO_KSWAPD');
  else if (options.transhugeLight) transhuge = light | b('__GFP_DIRECT_RECLAIM');
  else transhuge = (hugeBase | b('__GFP_NORETRY')) & ~b('__GFP_KSWAPD_RECLAIM');

  const composites: Array<[string, number]> = [['GFP_TRANSHUGE', transhuge]];
  if (options.transhugeLight) composites.push(['GFP_TRANSHUGE_LIGHT', light]);
  composites.push(['GFP_HIGHUSER_MOVABLE', movable], ['GFP_HIGHUSER', highuser], ['GFP_USER', user]);
  if (options.temporary) composites.push(['GFP_TEMPORARY', kernel | b('__GFP_RECLAIMABLE')]);
  if (bits.__GFP_ACCOUNT !== undefined) composites.push(['GFP_KERNEL_ACCOUNT', kernel | b('__GFP_ACCOUNT')]);
  composites.push(
    ['GFP_KERNEL', kernel],
    ['GFP_NOFS', reclaim | b('__GFP_IO')],
    ['GFP_ATOMIC', atomic],
    ['GFP_NOIO', reclaim],
    ['GFP_NOWAIT', nowait],
    ['GFP_DMA', b('__GFP_DMA')],
  );
  const singles: Array<[string, number]> = [];
  for (const name of SINGLE_ORDER) {
    if (name === '__GFP_RECLAIM') {
      if (!oldStyle) singles.push([name, reclaim]);
    } else if (bits[name] !== undefined) {
      singles.push([name, b(name)]);
    }
    // GFP_DMA32 comes right after __GFP_HIGHMEM in the kernel's table.
    if (name === '__GFP_HIGHMEM') singles.push(['GFP_DMA32', b('__GFP_DMA32')]);
  }
  // A zero mask would match everything (GFP_NOWAIT is 0 before 4.4); the kernel's tables never print one.
  return [...composites, ...singles].filter(([, mask]) => mask !== 0);
}

interface Version {
  major: number;
  minor: number;
  /** RHEL 7's build number: 1160 in 3.10.0-1160.49.1.el7. */
  rhel7Build: number | null;
}

function parseVersion(kernel: string): Version | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(kernel.trim());
  if (!m) return null;
  const rhel = /^3\.10\.0-(\d+)\S*\.el7/.exec(kernel.trim());
  return { major: Number(m[1]), minor: Number(m[2]), rhel7Build: rhel ? Number(rhel[1]) : null };
}

const OLD: CompositeOptions = { transhugeLight: false, temporary: true, nowaitNowarn: false };

const layouts = new Map<string, Layout | null>();

/** Layouts are built once per version line: decoding runs for every hex-only report of every re-read log. */
function layoutFor(v: Version): Layout | null {
  const key = `${v.major}.${v.minor}-${v.rhel7Build ?? ''}`;
  let layout = layouts.get(key);
  if (layout === undefined) {
    layout = buildLayout(v);
    layouts.set(key, layout);
  }
  return layout;
}

function buildLayout(v: Version): Layout | null {
  const at = (major: number, minor: number): boolean =>
    v.major > major || (v.major === major && v.minor >= minor);
  if (v.major < 2 || (v.major === 2 && v.minor < 6)) return null;
  if (v.major === 2) {
    const bits = bitsUpTo43({});
    return { label: '2.6.32 (RHEL 6)', bits, names: buildNames(bits, OLD) };
  }
  if (!at(4, 4)) {
    // 0x100000: __GFP_KMEMCG upstream 3.8-3.15 and RHEL 7 before 3.10.0-1075; RHEL 7 from -1075 reuses it as
    // __GFP_ACCOUNT; other 3.16-4.3 kernels have no name for it here.
    const extra: Bits = { __GFP_WRITE: 0x1000000 };
    if (at(3, 6)) extra.__GFP_MEMALLOC = 0x2000;
    let label = '3.10';
    if (v.rhel7Build !== null && v.rhel7Build >= 1075) {
      extra.__GFP_ACCOUNT = 0x100000;
      label = '3.10 (RHEL 7 from 3.10.0-1075: 0x100000 is __GFP_ACCOUNT)';
    } else if (v.rhel7Build !== null) {
      extra.__GFP_KMEMCG = 0x100000;
      label = '3.10 (RHEL 7 before 3.10.0-1075: 0x100000 is __GFP_KMEMCG)';
    } else if (at(3, 8) && !at(3, 16)) {
      extra.__GFP_KMEMCG = 0x100000;
    }
    const bits = bitsUpTo43(extra);
    return { label, bits, names: buildNames(bits, OLD) };
  }
  if (v.major === 4 && v.minor === 4) {
    const bits = bits44To49('__GFP_NOACCOUNT');
    return { label: '4.4', bits, names: buildNames(bits, OLD) };
  }
  if (!at(4, 10)) {
    const bits = bits44To49('__GFP_ACCOUNT');
    return { label: '4.5-4.9', bits, names: buildNames(bits, { ...OLD, transhugeLight: at(4, 8) }) };
  }
  if (!at(4, 15)) {
    // __GFP_REPEAT became __GFP_RETRY_MAYFAIL in 4.13; GFP_TEMPORARY went in 4.14; the 4.14 stable tree has no
    // __GFP_NOTRACK any more.
    const bits = bits410To414(at(4, 13) ? '__GFP_RETRY_MAYFAIL' : '__GFP_REPEAT', !at(4, 14));
    const names = buildNames(bits, { transhugeLight: true, temporary: !at(4, 14), nowaitNowarn: false });
    return { label: '4.10-4.14', bits, names };
  }
  const NEW: CompositeOptions = { transhugeLight: true, temporary: false, nowaitNowarn: false };
  if (!at(5, 1)) {
    // __GFP_NOLOCKDEP (0x800000) exists only with CONFIG_LOCKDEP and has no printed name: left as hex.
    return { label: '4.15-5.0', bits: BITS_415_50, names: buildNames(BITS_415_50, NEW) };
  }
  if (!at(6, 0)) {
    const bits = bitsFrom51(true, {});
    return { label: '5.x', bits, names: buildNames(bits, NEW) };
  }
  if (!at(6, 3)) {
    const bits = bitsFrom51(true, {
      __GFP_ZEROTAGS: 0x800000,
      __GFP_SKIP_ZERO: 0x1000000,
      __GFP_SKIP_KASAN_UNPOISON: 0x2000000,
      __GFP_SKIP_KASAN_POISON: 0x4000000,
    });
    return { label: '6.1', bits, names: buildNames(bits, NEW) };
  }
  const bits = bitsFrom51(false, { __GFP_ZEROTAGS: 0x800000 });
  const layout: Layout = {
    label: '6.12',
    bits,
    names: buildNames(bits, { ...NEW, nowaitNowarn: true }),
    configDependentAbove: 0x800000,
  };
  if (at(6, 13)) layout.caveat = `${v.major}.${v.minor} is newer than the newest table (6.12)`;
  return layout;
}

/** The kernel's format_flags(): greedy, first match wins, leftover bits as one hex number. */
function formatFlags(mode: number, names: Array<[string, number]>): string[] {
  const high = Math.floor(mode / 0x100000000);
  let rest = mode >>> 0;
  const out: string[] = [];
  for (const [name, mask] of names) {
    if (rest === 0) break;
    if ((rest & mask) >>> 0 !== mask) continue;
    out.push(name);
    rest = (rest & ~mask) >>> 0;
  }
  const leftover = high * 0x100000000 + rest;
  if (leftover !== 0) out.push(`0x${leftover.toString(16)}`);
  return out;
}

function decodeWith(mode: number, layout: Layout): string[] {
  // Before 4.4 GFP_NOWAIT is 0; the 3.x tracepoints print it for an empty mask, and it is what the caller asked for.
  if (mode === 0) return layout.bits.__GFP_WAIT !== undefined ? ['GFP_NOWAIT'] : [];
  return formatFlags(mode, layout.names);
}

/** The 3.10 layout: hex-only reports come from kernels before 4.6, and 2.6.32/3.x agree on the common bits. */
const GUESS_LAYOUT = layoutFor({ major: 3, minor: 10, rhel7Build: null });

/**
 * Decodes a GFP mask as the given kernel version defines it: composite names first, greedily, in the kernel's
 * own order, then single flags, then unknown bits as hex. `kernel` is a release string such as
 * `3.10.0-514.el7.x86_64`; without a usable one the result is a guess, marked `unknown` with a note saying so.
 */
export function decodeGfp(mode: number, kernel: string | null): GfpDecoding {
  if (!Number.isSafeInteger(mode) || mode < 0) {
    return { flags: [], source: 'unknown', note: `${String(mode)} is not a GFP mask` };
  }
  const version = kernel === null ? null : parseVersion(kernel);
  const layout = version === null ? null : layoutFor(version);
  if (layout === null) {
    const why = kernel === null ? 'kernel version unknown' : `kernel version "${kernel}" not recognised`;
    const flags = GUESS_LAYOUT ? decodeWith(mode, GUESS_LAYOUT) : [];
    return {
      flags,
      source: 'unknown',
      note: `${why}: the names are a guess using the 3.10 layout, the one most hex-only reports (kernels before 4.6) use`,
    };
  }
  const flags = decodeWith(mode, layout);
  let note = `decoded with the GFP bit layout of ${layout.label}`;
  if (layout.caveat) note += `; ${layout.caveat}`;
  const above = layout.configDependentAbove;
  if (above !== undefined && mode >= above * 2) {
    note += `; bits above 0x${above.toString(16)} depend on the kernel config and are left as hex`;
  }
  return { flags, source: 'decoded', note };
}
