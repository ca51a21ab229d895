// Assembles kernel "page allocation failure" and OOM-killer reports from log lines, in any supported log format;
// the report is returned as printed (analyze/enrich-failure decodes its flags and explains it).
import { parseLogLine, withYear, type LogFormat } from './kernel-log-line.js';
import type { Parsed, Problem } from './types.js';
import { sameZone } from './zone-key.js';

export type FailureKind = 'page-allocation-failure' | 'oom-kill';

/** One per-order line of the report's Mem-Info: `Node 0 Normal: 12*4kB (UEM) 3*8kB ... = 1234kB`. */
export interface FailureZone {
  node: number;
  zone: string;
  /** Free blocks per order. */
  free: number[];
  /** Migrate-type letters printed after each count (`UEM`), '' where none were printed. */
  typesByOrder: string[];
}

/** One zone line of the report's Mem-Info: `Node 0 Normal free:311184kB min:55536kB low:69420kB high:83304kB ...`. */
export interface MemInfoZone {
  node: number;
  zone: string;
  freeKb: number;
  watermarkMinKb: number;
  watermarkLowKb: number;
  watermarkHighKb: number;
  /** Watermark boost (5.0+); the printed min/low/high already include it. */
  boostKb?: number;
}

/** A report as the kernel printed it: nothing decoded or explained yet. */
export interface FailureReport {
  /** Seconds since boot, or an ISO string when the log line has a date; null when it has neither. */
  time: number | string | null;
  process: string;
  pid: number | null;
  /** The allocation order; -1 for an OOM kill forced from sysrq. */
  order: number;
  /** The GFP mask as printed, e.g. `0x10c0d0`. */
  mode: string;
  /** The flag names printed after the mask (`(GFP_KERNEL|__GFP_COMP)`); null when only hex was printed. */
  printedFlags: string[] | null;
  /** Kernel release from the report's `CPU: ... Comm: ...` line, else null. */
  kernel: string | null;
  /** Call-trace function names in printed order, offsets and `?` frames dropped. */
  trace: string[];
  zones: FailureZone[] | null;
  kind: FailureKind;
  /** `(null)` or a node list such as `0-1` (4.10+); null when not printed. */
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  /** Reports the kernel's rate limit suppressed just before this one (`warn_alloc: N callbacks suppressed`). */
  suppressedBefore: number;
  memInfoZones: MemInfoZone[] | null;
  /** Page size inferred from the per-order list (its first block size); null without one. */
  pageSizeBytes: number | null;
  /** Modules named in the trace, e.g. `nf_conntrack`. */
  traceModules: string[];
  /** 1-based input line of the report's first line. */
  line: number;
  /** Set when this report's call trace was printed interleaved with another's and could not be read. */
  traceInterleaved?: true;
}

export interface ParsedFailureReports {
  failures: FailureReport[];
  /** Sum of all allocation-failure `callbacks suppressed` counts seen. */
  suppressedTotal: number;
}

const ALLOC_HEADER =
  /^(.+): page allocation failure[.:] order:(\d+), mode:(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?(.*)$/;
const OOM_HEADER =
  /^(.+) invoked oom-killer: gfp_mask=(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?,(?: nodemask=(\(null\)|[0-9,-]*),)? +order=(-?\d+)/;
const NODEMASK = /, nodemask=(\(null\)|[0-9,-]*)/;
const CPUSET_SAME_LINE = /,cpuset=(.*?),mems_allowed=([0-9,-]*)/;
// 4.10-4.19 print the cpuset on its own line: `<comm> cpuset=<name> mems_allowed=<list>`.
const CPUSET_LINE = /^(.+) cpuset=(.*) mems_allowed=([0-9,-]*)$/;
// dump_stack's banner; RHEL adds `Kdump: loaded` and `------------` around the taint flags.
// Taint flags are one letter or blank each; RHEL puts `------------` among them and its own letters after it
// (`Tainted: G        W  OE  ------------ T 3.10.0-514.el7.x86_64`). Bounded, so an odd line costs little.
const TAINT = '(?:Not tainted|Tainted:[A-Za-z -]{0,80}?)';
const BANNER = new RegExp(
  `^CPU: \\d{1,6} (?:UID: \\d{1,10} )?PID: (\\d{1,10}) Comm: (.{0,64}?) (?:Kdump: loaded )?${TAINT} +(\\d+\\.\\d+\\S*)`,
);
const BANNER_26 = new RegExp(`^Pid: (\\d{1,10}), comm: (.{0,64}?) ${TAINT} +(\\d+\\.\\d+\\S*)`);
const CALL_TRACE = /^(?:Call [Tt]race|Backtrace):?$/;
const FRAME =
  /^(?:\[<[0-9a-fA-F]+>\] ?)?(\? )?([A-Za-z_.$][\w.$]*)\+0x[0-9a-fA-F]+\/0x[0-9a-fA-F]+(?: \[([^\]\s]+)\])?/;
// arm32: `[<c0013c4c>] (unwind_backtrace+0x0/0xf8) from [<c0011b1c>] (show_stack+0x10/0x14)`; from 3.x the first
// function has no offset: `[<c000f780>] (unwind_backtrace) from [<c000d20c>] (show_stack+0x10/0x14)`.
const ARM_FRAME =
  /^\[<[0-9a-fA-F]+>\] \(([\w.$]+)(?:\+0x[0-9a-fA-F]+\/0x[0-9a-fA-F]+)?(?: \[([^\]\s]+)\])?\)(?: from |$)/;
// Where a trace crosses an interrupt or exception: `<IRQ>`, `<EOI>`, `</IRQ>`, `<NMI>`, `<TASK>`, `<#DF>`; on 3.x
// the marker shares its line with the next frame (` <IRQ>  [<ffffffff81685fac>] dump_stack+0x19/0x1b`).
const STACK_MARKER = /^<\/?(?:IRQ|EOI|EOE|NMI|TASK|SOFTIRQ|#DF|#MC|DB|NMI_IST)>\s*/;
// Lines printed inside a trace when it crosses an interrupt or exception frame: a register dump (x86 `RIP: 0010:…`,
// `RAX: …`, `Code: …`; arm64 `pc : …`, `x29: …`; arm32 `Exception stack(0x… to 0x…)` and its hex rows).
const TRACE_INTERIOR =
  /^(?:[RE]?[A-Z0-9]{2,3}: |Code: |pc : |lr : |sp : |x\d+: |pstate: |Exception stack\(|[0-9a-f]{4}: [0-9a-f]{8})/;
// The frames a stack dump starts with: seen after another frame of the same trace, two traces are mixed.
const DUMP_ENTRY_FRAMES = new Set([
  'dump_stack',
  'dump_stack_lvl',
  '__dump_stack',
  'show_stack',
  'dump_backtrace',
  'unwind_backtrace',
  'show_stack_log_lvl',
  'dump_trace',
]);
const END_TRACE = /^---\[ end trace/;
const MEM_INFO = /^Mem-Info:$/;
const SYSRQ_MEMORY = /^(?:sysrq: |SysRq : )Show Memory$/;
const ZONE_LINE =
  /^(?:Node (\d+) )?([A-Za-z]\w*) free:(\d+)kB(?: boost:(\d+)kB)? min:(\d+)kB low:(\d+)kB high:(\d+)kB/;
const ORDER_LINE = /^(?:Node (\d+) )?([A-Za-z]\w*): (\d+\*\d+kB.*)$/;
const ORDER_ITEM = /(\d+)\*(\d+)kB(?: \(([A-Z]+)\))?\s*/y;
const SUPPRESSED = /^(?:(\S+): )?(\d+) callbacks suppressed$/;
const ALLOC_RATELIMITS = new Set(['warn_alloc', 'warn_alloc_failed']);
// Every line the parser uses matches this; most lines of a kernel log do not, and are skipped with one test.
const MAYBE_USEFUL =
  /page allocation failure|invoked oom-killer|callbacks suppressed| cpuset=|^CPU: |^Pid: |race:?$|\+0x|Mem-Info|Show Memory|kB|^---\[ end trace/;

/**
 * No kernel has orders above this (MAX_ORDER is at most 13 on arm64 with 64 KiB pages; the largest
 * CONFIG_ARCH_FORCE_MAX_ORDER any architecture allows is below 20): a larger one is a damaged or forged line.
 */
export const MAX_PLAUSIBLE_ORDER = 20;

/** Lines further than this from a report's last line, or seconds apart, are not joined to it. */
const MAX_LINE_GAP = 400;
const MAX_SECONDS_GAP = 10;
/** Reports still receiving lines at once: more than any log of many CPUs printing together holds. */
const MAX_OPEN_REPORTS = 32;
/** Lines between a dump_stack banner and its `Call Trace:` (hardware name, raw stack words). */
const MAX_BANNER_GAP = 50;

type Stage = 'header' | 'cpu' | 'trace' | 'meminfo' | 'done';

interface Draft {
  kind: FailureKind;
  line: number;
  time: number | string | null;
  process: string;
  order: number;
  mode: string;
  printedFlags: string | null;
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  suppressedBefore: number;
  pid: number | null;
  kernel: string | null;
  trace: string[];
  traceModules: string[];
  zones: FailureZone[];
  memInfoZones: MemInfoZone[];
  pageSizeBytes: number | null;
  stage: Stage;
  traceInterleaved: boolean;
  lastIndex: number;
  lastTime: number | string | null;
}

interface LogicalLine {
  line: number;
  time: number | string | null;
  text: string;
}

interface LogRecord {
  line: number;
  format: LogFormat;
  time: number | string | null;
  kernel: boolean;
  message: string;
}

/** Log lines back to records: kmsg `+` fragments and hand-wrapped lines rejoin the record they belong to. */
function toRecords(lines: readonly string[], referenceMs: number | null): LogRecord[] {
  const records: LogRecord[] = [];
  let last: LogRecord | null = null;
  // `dmesg -H` states the minute once; the lines after it, in the same minute, only the seconds in between.
  let minute: string | null = null;
  lines.forEach((raw, i) => {
    const text = typeof raw === 'string' ? raw : '';
    const parsed = parseLogLine(text);
    if (parsed.dict) return;
    if (parsed.format === 'dmesg-H') {
      if (parsed.deltaSeconds === undefined) minute = typeof parsed.time === 'string' ? parsed.time : null;
      else parsed.time = minute;
    }
    if (typeof parsed.time === 'string') parsed.time = withYear(parsed.time, referenceMs);
    if (parsed.format === 'kmsg' && parsed.kmsgFlags === '+' && last?.format === 'kmsg') {
      last.message += parsed.message;
      return;
    }
    const trimmed = parsed.message.trim();
    // An indented line without any prefix after a prefixed one is a wrapped (or journald-continued) line.
    if (
      parsed.format === 'bare' &&
      last !== null &&
      last.format !== 'bare' &&
      /^\s/.test(text) &&
      trimmed !== '' &&
      !FRAME.test(trimmed)
    ) {
      last.message += ` ${trimmed}`;
      return;
    }
    last = {
      line: i + 1,
      format: parsed.format,
      time: parsed.time,
      kernel: parsed.kernel,
      message: parsed.message,
    };
    records.push(last);
  });
  return records;
}

function toLogicalLines(records: readonly LogRecord[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  for (const record of records) {
    // Lines of other programs are context for a reader, never part of a kernel report.
    if (!record.kernel) continue;
    for (const part of record.message.split('\n')) {
      const text = part.trim();
      if (text !== '') out.push({ line: record.line, time: record.time, text });
    }
  }
  return out;
}

interface OrderLine {
  node: number;
  zone: string;
  free: number[];
  typesByOrder: string[];
  blockKb: number;
}

/** Reads a per-order line, checking that block sizes double and that the counts add up to the printed total. */
function readOrderLine(
  m: RegExpExecArray,
  file: string,
  line: number,
  problems: Problem[],
): OrderLine | null {
  const node = m[1] === undefined ? 0 : Number(m[1]);
  const zone = m[2] ?? '';
  const where = `${m[1] === undefined ? '' : `Node ${node} `}${zone}`;
  const body = m[3] ?? '';
  const totalMatch = /=\s*(\d+)kB$/.exec(body);
  if (!totalMatch) {
    problems.push({ file, line, message: `${where}: per-order line without its "= <total>kB" end` });
    return null;
  }
  const items = body.slice(0, totalMatch.index);
  const free: number[] = [];
  const typesByOrder: string[] = [];
  const sizesKb: number[] = [];
  ORDER_ITEM.lastIndex = 0;
  let item: RegExpExecArray | null;
  while ((item = ORDER_ITEM.exec(items)) !== null) {
    free.push(Number(item[1]));
    sizesKb.push(Number(item[2]));
    typesByOrder.push(item[3] ?? '');
    if (ORDER_ITEM.lastIndex === items.length) break;
  }
  if (free.length === 0 || ORDER_ITEM.lastIndex !== items.length) {
    problems.push({ file, line, message: `${where}: could not read the per-order list` });
    return null;
  }
  const blockKb = sizesKb[0] ?? 0;
  if (blockKb <= 0 || sizesKb.some((size, order) => size !== blockKb * 2 ** order)) {
    problems.push({ file, line, message: `${where}: block sizes do not double from order to order` });
    return null;
  }
  const sumKb = free.reduce((sum, count, order) => sum + count * blockKb * 2 ** order, 0);
  const totalKb = Number(totalMatch[1]);
  if (sumKb !== totalKb) {
    problems.push({
      file,
      line,
      message: `${where}: the blocks add up to ${sumKb}kB but the line says ${totalKb}kB`,
    });
    return null;
  }
  return { node, zone, free, typesByOrder, blockKb };
}

function finish(d: Draft): FailureReport {
  return {
    time: d.time,
    process: d.process,
    pid: d.pid,
    order: d.order,
    mode: d.mode,
    printedFlags: d.printedFlags === null ? null : d.printedFlags.split('|').filter((name) => name !== ''),
    kernel: d.kernel,
    trace: d.trace,
    zones: d.zones.length > 0 ? d.zones : null,
    kind: d.kind,
    nodemask: d.nodemask,
    cpuset: d.cpuset,
    memsAllowed: d.memsAllowed,
    suppressedBefore: d.suppressedBefore,
    memInfoZones: d.memInfoZones.length > 0 ? d.memInfoZones : null,
    pageSizeBytes: d.pageSizeBytes,
    traceModules: d.traceModules,
    line: d.line,
    ...(d.traceInterleaved ? { traceInterleaved: true as const } : {}),
  };
}

/**
 * Finds allocation-failure and OOM-killer reports in kernel log lines (any mix of supported formats) and
 * assembles each from its header, dump_stack banner, call trace and Mem-Info, even when other messages, or the
 * lines of a second report, come in between. Odd lines are reported as problems; the function never throws.
 */
export interface ParseAllocFailureOptions {
  /**
   * Epoch ms the log is known to be no older than (its file's mtime, the capture time): year-less syslog and
   * `dmesg -H` times get their year from it. Without it they stay `--MM-DDTHH:MM:SS` (ISO 8601 without a year).
   */
  referenceMs?: number | null;
}

export function parseAllocFailures(
  lines: string[],
  file = 'kmsg',
  options: ParseAllocFailureOptions = {},
): Parsed<ParsedFailureReports> {
  const problems: Problem[] = [];
  const drafts: Draft[] = [];
  // Banners waiting for their `Call Trace:` line, oldest first; null for a dump that is not a report's.
  const banners: Array<{ draft: Draft | null; index: number }> = [];
  let traceOwner: Draft | null = null;
  // Frames from here on belong to traces that were found interleaved: they are attributed to nobody.
  let mixedTrace = false;
  // A Mem-Info block that belongs to no report (sysrq-m, or its report was not found) is being printed.
  let foreignMemInfo = false;
  let pendingSuppressed = 0;
  let suppressedTotal = 0;

  let logical: LogicalLine[] = [];
  try {
    logical = toLogicalLines(toRecords(Array.isArray(lines) ? lines : [], options.referenceMs ?? null));
  } catch {
    problems.push({ file, message: 'could not read the log lines' });
  }

  // Reports that may still receive lines; finished or distant ones leave it so that lookups stay cheap.
  let open: Draft[] = [];

  // Position of the line being read; the helpers below compare reports against it.
  let index = 0;
  let time: number | string | null = null;
  const near = (d: Draft): boolean => {
    if (index - d.lastIndex > MAX_LINE_GAP) return false;
    if (typeof time === 'number' && typeof d.lastTime === 'number') {
      return Math.abs(time - d.lastTime) <= MAX_SECONDS_GAP;
    }
    return true;
  };
  const touch = (d: Draft): void => {
    d.lastIndex = index;
    d.lastTime = time;
  };
  const oldest = (pred: (d: Draft) => boolean): Draft | undefined => open.find((d) => pred(d) && near(d));
  const newest = (pred: (d: Draft) => boolean): Draft | undefined => {
    for (let i = open.length - 1; i >= 0; i--) {
      const d = open[i];
      if (d && pred(d) && near(d)) return d;
    }
    return undefined;
  };
  const closeCompleted = (): void => {
    for (const d of open) {
      const complete = d.zones.length > 0 && d.memInfoZones.every((z) => d.zones.some((o) => sameZone(o, z)));
      if (d.stage === 'meminfo' && complete) d.stage = 'done';
    }
    open = open.filter((d) => d.stage !== 'done' && index - d.lastIndex <= MAX_LINE_GAP);
  };
  /** The report a Mem-Info zone or per-order line belongs to. */
  const memInfoTarget = (lacks: (d: Draft) => boolean): Draft | undefined => {
    const found = oldest((d) => d.stage === 'meminfo' && lacks(d));
    if (found || foreignMemInfo) return found;
    // Excerpts sometimes omit the `Mem-Info:` line: take the latest report still before its Mem-Info.
    const fallback = newest(
      (d) => (d.stage === 'header' || d.stage === 'cpu' || d.stage === 'trace') && lacks(d),
    );
    if (fallback) {
      fallback.stage = 'meminfo';
      if (traceOwner === fallback) traceOwner = null;
    }
    return fallback;
  };

  logical.forEach((current, currentIndex) => {
    const { line, text } = current;
    if (!MAYBE_USEFUL.test(text)) return;
    index = currentIndex;
    time = current.time;

    const suppressed = text.endsWith('callbacks suppressed') ? SUPPRESSED.exec(text) : null;
    if (suppressed) {
      if (suppressed[1] === undefined || ALLOC_RATELIMITS.has(suppressed[1])) {
        const count = Number(suppressed[2]);
        pendingSuppressed += count;
        suppressedTotal += count;
      }
      return;
    }

    const alloc = text.includes(': page allocation failure') ? ALLOC_HEADER.exec(text) : null;
    const oom = !alloc && text.includes(' invoked oom-killer:') ? OOM_HEADER.exec(text) : null;
    if (alloc || oom) {
      const order = Number(alloc ? alloc[2] : oom?.[5]);
      // An OOM kill forced from sysrq has order -1; anything else outside 0..MAX is not a kernel's.
      if (!Number.isSafeInteger(order) || order > MAX_PLAUSIBLE_ORDER || order < (alloc ? 0 : -1)) {
        const shown = String(alloc ? alloc[2] : oom?.[5]);
        problems.push({
          file,
          line,
          message: `order ${shown.length > 24 ? `${shown.slice(0, 24)}…` : shown} is larger than any kernel's (at most ${MAX_PLAUSIBLE_ORDER}): report skipped`,
        });
        return;
      }
      let draft: Draft;
      const base = {
        line,
        time,
        suppressedBefore: pendingSuppressed,
        pid: null,
        kernel: null,
        trace: [],
        traceModules: [],
        zones: [],
        memInfoZones: [],
        pageSizeBytes: null,
        stage: 'header' as const,
        traceInterleaved: false,
        lastIndex: index,
        lastTime: time,
      };
      if (alloc) {
        const rest = alloc[5] ?? '';
        const cpuset = CPUSET_SAME_LINE.exec(rest);
        draft = {
          ...base,
          kind: 'page-allocation-failure',
          process: alloc[1] ?? '',
          order,
          mode: (alloc[3] ?? '').toLowerCase(),
          printedFlags: alloc[4] ?? null,
          nodemask: NODEMASK.exec(rest)?.[1] ?? null,
          cpuset: cpuset?.[1] ?? null,
          memsAllowed: cpuset?.[2] ?? null,
        };
      } else {
        const m = oom as RegExpExecArray;
        draft = {
          ...base,
          kind: 'oom-kill',
          process: m[1] ?? '',
          order,
          mode: (m[2] ?? '').toLowerCase(),
          printedFlags: m[3] ?? null,
          nodemask: m[4] ?? null,
          cpuset: null,
          memsAllowed: null,
        };
      }
      pendingSuppressed = 0;
      foreignMemInfo = false;
      closeCompleted();
      drafts.push(draft);
      open.push(draft);
      // More reports in progress at once than CPUs print is a damaged log: bound the work per line.
      if (open.length > MAX_OPEN_REPORTS) open.splice(0, open.length - MAX_OPEN_REPORTS);
      return;
    }
    // Also the headers two CPUs printed at once in KERN_CONT pieces (`order:0page allocation failure: order:0`).
    if (text.includes('page allocation failure')) {
      problems.push({ file, line, message: 'page allocation failure line not understood' });
      return;
    }
    if (text.includes(' invoked oom-killer:')) {
      problems.push({ file, line, message: 'oom-killer line not understood' });
      return;
    }

    const cpusetLine = text.includes(' cpuset=') ? CPUSET_LINE.exec(text) : null;
    if (cpusetLine) {
      const d = newest((x) => x.stage === 'header' && x.process === cpusetLine[1] && x.cpuset === null);
      if (d) {
        d.cpuset = cpusetLine[2] ?? null;
        d.memsAllowed = cpusetLine[3] ?? null;
        touch(d);
      }
      return;
    }

    const banner =
      text.startsWith('CPU: ') || text.startsWith('Pid: ')
        ? (BANNER.exec(text) ?? BANNER_26.exec(text))
        : null;
    if (banner) {
      const d = oldest((x) => x.stage === 'header' && x.process === banner[2]);
      if (d) {
        d.pid = Number(banner[1]);
        d.kernel = banner[3] ?? null;
        d.stage = 'cpu';
        touch(d);
      }
      // A banner of no report (another warning's stack) still takes the next `Call Trace:`.
      banners.push({ draft: d ?? null, index });
      return;
    }

    /** Two reports' traces are mixed line by line: neither can be told apart, so neither keeps a trace. */
    const interleaved = (a: Draft, b: Draft | null): void => {
      for (const d of b ? [a, b] : [a]) {
        d.traceInterleaved = true;
        d.trace = [];
        d.traceModules = [];
      }
      problems.push({
        file,
        line,
        message: `the call traces of ${b ? `"${b.process}" and ` : ''}"${a.process}" are interleaved line by line (two CPUs printing at once, no printk caller ids): neither trace is used`,
      });
      traceOwner = null;
      mixedTrace = true;
    };

    if (CALL_TRACE.test(text)) {
      // A banner is followed by its trace within a few lines; older ones never got one.
      while (banners[0] && index - banners[0].index > MAX_BANNER_GAP) banners.shift();
      let owner: Draft | null | undefined = banners.shift()?.draft;
      // The banner may be missing from an excerpt: the trace then follows the report header directly.
      if (owner === undefined) owner = newest((d) => d.stage === 'header') ?? null;
      const previous = traceOwner;
      // A second `Call Trace:` before the first trace printed any frame: the two are printed at once.
      if (
        owner &&
        previous &&
        previous !== owner &&
        previous.stage === 'trace' &&
        previous.trace.length === 0
      ) {
        owner.stage = 'trace';
        interleaved(owner, previous);
        touch(owner);
        return;
      }
      traceOwner = owner;
      mixedTrace = false;
      if (owner) {
        owner.stage = 'trace';
        touch(owner);
      }
      return;
    }

    const bare = text.replace(STACK_MARKER, '');
    const frame = FRAME.exec(bare);
    const armFrame = frame ? null : ARM_FRAME.exec(bare);
    if (frame || armFrame) {
      if (mixedTrace) return;
      // arm32 and some old kernels print no `Call Trace:` line: frames right after a banner or header start it.
      if (traceOwner === null) {
        while (banners[0] && index - banners[0].index > MAX_BANNER_GAP) banners.shift();
        const implicit = banners[0]?.draft ?? newest((d) => d.stage === 'header' && index - d.lastIndex < 8);
        if (implicit && (implicit.stage === 'cpu' || implicit.stage === 'header')) {
          if (banners[0]?.draft === implicit) banners.shift();
          implicit.stage = 'trace';
          traceOwner = implicit;
        }
      }
      if (traceOwner === null || traceOwner.stage !== 'trace') return;
      const unreliable = frame ? frame[1] !== undefined : false;
      const name = frame ? frame[2] : armFrame?.[1];
      const module = frame ? frame[3] : armFrame?.[2];
      if (unreliable || name === undefined) return;
      // A stack dump's first frames turning up after other frames: another CPU's trace is mixed into this one.
      const trace = traceOwner.trace;
      const last = trace[trace.length - 1];
      if (DUMP_ENTRY_FRAMES.has(name) && last !== undefined && !DUMP_ENTRY_FRAMES.has(last)) {
        const other = open.find((d) => d !== traceOwner && d.stage === 'trace' && near(d)) ?? null;
        interleaved(traceOwner, other);
        return;
      }
      trace.push(name);
      if (module !== undefined && !traceOwner.traceModules.includes(module))
        traceOwner.traceModules.push(module);
      touch(traceOwner);
      return;
    }
    if (mixedTrace && TRACE_INTERIOR.test(text)) return;
    if (END_TRACE.test(text)) {
      traceOwner = null;
      mixedTrace = false;
      return;
    }

    if (MEM_INFO.test(text)) {
      const d =
        oldest((x) => x.stage === 'trace') ?? newest((x) => x.stage === 'header' || x.stage === 'cpu');
      if (d) {
        closeCompleted();
        d.stage = 'meminfo';
        if (traceOwner === d) traceOwner = null;
        mixedTrace = false;
        foreignMemInfo = false;
        touch(d);
      } else {
        foreignMemInfo = true;
      }
      return;
    }
    if (SYSRQ_MEMORY.test(text)) {
      foreignMemInfo = true;
      return;
    }

    const zoneLine = ZONE_LINE.exec(text);
    if (zoneLine) {
      const node = zoneLine[1] === undefined ? 0 : Number(zoneLine[1]);
      const zone = zoneLine[2] ?? '';
      const d = memInfoTarget((x) => !x.memInfoZones.some((z) => sameZone(z, { node, zone })));
      if (d) {
        const entry: MemInfoZone = {
          node,
          zone,
          freeKb: Number(zoneLine[3]),
          watermarkMinKb: Number(zoneLine[5]),
          watermarkLowKb: Number(zoneLine[6]),
          watermarkHighKb: Number(zoneLine[7]),
        };
        if (zoneLine[4] !== undefined) entry.boostKb = Number(zoneLine[4]);
        d.memInfoZones.push(entry);
        touch(d);
      }
      return;
    }

    const orderLine = ORDER_LINE.exec(text);
    if (orderLine) {
      const read = readOrderLine(orderLine, file, line, problems);
      if (!read) return;
      const d = memInfoTarget((x) => !x.zones.some((z) => sameZone(z, read)));
      if (d) {
        d.zones.push({ node: read.node, zone: read.zone, free: read.free, typesByOrder: read.typesByOrder });
        d.pageSizeBytes ??= read.blockKb * 1024;
        touch(d);
      }
    }
  });

  return { value: { failures: drafts.map(finish), suppressedTotal }, problems };
}
