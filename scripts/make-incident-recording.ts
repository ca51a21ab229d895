// Builds fixtures/recordings/k8s-order6-incident.ftr, the recording `fragtop demo` replays, from public CentOS 7 samples.
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
const FIXTURE = join(ROOT, 'fixtures/centos7-numa-k8s');
const OUT = join(ROOT, 'fixtures/recordings/k8s-order6-incident.ftr');

export const FRAME_COUNT = 120;
const INTERVAL_MS = 1000;
/** The frame whose kernel-log lines hold the allocation failure report. */
export const REPORT_FRAME = 110;
/** The buddy allocator reaches the captured fragmented state this many frames before the report. */
const SETTLED_BEFORE_REPORT = 6;
/** The report's syslog time, Nov 12 15:15:41, read as UTC in 2018 (syslog lines carry no year or zone). */
const REPORT_TIME_MS = Date.UTC(2018, 10, 12, 15, 15, 41, 200);
/** Of each order's free blocks, this share is merged pairwise into the next order to make the healthy start. */
const MERGE_SHARE = 0.85;
const HOST = 'k8s-node';
/** Read time stored for every file; the samples carry none. */
const READ_MS = 0.05;

interface BuddyRow {
  node: number;
  zone: string;
  freeBlocksByOrder: number[];
}

function parseBuddyinfo(text: string): BuddyRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
      if (match === null) throw new Error(`unexpected buddyinfo line: ${line}`);
      return {
        node: Number(match[1]),
        zone: match[2] ?? '',
        freeBlocksByOrder: (match[3] ?? '').trim().split(/\s+/).map(Number),
      };
    });
}

/** The kernel's own layout (mm/vmstat.c frag_show_print): "Node %d, zone %8s ", then "%6lu " per order. */
function formatBuddyinfo(rows: readonly BuddyRow[]): string {
  return rows
    .map(
      (row) =>
        `Node ${row.node}, zone ${row.zone.padStart(8)} ` +
        `${row.freeBlocksByOrder.map((n) => `${String(n).padStart(6)} `).join('')}\n`,
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

/** Replaces the value of `key` (e.g. "pages free") in the zoneinfo section of one zone. */
function setZoneValue(zoneinfo: string, node: number, zone: string, key: string, value: number): string {
  const lines = zoneinfo.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^Node ${node}, zone\\s+${zone}\\s*$`).test(line));
  if (start < 0) throw new Error(`zoneinfo has no Node ${node} ${zone}`);
  for (let i = start + 1; i < lines.length && !(lines[i] ?? '').startsWith('Node '); i++) {
    const match = new RegExp(`^(\\s*${key}\\s+)(\\d+)$`).exec(lines[i] ?? '');
    if (match !== null) {
      lines[i] = `${match[1] ?? ''}${value}`;
      return lines.join('\n');
    }
  }
  throw new Error(`zoneinfo Node ${node} ${zone} has no "${key}"`);
}

function zoneValue(zoneinfo: string, node: number, zone: string, key: string): number {
  const lines = zoneinfo.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^Node ${node}, zone\\s+${zone}\\s*$`).test(line));
  for (let i = start + 1; i < lines.length && !(lines[i] ?? '').startsWith('Node '); i++) {
    const match = new RegExp(`^\\s*${key}\\s+(\\d+)$`).exec(lines[i] ?? '');
    if (match !== null) return Number(match[1]);
  }
  throw new Error(`zoneinfo Node ${node} ${zone} has no "${key}"`);
}

/** The global nf_conntrack cache and the two per-netns caches of the sample's slabinfo. */
const GLOBAL_CONNTRACK = 'nf_conntrack_ffffffff81a25e00';
/** Per-netns caches appear when a pod's network namespace is set up: these frames. */
const NETNS_CACHE_FRAMES: Record<string, number> = {
  nf_conntrack_ffff881026e50000: 38,
  nf_conntrack_ffff881026e52400: 81,
};
/** The global cache's slab count at the start; it grows to the sample's 32 slabs (51 objects a slab, 4 pages each). */
const GLOBAL_CONNTRACK_START_SLABS = 4;

function slabLine(name: string, slabs: number): string {
  const objects = slabs * 51;
  return (
    `${name.padEnd(17)} ${String(objects).padStart(6)} ${String(objects).padStart(6)}    320   51    4 : ` +
    `tunables    0    0    0 : slabdata ${String(slabs).padStart(6)} ${String(slabs).padStart(6)}      0`
  );
}

/** slabinfo at frame i: the sample's text with the nf_conntrack caches as they were then. */
function slabinfoAt(sample: string, i: number, globalSlabs: number): string {
  const lines = sample.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const name = line.split(/\s+/)[0] ?? '';
    const appearsAt = NETNS_CACHE_FRAMES[name];
    if (appearsAt !== undefined && i < appearsAt) continue;
    if (name === GLOBAL_CONNTRACK) {
      const expected = slabLine(name, 32);
      if (line !== expected) throw new Error(`the sample's ${name} line changed: ${line}`);
      out.push(slabLine(name, globalSlabs));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Syslog lines of the kubelet from the incident notes, moved to the failure's minute (see ABOUT.md). */
function kubeletLines(notes: string): string[] {
  return notes
    .split('\n')
    .filter((line) => /^Jan 23 14:15:31 dc05 kubelet: [EIW]0123 14:15:31\.\d+ /.test(line))
    .filter((line) => !line.includes('pod_workers.go')) // the longest line says what the first two say again
    .map((line) =>
      line
        .replace(/^Jan 23 14:15:31 /, 'Nov 12 15:15:42 ')
        .replace(/([EIW])0123 14:15:31\./, '$11112 15:15:42.'),
    );
}

function ok(text: string, timeMs: number): FileRead {
  return { ok: true, text, readMs: READ_MS, readAtMs: timeMs };
}

function notSampled(name: string): FileRead {
  return {
    ok: false,
    reason: 'missing',
    message: `/proc/${name} is not in the public samples this demo recording was built from`,
  };
}

export function buildIncidentFrames(): RawFrame[] {
  const buddySample = readFileSync(join(FIXTURE, 'proc/buddyinfo'), 'utf8');
  const zoneSample = readFileSync(join(FIXTURE, 'proc/zoneinfo'), 'utf8');
  const slabSample = readFileSync(join(FIXTURE, 'proc/slabinfo'), 'utf8');
  const kernel = readFileSync(join(FIXTURE, 'proc/sys/kernel/osrelease'), 'utf8').trim();
  const report = readFileSync(join(FIXTURE, 'dmesg.txt'), 'utf8').replace(/\n$/, '').split('\n');
  const notes = readFileSync(join(ROOT, 'fixtures/samples/incident-notes-k8s-order6-kubelet.txt'), 'utf8');
  const kubelet = kubeletLines(notes);
  if (kubelet.length === 0) throw new Error('no kubelet lines found in the incident notes');

  const rows = parseBuddyinfo(buddySample);
  for (const row of rows) {
    // The samples agree: zoneinfo's free pages equal the buddy lists' sum in every zone.
    const zoneFree = zoneValue(zoneSample, row.node, row.zone, 'pages free');
    if (zoneFree !== freePages(row.freeBlocksByOrder))
      throw new Error(`Node ${row.node} ${row.zone}: buddyinfo and zoneinfo free pages differ`);
  }
  const normal0Slab = zoneValue(zoneSample, 0, 'Normal', 'nr_slab_unreclaimable');
  const settledFrame = REPORT_FRAME - SETTLED_BEFORE_REPORT;
  const startTimeMs = REPORT_TIME_MS - REPORT_FRAME * INTERVAL_MS;

  const frames: RawFrame[] = [];
  for (let i = 0; i < FRAME_COUNT; i++) {
    const timeMs = startTimeMs + i * INTERVAL_MS;
    // Fragmentation speeds up as the node fills with pods: ease in.
    const t = Math.min(1, i / settledFrame) ** 1.6;
    // Fewer merges as time goes on; merges keep the free pages, so zoneinfo's count stays right.
    const nowRows = rows.map((row) => ({
      ...row,
      freeBlocksByOrder: healthyStart(row.freeBlocksByOrder, MERGE_SHARE * (1 - t)),
    }));
    let zoneinfo = zoneSample;
    for (const row of nowRows) {
      const free = freePages(row.freeBlocksByOrder);
      zoneinfo = setZoneValue(zoneinfo, row.node, row.zone, 'pages free', free);
      zoneinfo = setZoneValue(zoneinfo, row.node, row.zone, 'nr_free_pages', free);
    }
    const globalSlabs = Math.round(GLOBAL_CONNTRACK_START_SLABS + (32 - GLOBAL_CONNTRACK_START_SLABS) * t);
    // The nf_conntrack slabs are unreclaimable slab pages of node 0's Normal zone (4 pages a slab).
    zoneinfo = setZoneValue(
      zoneinfo,
      0,
      'Normal',
      'nr_slab_unreclaimable',
      normal0Slab - (32 - globalSlabs) * 4,
    );

    const kmsg = i === REPORT_FRAME ? report : i === REPORT_FRAME + 1 ? kubelet : [];
    frames.push({
      timeMs,
      host: HOST,
      kernel,
      pageSize: 4096,
      files: {
        buddyinfo: ok(formatBuddyinfo(nowRows), timeMs),
        pagetypeinfo: notSampled('pagetypeinfo'),
        slabinfo: ok(slabinfoAt(slabSample, i, globalSlabs), timeMs),
        zoneinfo: ok(zoneinfo, timeMs),
        vmstat: notSampled('vmstat'),
        meminfo: notSampled('meminfo'),
      },
      kmsg,
    });
  }
  // The buddy lists end exactly as sampled (the sample's last line lacks the kernel's trailing space).
  const lastBuddy = frames[frames.length - 1]?.files.buddyinfo;
  if (!lastBuddy?.ok || JSON.stringify(parseBuddyinfo(lastBuddy.text)) !== JSON.stringify(rows))
    throw new Error('the last frame does not hold the sampled buddyinfo');
  return frames;
}

async function main(): Promise<void> {
  if (!existsSync(FIXTURE)) throw new Error(`run this from the repository root (${FIXTURE} is missing)`);
  const frames = buildIncidentFrames();
  const first = frames[0];
  if (first === undefined) throw new Error('no frames');
  if (existsSync(OUT)) rmSync(OUT);
  const writer = await openRecordingWriter(OUT, {
    host: first.host,
    kernel: first.kernel,
    pageSize: first.pageSize,
    intervalMs: INTERVAL_MS,
    startTimeMs: first.timeMs,
  });
  for (const frame of frames) await writer.append(frame);
  await writer.close();
  const { bytes } = writer.stats();
  console.log(`wrote ${frames.length} frames, ${bytes} bytes, to ${OUT}`);
  const rows = parseBuddyinfo(readFileSync(join(FIXTURE, 'proc/buddyinfo'), 'utf8'));
  for (const row of rows)
    console.log(
      `Node ${row.node} ${row.zone}: start ${healthyStart(row.freeBlocksByOrder).join(' ')} -> end ${row.freeBlocksByOrder.join(' ')}`,
    );
}

await main();
