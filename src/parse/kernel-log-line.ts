// Recognises one kernel-log line in any format fragtop reads: dmesg, dmesg -T, syslog, journalctl, /dev/kmsg, bare.

export type LogFormat =
  | 'dmesg'
  | 'dmesg-T'
  | 'dmesg-H'
  | 'syslog'
  | 'journal-short'
  | 'journal-iso'
  | 'journal-monotonic'
  | 'kmsg'
  | 'bare';

export interface LogLine {
  format: LogFormat;
  /** Seconds since boot, or an ISO 8601 string when the line carries a date; null when it has neither. */
  time: number | string | null;
  /** False for lines of other programs (kubelet, dockerd, ...) and for /dev/kmsg records written from user space. */
  kernel: boolean;
  /** The message, with transport escapes (`#012`, `\x0a`) turned back into the characters they stand for. */
  message: string;
  /** /dev/kmsg sequence number. */
  seq?: number;
  /** Console log level 0-7, when the line states it (`<4>`, /dev/kmsg priority, `dmesg -x`). */
  level?: number;
  /** /dev/kmsg flags field: `-`, or `c`/`+` for the pieces of a continued line on kernels before 4.9. */
  kmsgFlags?: string;
  /** A /dev/kmsg dictionary line (` KEY=value`): it belongs to the record above and carries no message. */
  dict?: true;
  /**
   * Who printed the line, when the log says: `T<pid>` for a task, `C<cpu>` for interrupt context (printk caller
   * id `[ T1234]`, /dev/kmsg `caller=`, vendor prefixes such as `[pid:1361,cpu5,comm]`).
   */
  caller?: string;
  /** `dmesg -H` lines after the first of a minute: seconds since the line before (`[  +0.000006]`). */
  deltaSeconds?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
// A syslog/journal "host ident[pid]: " tail; hosts and idents never contain ':' or brackets.
const HOST_IDENT = '(?:([^\\s:\\[\\]]+) )?([^\\s:\\[\\]]+)(?:\\[\\d+\\])?:(?: (.*))?$';

// `6,1234,5678901,-;message` (/dev/kmsg; extra comma fields may follow the flags on newer kernels).
const KMSG = /^(\d+),(\d+),(\d+),([^;,]*)(,[^;]*)?;(.*)$/;
const KMSG_DICT = /^ [A-Z0-9_]+=/;
// `[ 1234.567890] host kernel: msg` (journalctl -o short-monotonic); the ident must be `kernel` or carry a pid,
// so that a dmesg line such as `usb 1-1: new device` is not mistaken for one.
const JOURNAL_MONOTONIC = /^\[\s*(\d+\.\d+)\] ([^\s:[\]]+) (kernel|[^\s:[\]]+\[\d+\]):(?: (.*))?$/;
// `[ 1234.567890] msg`, optionally with the `[T123]`/`[C1]` caller id of CONFIG_PRINTK_CALLER, the delta of
// `dmesg -d` (`[ 1234.567890 <    0.000012>]`), the `s` some vendor kernels add (`[309805.658142s]`), or a vendor's
// wall clock after a slash (`[   26.326862 / 09-26 13:22:37.706]`).
const DMESG =
  /^\s{0,4}\[\s*(\d+\.\d+)s?(?: <\s*\d+\.\d+>| \/ \d\d-\d\d \d\d:\d\d:\d\d\.\d+)?\](?:\[\s*([TC]\d+)\])? ?(.*)$/;
// `[Tue Jan 23 14:15:31 2019] msg` (dmesg -T; with -d a delta follows the year).
const DMESG_T = new RegExp(
  `^\\[${WEEKDAY} ${MONTH} ([ \\d]\\d) (\\d\\d:\\d\\d:\\d\\d) (\\d{4})(?: <\\s*\\d+\\.\\d+>)?\\](?:\\[\\s*[TC]\\d+\\])? ?(.*)$`,
);
// `dmesg -H`: the first line of each minute carries month, day, hour and minute (`[Nov29 07:46]`, `[Jun 8 11:04]`),
// the others the seconds since the line before (`[  +3.180000]`).
const DMESG_H_DATE = new RegExp(`^\\[${MONTH} ?([ \\d]?\\d) (\\d\\d:\\d\\d)\\] ?(.*)$`);
const DMESG_H_DELTA = /^\[\s*\+\s*(\d+\.\d+)\] ?(.*)$/;
// Vendor prefixes between the stamp and the message: Huawei `[pid:1361,cpu5,comm]`, Rockchip `[2][662][comm] `,
// MediaTek `(2)[1234:comm]`.
const VENDOR_TASK = /^\[pid:(\d+),cpu\d+,[^\]]{0,32}\] ?/;
const VENDOR_CPU_PID_COMM = /^\[\d{1,4}\]\[(\d+)\]\[[^\]]{0,32}\] ?/;
const VENDOR_MTK = /^\(\d{1,4}\)\[(\d+):[^\]]{0,32}\] ?/;
// A vendor's wall clock before everything else: `07-13 08:41:51.341 <4>[309805.658142s]...` (Huawei).
const VENDOR_WALL = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (?=<\d)/;
// `2019-01-23T14:15:31,123456+08:00 msg` (dmesg --time-format iso: a comma before the fraction, no host).
const DMESG_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d+(?:[+-]\d\d:?\d\d|Z)) (.*)$/;
// `Jan 23 14:15:31 host kernel: msg`; with a fraction it is journalctl -o short-precise.
const SYSLOG = new RegExp(`^${MONTH} ([ \\d]\\d) (\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)? ${HOST_IDENT}`);
// `Tue 2019-01-23 14:15:31 CET host kernel: msg` (journalctl -o short-full).
const JOURNAL_FULL = new RegExp(
  `^${WEEKDAY} (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) \\S+ ${HOST_IDENT}`,
);
// `2019-01-23T14:15:31+0800 host kernel: msg` (journalctl -o short-iso / short-iso-precise, rsyslog RFC 3339).
const ISO = new RegExp(
  `^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?) ${HOST_IDENT}`,
);
// `kern  :warn  : rest` (dmesg -x).
const DMESG_X =
  /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res\d*|local[0-7])\s*:(emerg|alert|crit|err|warn|notice|info|debug)\s*: (.*)$/;
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
// `<4>` syslog priority as kept by `dmesg -r` or console_msg_format=syslog.
const PRIORITY = /^<(\d{1,4})>(.*)$/;
// Android's second, wall-clock stamp after the dmesg one: `[03-19 10:05:52.172] `.
const ANDROID_STAMP = /^\[\d\d-\d\d \d\d:\d\d:\d\d\.\d+\] ?/;
// A kernel timestamp that syslog kept inside the message: `kernel: [ 1234.567890] msg`.
const INNER_STAMP = /^\[\s*\d+\.\d+\] ?/;

/** rsyslog writes control characters as `#` + three octal digits: `#012` is a newline. */
function unescapeRsyslog(text: string): string {
  return text.includes('#0')
    ? text.replace(/#0([0-3][0-7])/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
    : text;
}

/** /dev/kmsg writes bytes below 32, from 127, and the backslash itself as `\xNN`. */
function unescapeKmsg(text: string): string {
  return text.includes('\\x')
    ? text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

function monthNumber(name: string | undefined): string {
  return String(MONTHS.indexOf(name ?? '') + 1).padStart(2, '0');
}

function day(text: string | undefined): string {
  return (text ?? '').trim().padStart(2, '0');
}

/** Syslog's classic stamp has no year: the ISO 8601:2000 `--MM-DD` form keeps month and day without one. */
function yearlessIso(
  month: string | undefined,
  dayText: string | undefined,
  time: string,
  fraction = '',
): string {
  return `--${monthNumber(month)}-${day(dayText)}T${time}${fraction}`;
}

/** Strips a vendor's task prefix from a message; the pid it names becomes the caller. */
function vendorPrefix(text: string): { message: string; caller?: string } {
  const m = VENDOR_TASK.exec(text) ?? VENDOR_CPU_PID_COMM.exec(text) ?? VENDOR_MTK.exec(text);
  return m ? { message: text.slice(m[0].length), caller: `T${m[1]}` } : { message: text };
}

function bareOrDmesg(text: string, level: number | undefined, kernel: boolean): LogLine {
  const stamped = DMESG.exec(text);
  if (stamped) {
    const vendor = vendorPrefix((stamped[3] ?? '').replace(ANDROID_STAMP, ''));
    const line: LogLine = {
      format: 'dmesg',
      time: Number(stamped[1]),
      kernel,
      message: unescapeRsyslog(vendor.message),
    };
    const caller = stamped[2] ?? vendor.caller;
    if (caller !== undefined) line.caller = caller;
    return withLevel(line, level);
  }
  const delta = DMESG_H_DELTA.exec(text);
  if (delta) {
    const line: LogLine = { format: 'dmesg-H', time: null, kernel, message: unescapeRsyslog(delta[2] ?? '') };
    line.deltaSeconds = Number(delta[1]);
    return withLevel(line, level);
  }
  const minute = DMESG_H_DATE.exec(text);
  if (minute) {
    const time = yearlessIso(minute[1], minute[2], minute[3] ?? '');
    return withLevel({ format: 'dmesg-H', time, kernel, message: unescapeRsyslog(minute[4] ?? '') }, level);
  }
  const dated = DMESG_T.exec(text);
  if (dated) {
    const time = `${dated[4]}-${monthNumber(dated[1])}-${day(dated[2])}T${dated[3]}`;
    return withLevel({ format: 'dmesg-T', time, kernel, message: unescapeRsyslog(dated[5] ?? '') }, level);
  }
  const iso = DMESG_ISO.exec(text);
  if (iso) {
    const time = (iso[1] ?? '').replace(',', '.');
    return withLevel({ format: 'dmesg-T', time, kernel, message: unescapeRsyslog(iso[2] ?? '') }, level);
  }
  return withLevel({ format: 'bare', time: null, kernel, message: unescapeRsyslog(text) }, level);
}

function withLevel(line: LogLine, level: number | undefined): LogLine {
  if (level !== undefined) line.level = level;
  return line;
}

/** The message of a syslog/journal line; for kernel lines, a kernel timestamp kept inside it is dropped. */
function syslogMessage(text: string | undefined, kernel: boolean): string {
  const message = unescapeRsyslog(text ?? '');
  return kernel ? message.replace(INNER_STAMP, '') : message;
}

function parseKmsg(m: RegExpExecArray): LogLine {
  const priority = Number(m[1]);
  return {
    format: 'kmsg',
    time: Number(m[3]) / 1e6,
    // Facility 0 is the kernel. Plain writes to /dev/kmsg get LOG_USER (1): that is how a report is re-injected
    // into a node's log (or a test writes one), and its text must still have a report's shape to count.
    // Daemons log with their own facility (systemd: 3) and stay context.
    kernel: priority >> 3 <= 1,
    message: unescapeKmsg(m[6] ?? ''),
    seq: Number(m[2]),
    level: priority & 7,
    kmsgFlags: m[4] ?? '-',
    ...callerField(/,caller=([TC]\d+)/.exec(m[5] ?? '')?.[1]),
  };
}

function callerField(caller: string | undefined): { caller?: string } {
  return caller === undefined ? {} : { caller };
}

/** Longer than any kernel log line (a /dev/kmsg record is at most 8 KiB, escapes included at most 32 KiB). */
export const MAX_LINE_CHARS = 32 * 1024;

function detect(raw: string): LogLine {
  // A longer line is no kernel's; cutting it keeps the work per line bounded.
  const cut = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw;
  const line = cut.replace(/[\r\n]+$/, '').replace(VENDOR_WALL, '');

  if (KMSG_DICT.test(line)) return { format: 'kmsg', time: null, kernel: true, message: '', dict: true };
  const kmsg = KMSG.exec(line);
  if (kmsg) return parseKmsg(kmsg);

  const mono = JOURNAL_MONOTONIC.exec(line);
  if (mono) {
    const kernel = mono[3] === 'kernel';
    return {
      format: 'journal-monotonic',
      time: Number(mono[1]),
      kernel,
      message: syslogMessage(mono[4], kernel),
    };
  }

  const sys = SYSLOG.exec(line);
  if (sys) {
    const kernel = sys[6] === 'kernel';
    const precise = sys[4] !== undefined;
    return {
      format: precise ? 'journal-short' : 'syslog',
      time: yearlessIso(sys[1], sys[2], sys[3] ?? '', sys[4] ?? ''),
      kernel,
      message: syslogMessage(sys[7], kernel),
    };
  }

  const full = JOURNAL_FULL.exec(line);
  if (full) {
    const kernel = full[4] === 'kernel';
    return {
      format: 'journal-short',
      time: `${full[1]}T${full[2]}`,
      kernel,
      message: syslogMessage(full[5], kernel),
    };
  }

  const iso = ISO.exec(line);
  if (iso) {
    const kernel = iso[3] === 'kernel';
    return { format: 'journal-iso', time: iso[1] ?? null, kernel, message: syslogMessage(iso[4], kernel) };
  }

  const facility = DMESG_X.exec(line);
  if (facility) {
    return bareOrDmesg(facility[3] ?? '', LEVELS.indexOf(facility[2] ?? ''), facility[1] === 'kern');
  }

  const priority = PRIORITY.exec(line);
  if (priority) {
    const value = Number(priority[1]);
    return bareOrDmesg(priority[2] ?? '', value & 7, value >> 3 === 0);
  }

  return bareOrDmesg(line, undefined, true);
}

/**
 * Gives a year-less syslog / `dmesg -H` time (`--MM-DDTHH:MM[:SS]`) the year that puts it at or before the
 * reference (the log file's modification time, or the capture time): a December line read in January is last
 * year's. Returns the time unchanged when it has a year, or when the reference is not a time.
 */
export function withYear(time: string, referenceMs: number | null | undefined): string {
  const m = /^--(\d\d)-(\d\d)(T.*)$/.exec(time);
  if (!m || referenceMs === null || referenceMs === undefined || !Number.isFinite(referenceMs)) return time;
  const reference = new Date(referenceMs);
  // Syslog stamps are the writing host's local time; so are the reference's local calendar fields.
  let year = reference.getFullYear();
  const at = (y: number) => Date.parse(`${String(y).padStart(4, '0')}-${m[1]}-${m[2]}${m[3]}`);
  // A day of slack for clocks and time zones; Feb 29 exists only in leap years, so look back a few years.
  for (let tries = 0; tries < 8; tries++, year--) {
    const ms = at(year);
    if (Number.isFinite(ms) && ms <= referenceMs + 86_400_000 && new Date(ms).getMonth() + 1 === Number(m[1]))
      return `${String(year).padStart(4, '0')}-${m[1]}-${m[2]}${m[3]}`;
  }
  return time;
}

/**
 * Parses one line of kernel log text. Formats are told apart per line, so a file mixing them works.
 * `journalctl -o short` prints exactly what syslog writes and is reported as `syslog`; `journal-short`
 * is used for its variants that can be told apart (short-precise, short-full). Never throws.
 */
export function parseLogLine(line: string): LogLine {
  if (typeof line !== 'string') return { format: 'bare', time: null, kernel: true, message: '' };
  try {
    const parsed = detect(line);
    // A stamp of 400 digits is no time: say so rather than pass Infinity on.
    if (typeof parsed.time === 'number' && !Number.isFinite(parsed.time)) parsed.time = null;
    if (parsed.deltaSeconds !== undefined && !Number.isFinite(parsed.deltaSeconds)) parsed.deltaSeconds = 0;
    return parsed;
  } catch {
    // Regular expressions over a string cannot fail; this only guards the promise made to callers.
    return { format: 'bare', time: null, kernel: true, message: line };
  }
}
