// Builds fixtures/recordings/k8s-order6-incident.ftr, the recording `fragtop demo` replays, around a real order-6 failure report.
//
// Run from the repository root:
//   npx esbuild scripts/make-incident-recording.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/make-incident-recording.mjs && node /tmp/make-incident-recording.mjs
// The output is byte-for-byte the same on every run (no clock, no randomness).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileRead, RawFrame } from '../src/model/raw-frame.js';
import { openRecordingWriter } from '../src/sources/recording-writer.js';

// Bundled to /tmp before it runs, so paths come from the working directory, not from this file.
const ROOT = resolve(process.cwd());
const REPORT_PATH = join(ROOT, 'fixtures/centos7-numa-k8s/dmesg.txt');
const SLABINFO_PATH = join(ROOT, 'fixtures/centos7-numa-k8s/proc/slabinfo');
const KUBELET_PATH = join(ROOT, 'fixtures/centos7-numa-k8s/kubelet.txt');
const OUT = join(ROOT, 'fixtures/recordings/k8s-order6-incident.ftr');

export const FRAME_COUNT = 120;
const INTERVAL_MS = 1000;
/** The first frame whose buddy lists are the report's; it and every later frame hold that state. */
export const FRAGMENTED_FRAME = 104;
/** The frame whose kernel-log lines hold the allocation failure report: the one after the fragmented state is reached. */
export const REPORT_FRAME = FRAGMENTED_FRAME + 1;
/** The report's syslog time, Nov 12 15:15:41, read as UTC in 2018 (syslog lines carry no year or zone). */
const REPORT_TIME_MS = Date.UTC(2018, 10, 12, 15, 15, 41, 200);
/** Of each order's free blocks, this share is merged pairwise into the next order to make the healthy start. */
const MERGE_SHARE = 0.95;
const HOST = 'k8s-node';
const PAGE_SIZE_KB = 4;
/** Read time stored for every file; the report carries none. */
const READ_MS = 0.05;

/** One zone as the failure report's Mem-Info shows it, in pages. */
interface ReportZone {
  node: number;
  zone: string;
  /** The per-order line (`Node 0 Normal: 34178*4kB (UEM) …`). */
  freeBlocksByOrder: number[];
  /** The zone line's `key:NkB` fields in pages, and `pages_scanned` as printed. */
  fields: Record<string, number>;
  /** The `lowmem_reserve[]:` line printed after the zone line (pages). */
  lowmemReservePages: number[];
}

/** The report's kernel lines with the syslog prefix removed; continuation lines are joined to their line. */
function kernelRecords(report: readonly string[]): string[] {
  const records: string[] = [];
  for (const line of report) {
    const start = /^\w{3} +\d+ [\d:]+ kernel: (.*)$/.exec(line);
    if (start !== null) records.push(start[1] ?? '');
    else if (/^\s/.test(line) && records.length > 0) records[records.length - 1] += ` ${line.trim()}`;
    else throw new Error(`unexpected report line: ${line}`);
  }
  return records;
}

/** Reads the zones of the report's Mem-Info: zone lines, lowmem_reserve lines and per-order lines. */
function parseReportZones(report: readonly string[]): ReportZone[] {
  const records = kernelRecords(report);
  const zones: ReportZone[] = [];
  records.forEach((record, index) => {
    const zoneLine = /^Node (\d+) (\S+) free:\d+kB /.exec(record);
    if (zoneLine !== null) {
      const fields: Record<string, number> = {};
      for (const match of record.matchAll(/(\S+?):(\d+)kB/g)) {
        const kb = Number(match[2]);
        if (kb % PAGE_SIZE_KB !== 0) throw new Error(`${match[0]} is not a whole number of pages`);
        fields[match[1] ?? ''] = kb / PAGE_SIZE_KB;
      }
      const scanned = /pages_scanned:(\d+)/.exec(record);
      fields['pages_scanned'] = Number(scanned?.[1] ?? 0);
      const reserve = /^lowmem_reserve\[\]:((?: \d+)+)$/.exec(records[index + 1] ?? '');
      if (reserve === null) throw new Error(`no lowmem_reserve line after ${record.slice(0, 20)}`);
      zones.push({
        node: Number(zoneLine[1]),
        zone: zoneLine[2] ?? '',
        freeBlocksByOrder: [],
        fields,
        lowmemReservePages: (reserve[1] ?? '').trim().split(' ').map(Number),
      });
      return;
    }
    const orders = /^Node (\d+) (\S+): (.*) = (\d+)kB$/.exec(record);
    if (orders === null) return;
    const zone = zones.find((z) => z.node === Number(orders[1]) && z.zone === orders[2]);
    if (zone === undefined) throw new Error(`per-order line before its zone line: ${record}`);
    const cells = [...(orders[3] ?? '').matchAll(/(\d+)\*(\d+)kB/g)];
    cells.forEach((cell, order) => {
      if (Number(cell[2]) !== PAGE_SIZE_KB << order) throw new Error(`order ${order} size is ${cell[2]}kB`);
    });
    zone.freeBlocksByOrder = cells.map((cell) => Number(cell[1]));
    if (freePages(zone.freeBlocksByOrder) * PAGE_SIZE_KB !== Number(orders[4]))
      throw new Error(`per-order line of ${zone.zone} does not add up to its total`);
  });
  if (zones.length === 0 || zones.some((z) => z.freeBlocksByOrder.length === 0))
    throw new Error('the report has no complete Mem-Info zones');
  return zones;
}

/** The kernel's own buddyinfo layout (mm/vmstat.c frag_show_print): "Node %d, zone %8s ", then "%6lu " per order. */
function formatBuddyinfo(
  zones: readonly { node: number; zone: string; freeBlocksByOrder: number[] }[],
): string {
  return zones
    .map(
      (z) =>
        `Node ${z.node}, zone ${z.zone.padStart(8)} ` +
        `${z.freeBlocksByOrder.map((n) => `${String(n).padStart(6)} `).join('')}\n`,
    )
    .join('');
}

function freePages(blocks: readonly number[]): number {
  return blocks.reduce((sum, count, order) => sum + count * 2 ** order, 0);
}

/**
 * A plausible healthier past of a fragmented zone with the same free memory: from order 0 up, a
 * share of each order's blocks (rounded down to an even number) is merged pairwise into the next
 * order, so merged blocks can merge again higher up; the highest order keeps what reaches it.
 * Share 0 gives the blocks back unchanged.
 */
export function healthyStart(fragmented: readonly number[], share = MERGE_SHARE): number[] {
  const blocks = [...fragmented];
  for (let order = 0; order < blocks.length - 1; order++) {
    const pairs = Math.floor(((blocks[order] ?? 0) * share) / 2);
    blocks[order] = (blocks[order] ?? 0) - 2 * pairs;
    blocks[order + 1] = (blocks[order + 1] ?? 0) + pairs;
  }
  return blocks;
}

/**
 * Pages each zone spans (end pfn − start pfn), which the report does not print. x86_64's DMA zone runs
 * from pfn 1 to 4095; the machine is a QEMU i440FX guest whose RAM is one range below 4 GiB and one
 * above, so DMA32 and Normal have no holes and span what they hold (DMA32's present, 782303 pages,
 * is exactly pfn 4096 up to QEMU's usual low-RAM end 0xbffdf000).
 */
const SPANNED_PAGES: Record<string, (zone: ReportZone) => number> = {
  DMA: () => 4095,
  DMA32: (zone) => zone.fields['present'] ?? 0,
  Normal: (zone) => zone.fields['present'] ?? 0,
};

/** 3.10 zone counters (vmstat_text order) that the report's zone lines give, by the report's name. */
const ZONE_STATS: readonly [string, string][] = [
  ['nr_inactive_anon', 'inactive_anon'],
  ['nr_active_anon', 'active_anon'],
  ['nr_inactive_file', 'inactive_file'],
  ['nr_active_file', 'active_file'],
  ['nr_unevictable', 'unevictable'],
  ['nr_mlock', 'mlocked'],
  ['nr_mapped', 'mapped'],
  ['nr_dirty', 'dirty'],
  ['nr_writeback', 'writeback'],
  ['nr_slab_reclaimable', 'slab_reclaimable'],
  ['nr_slab_unreclaimable', 'slab_unreclaimable'],
  ['nr_page_table_pages', 'pagetables'],
  ['nr_unstable', 'unstable'],
  ['nr_bounce', 'bounce'],
  ['nr_writeback_temp', 'writeback_tmp'],
  ['nr_isolated_anon', 'isolated(anon)'],
  ['nr_isolated_file', 'isolated(file)'],
  ['nr_shmem', 'shmem'],
  ['nr_free_cma', 'free_cma'],
];

function field(zone: ReportZone, name: string): number {
  const value = zone.fields[name];
  if (value === undefined) throw new Error(`the report's ${zone.zone} line has no ${name}`);
  return value;
}

/**
 * One zone in the 3.10 /proc/zoneinfo layout (mm/vmstat.c zoneinfo_show_print), without the per-CPU
 * pagesets and the footer after them. `pages free` and nr_free_pages are the buddy lists' sum.
 */
function formatZoneinfoZone(zone: ReportZone, freeBlocksByOrder: readonly number[]): string {
  const spanned = SPANNED_PAGES[zone.zone];
  if (spanned === undefined) throw new Error(`no span known for zone ${zone.zone}`);
  const free = freePages(freeBlocksByOrder);
  const stat = (name: string, value: number): string => `    ${name.padEnd(12)} ${value}\n`;
  return (
    `Node ${zone.node}, zone ${zone.zone.padStart(8)}\n` +
    `  pages free     ${free}\n` +
    `        min      ${field(zone, 'min')}\n` +
    `        low      ${field(zone, 'low')}\n` +
    `        high     ${field(zone, 'high')}\n` +
    `        scanned  ${field(zone, 'pages_scanned')}\n` +
    `        spanned  ${spanned(zone)}\n` +
    `        present  ${field(zone, 'present')}\n` +
    `        managed  ${field(zone, 'managed')}\n` +
    stat('nr_free_pages', free) +
    ZONE_STATS.map(([name, reportName]) => stat(name, field(zone, reportName))).join('') +
    `        protection: (${zone.lowmemReservePages.join(', ')})\n`
  );
}

/** The global nf_conntrack cache and the two per-netns caches of the slabinfo sample. */
const GLOBAL_CONNTRACK = 'nf_conntrack_ffffffff81a25e00';
/** Per-netns caches appear when a pod's network namespace is set up: these frames. */
const NETNS_CACHE_FRAMES: Record<string, number> = {
  nf_conntrack_ffff881026e50000: 38,
  nf_conntrack_ffff881026e52400: 81,
};
/** The global cache's slab count at the start; it grows to the sample's 32 slabs (51 objects a slab, 4 pages each). */
const GLOBAL_CONNTRACK_START_SLABS = 4;
const GLOBAL_CONNTRACK_END_SLABS = 32;

function slabLine(name: string, slabs: number): string {
  const objects = slabs * 51;
  return (
    `${name.padEnd(17)} ${String(objects).padStart(6)} ${String(objects).padStart(6)}    320   51    4 : ` +
    `tunables    0    0    0 : slabdata ${String(slabs).padStart(6)} ${String(slabs).padStart(6)}      0`
  );
}

/** slabinfo at frame i: the sample's text with the nf_conntrack caches as they were then. */
function slabinfoAt(sample: string, i: number, globalSlabs: number): string {
  const out: string[] = [];
  for (const line of sample.split('\n')) {
    const name = line.split(/\s+/)[0] ?? '';
    const appearsAt = NETNS_CACHE_FRAMES[name];
    if (appearsAt !== undefined && i < appearsAt) continue;
    if (name === GLOBAL_CONNTRACK) {
      if (line !== slabLine(name, GLOBAL_CONNTRACK_END_SLABS))
        throw new Error(`the sample's ${name} line changed: ${line}`);
      out.push(slabLine(name, globalSlabs));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The kubelet's syslog lines of the incident fixture, by their second (see its ABOUT.md). */
function kubeletLines(text: string, second: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`Nov 12 ${second} kubelet: `));
}

function ok(text: string, timeMs: number): FileRead {
  return { ok: true, text, readMs: READ_MS, readAtMs: timeMs };
}

function notInReport(name: string): FileRead {
  return {
    ok: false,
    reason: 'missing',
    message: `/proc/${name} is not in the failure report this demo recording was built from`,
  };
}

/** How far fragmentation has gone at frame i, 0 to 1; it speeds up as the node fills with pods. */
function progressAt(i: number): number {
  return Math.min(1, i / FRAGMENTED_FRAME) ** 1.6;
}

export function buildIncidentFrames(): RawFrame[] {
  const report = readFileSync(REPORT_PATH, 'utf8').replace(/\n$/, '').split('\n');
  const slabSample = readFileSync(SLABINFO_PATH, 'utf8');
  const kubeletText = readFileSync(KUBELET_PATH, 'utf8');
  // The failed sandbox a second after the report; an unrelated CNI failure the second after that.
  const kubelet = kubeletLines(kubeletText, '15:15:42');
  const unrelated = kubeletLines(kubeletText, '15:15:43');
  if (kubelet.length === 0 || unrelated.length === 0)
    throw new Error('no kubelet lines found in the fixture');
  const kernel = /Not tainted (\S+) #/.exec(report.join('\n'))?.[1];
  if (kernel === undefined) throw new Error('the report names no kernel release');
  const zones = parseReportZones(report);
  const startTimeMs = REPORT_TIME_MS - REPORT_FRAME * INTERVAL_MS;

  const frames: RawFrame[] = [];
  for (let i = 0; i < FRAME_COUNT; i++) {
    const timeMs = startTimeMs + i * INTERVAL_MS;
    const t = progressAt(i);
    // DMA is the report's in every frame: the lowmem reserve keeps ordinary allocations out of it.
    const nowBlocks = zones.map((z) =>
      z.zone === 'DMA' ? [...z.freeBlocksByOrder] : healthyStart(z.freeBlocksByOrder, MERGE_SHARE * (1 - t)),
    );
    const buddyinfo = formatBuddyinfo(zones.map((z, k) => ({ ...z, freeBlocksByOrder: nowBlocks[k] ?? [] })));
    const zoneinfo = zones.map((z, k) => formatZoneinfoZone(z, nowBlocks[k] ?? [])).join('');
    const globalSlabs = Math.round(
      GLOBAL_CONNTRACK_START_SLABS + (GLOBAL_CONNTRACK_END_SLABS - GLOBAL_CONNTRACK_START_SLABS) * t,
    );
    const kmsg =
      i === REPORT_FRAME
        ? report
        : i === REPORT_FRAME + 1
          ? kubelet
          : i === REPORT_FRAME + 2
            ? unrelated
            : [];
    frames.push({
      timeMs,
      host: HOST,
      kernel,
      pageSizeBytes: PAGE_SIZE_KB * 1024,
      files: {
        buddyinfo: ok(buddyinfo, timeMs),
        pagetypeinfo: notInReport('pagetypeinfo'),
        slabinfo: ok(slabinfoAt(slabSample, i, globalSlabs), timeMs),
        zoneinfo: ok(zoneinfo, timeMs),
        vmstat: notInReport('vmstat'),
        meminfo: notInReport('meminfo'),
      },
      kmsg,
    });
  }
  // From FRAGMENTED_FRAME on, the buddy lists are exactly the report's per-order lines.
  const reportBuddy = formatBuddyinfo(zones);
  frames.slice(FRAGMENTED_FRAME).forEach((frame, k) => {
    const read = frame.files.buddyinfo;
    if (!read?.ok || read.text !== reportBuddy)
      throw new Error(`frame ${FRAGMENTED_FRAME + k} does not hold the report's buddy lists`);
  });
  const before = frames[FRAGMENTED_FRAME - 1]?.files.buddyinfo;
  if (!before?.ok || before.text === reportBuddy)
    throw new Error('the fragmented state is reached too early');
  return frames;
}

async function main(): Promise<void> {
  if (!existsSync(REPORT_PATH))
    throw new Error(`run this from the repository root (${REPORT_PATH} is missing)`);
  const frames = buildIncidentFrames();
  const first = frames[0];
  if (first === undefined) throw new Error('no frames');
  if (existsSync(OUT)) rmSync(OUT);
  const writer = await openRecordingWriter(OUT, {
    host: first.host,
    kernel: first.kernel,
    pageSize: first.pageSizeBytes,
    intervalMs: INTERVAL_MS,
    startTimeMs: first.timeMs,
  });
  for (const frame of frames) await writer.append(frame);
  await writer.close();
  const { bytes } = writer.stats();
  console.log(`wrote ${frames.length} frames, ${bytes} bytes, to ${OUT}`);
  const buddyOf = (frame: RawFrame | undefined): string =>
    frame?.files.buddyinfo?.ok === true ? frame.files.buddyinfo.text : '';
  console.log(
    `frame 0:\n${buddyOf(first)}frame ${frames.length - 1}:\n${buddyOf(frames[frames.length - 1])}`,
  );
}

await main();
