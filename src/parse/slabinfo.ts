// Parses /proc/slabinfo (versions 2.0 and 2.1, SLAB and SLUB): one row per slab cache.
import type { Parsed, Problem, SlabCache, SlabInfo } from './types.js';
import { quote } from './problem-text.js';
import { terminalSafe } from './terminal-text.js';

const VERSION_LINE = /^slabinfo - version:\s*(\S+)/;
const COUNT = /^\d+$/;
const GROUPS = ['tunables', 'slabdata', 'globalstat', 'cpustat'] as const;
type Group = (typeof GROUPS)[number];

function isGroup(token: string): token is Group {
  return (GROUPS as readonly string[]).includes(token);
}

export function parseSlabInfo(text: string, file = 'slabinfo'): Parsed<SlabInfo> {
  const problems: Problem[] = [];
  const caches: SlabCache[] = [];
  let version: string | undefined;
  let unsupported = false;

  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = index + 1;
    if (line.trim() === '') return;
    const v = VERSION_LINE.exec(line);
    if (v) {
      version = v[1];
      // 1.x (2.4 kernels) has a different column order; guessing would give wrong sizes.
      unsupported = !/^2\./.test(version ?? '');
      if (unsupported)
        problems.push({ file, line: lineNo, message: `unsupported slabinfo version ${version}` });
      return;
    }
    // The legend; 2.0 and early 2.1 legends say `<batchcount> <limit>`, yet the kernel always
    // printed limit first, so the tunables are read by position, not from this line.
    if (line.startsWith('#')) return;
    if (unsupported) return;
    const cache = parseRow(line, (message) => problems.push({ file, line: lineNo, message }));
    if (cache) caches.push(cache);
  });

  return { value: { version, allocator: allocatorOf(caches), caches }, problems };
}

function parseRow(line: string, report: (message: string) => void): SlabCache | undefined {
  const tokens = line.trim().split(/\s+/);
  const firstColon = tokens.indexOf(':');
  const head = firstColon < 0 ? tokens : tokens.slice(0, firstColon);
  if (head.length < 6) {
    report(`too few columns: ${quote(line)}`);
    return undefined;
  }
  // The name is everything before the five counts, so an odd name cannot shift the numbers.
  const counts = head.slice(-5);
  const name = terminalSafe(head.slice(0, -5).join(' '), 64);
  const badCount = counts.find((t) => !COUNT.test(t));
  if (badCount !== undefined) {
    report(`bad number ${quote(badCount)} in cache ${quote(name)}`);
    return undefined;
  }
  const [activeObjs = 0, numObjs = 0, objSizeBytes = 0, objPerSlab = 0, pagesPerSlab = 0] =
    counts.map(Number);

  const groups = new Map<Group, number[]>();
  let i = firstColon;
  while (i >= 0 && i < tokens.length) {
    const label = tokens[i + 1] ?? '';
    let end = tokens.indexOf(':', i + 1);
    if (end < 0) end = tokens.length;
    const values = tokens.slice(i + 2, end);
    if (!isGroup(label)) {
      report(`unknown group ${quote(label)} in cache ${quote(name)}`);
      return undefined;
    }
    const bad = values.find((t) => !COUNT.test(t));
    if (bad !== undefined) {
      report(`bad number ${quote(bad)} in ${label} of cache ${quote(name)}`);
      return undefined;
    }
    groups.set(label, values.map(Number));
    i = end < tokens.length ? end : -1;
  }

  const tunables = groups.get('tunables');
  const slabdata = groups.get('slabdata');
  if (!slabdata || slabdata.length !== 3) {
    report(`cache ${quote(name)} lacks "slabdata" with 3 numbers`);
    return undefined;
  }
  if (tunables && tunables.length !== 3) {
    report(`cache ${quote(name)} has ${tunables.length} tunables, expected 3`);
    return undefined;
  }
  const [activeSlabs = 0, numSlabs = 0, sharedAvail = 0] = slabdata;
  const cache: SlabCache = {
    name,
    activeObjs,
    numObjs,
    objSizeBytes,
    objPerSlab,
    pagesPerSlab,
    activeSlabs,
    numSlabs,
    sharedAvail,
  };
  if (tunables) {
    const [limit = 0, batchCount = 0, sharedFactor = 0] = tunables;
    cache.tunables = { limit, batchCount, sharedFactor };
  }
  const globalStat = groups.get('globalstat');
  if (globalStat) cache.globalStat = globalStat;
  const cpuStat = groups.get('cpustat');
  if (cpuStat) cache.cpuStat = cpuStat;
  return cache;
}

/** SLUB prints zero tunables and counts every slab as active; SLAB has tunables or statistics. */
function allocatorOf(caches: SlabCache[]): SlabInfo['allocator'] {
  if (caches.length === 0) return 'unknown';
  const isSlab = caches.some(
    (c) =>
      c.globalStat !== undefined ||
      c.cpuStat !== undefined ||
      (c.tunables !== undefined &&
        (c.tunables.limit !== 0 || c.tunables.batchCount !== 0 || c.tunables.sharedFactor !== 0)),
  );
  if (isSlab) return 'slab';
  const isSlub = caches.every(
    (c) =>
      c.tunables !== undefined &&
      c.tunables.limit === 0 &&
      c.tunables.batchCount === 0 &&
      c.tunables.sharedFactor === 0 &&
      c.activeSlabs === c.numSlabs,
  );
  return isSlub ? 'slub' : 'unknown';
}
