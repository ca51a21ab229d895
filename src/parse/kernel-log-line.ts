// Recognises one kernel-log line in any format fragtop reads: dmesg, dmesg -T, syslog, journalctl, /dev/kmsg, bare.

export type LogFormat =
  'dmesg' | 'dmesg-T' | 'syslog' | 'journal-short' | 'journal-iso' | 'journal-monotonic' | 'kmsg' | 'bare';

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
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
// A syslog/journal "host ident[pid]: " tail; hosts and idents never contain ':' or brackets.
const HOST_IDENT = '(?:([^\\s:\\[\\]]+) )?([^\\s:\\[\\]]+)(?:\\[\\d+\\])?:(?: (.*))?$';

// `6,1234,5678901,-;message` (/dev/kmsg; extra comma fields may follow the flags on newer kernels).
const KMSG = /^(\d+),(\d+),(\d+),([^;,]*)(?:,[^;]*)?;(.*)$/;
const KMSG_DICT = /^ [A-Z0-9_]+=/;
// `[ 1234.567890] host kernel: msg` (journalctl -o short-monotonic); the ident must be `kernel` or carry a pid,
// so that a dmesg line such as `usb 1-1: new device` is not mistaken for one.
const JOURNAL_MONOTONIC = /^\[\s*(\d+\.\d+)\] ([^\s:[\]]+) (kernel|[^\s:[\]]+\[\d+\]):(?: (.*))?$/;
// `[ 1234.567890] msg`, optionally with the `[T123]`/`[C1]` caller id of CONFIG_PRINTK_CALLER.
const DMESG = /^\[\s*(\d+\.\d+)\](?:\[\s*[TC]\d+\])? ?(.*)$/;
// `[Tue Jan 23 14:15:31 2019] msg` (dmesg -T).
const DMESG_T = new RegExp(
  `^\\[${WEEKDAY} ${MONTH} ([ \\d]\\d) (\\d\\d:\\d\\d:\\d\\d) (\\d{4})\\](?:\\[\\s*[TC]\\d+\\])? ?(.*)$`,
);
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

function bareOrDmesg(text: string, level: number | undefined, kernel: boolean): LogLine {
  const stamped = DMESG.exec(text);
  if (stamped) {
    const message = unescapeRsyslog((stamped[2] ?? '').replace(ANDROID_STAMP, ''));
    return withLevel({ format: 'dmesg', time: Number(stamped[1]), kernel, message }, level);
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
    message: unescapeKmsg(m[5] ?? ''),
    seq: Number(m[2]),
    level: priority & 7,
    kmsgFlags: m[4] ?? '-',
  };
}

function detect(raw: string): LogLine {
  const line = raw.replace(/[\r\n]+$/, '');

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
 * Parses one line of kernel log text. Formats are told apart per line, so a file mixing them works.
 * `journalctl -o short` prints exactly what syslog writes and is reported as `syslog`; `journal-short`
 * is used for its variants that can be told apart (short-precise, short-full). Never throws.
 */
export function parseLogLine(line: string): LogLine {
  if (typeof line !== 'string') return { format: 'bare', time: null, kernel: true, message: '' };
  try {
    return detect(line);
  } catch {
    // Regular expressions over a string cannot fail; this only guards the promise made to callers.
    return { format: 'bare', time: null, kernel: true, message: line };
  }
}
