// Reads the kernel log: /dev/kmsg live (journalctl when /dev/kmsg is not readable), or a file or stdin once.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { KernelLogReadState } from '../model/kernel-log-state.js';

export interface KernelLogStatus {
  mode: 'kmsg' | 'journal' | 'file' | 'none';
  message: string;
  /** Whether anything could be read: an unreadable log means failures are unknown, never "none". */
  state: Exclude<KernelLogReadState, 'not-requested'>;
  /** Why the log is unreadable, or what was left out of it; null when there is nothing to say. */
  reason: string | null;
  /** The file's modification time: year-less syslog times are no later than it. */
  mtimeMs?: number;
}

export interface KernelLog {
  /** Where lines come from, and anything the user should know about it; may change while the log is open. */
  readonly status: KernelLogStatus;
  /** Raw lines that arrived since the last drain (the first drain also returns what was there at open). */
  drain(): string[];
  /** Stops reading and releases the descriptor or child process; safe to call twice. */
  close(): void;
}

export interface OpenKernelLogOptions {
  /** Default `/dev/kmsg`. */
  kmsgPath?: string;
  /** Read this file once instead (`--kmsg FILE`); `-` reads stdin. */
  file?: string;
  /** The journalctl executable for the fallback; default: `journalctl` found on PATH. */
  journalctlPath?: string;
  /**
   * Keep reading as lines arrive (the live screen, metrics, record). Without it (snapshot), what the log holds
   * now is read and the open waits for the end of a pipe or of a one-shot journalctl.
   */
  follow?: boolean;
  /** Told when the user needs to know something before reading starts (stdin is a terminal). */
  notice?: (message: string) => void;
  /** The stream `-` reads; default process.stdin. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** More than any kernel log worth reading at once: a file's last MAX_LOG_BYTES are read, a stream's last ones kept. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** A one-shot journalctl (snapshot) is given this long. */
const JOURNAL_ONCE_TIMEOUT_MS = 10_000;

/** Larger than any /dev/kmsg record (text plus dictionary); a smaller buffer makes read() fail with EINVAL. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Lines kept between drains; the oldest go first if nobody drains for a long time. */
const MAX_PENDING_LINES = 100_000;
const JOURNAL_ARGS = ['-k', '-o', 'short-monotonic', '--no-pager', '-f', '-n', '1000'];
const JOURNAL_ONCE_ARGS = ['-k', '-o', 'short-monotonic', '--no-pager', '-n', '20000'];

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

class PendingLines {
  private lines: string[] = [];
  dropped = 0;

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > MAX_PENDING_LINES) {
      const excess = this.lines.length - MAX_PENDING_LINES;
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }

  take(): string[] {
    const out = this.lines;
    this.lines = [];
    return out;
  }
}

function fileLog(lines: string[], message: string, reason: string | null, mtimeMs?: number): KernelLog {
  let remaining: string[] | null = lines;
  const status: KernelLogStatus = { mode: 'file', message, state: 'read', reason };
  if (mtimeMs !== undefined) status.mtimeMs = mtimeMs;
  return {
    status,
    drain() {
      const out = remaining ?? [];
      remaining = null;
      return out;
    },
    close() {
      remaining = null;
    },
  };
}

function noLog(message: string): KernelLog {
  return {
    status: { mode: 'none', message, state: 'unreadable', reason: message },
    drain: () => [],
    close: () => undefined,
  };
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** The last MAX_LOG_BYTES of a regular file, from its first whole line. */
function readFileTail(path: string): { text: string; size: number; cut: boolean; mtimeMs: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    const start = Math.max(0, stat.size - MAX_LOG_BYTES);
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_LOG_BYTES));
    let filled = 0;
    while (filled < buffer.length) {
      const bytes = readSync(fd, buffer, filled, buffer.length - filled, start + filled);
      if (bytes === 0) break;
      filled += bytes;
    }
    let text = buffer.toString('utf8', 0, filled);
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, size: stat.size, cut: start > 0, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** /dev/kmsg is character device 1:11 whatever its name. */
function isKmsgDevice(rdev: number): boolean {
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return major === 1 && minor === 11;
}

/**
 * A pipe, FIFO or socket read as a stream: lines as they come, the oldest dropped beyond MAX_LOG_BYTES. Following,
 * it returns at once; otherwise it resolves when the writer closes its end.
 */
function streamLog(
  stream: Readable | NodeJS.ReadableStream,
  name: string,
  follow: boolean,
): Promise<KernelLog> {
  const pending: string[] = [];
  let pendingBytes = 0;
  let droppedBytes = 0;
  let partial = '';
  let failure: string | null = null;
  let ended = false;
  let received = 0;
  const push = (line: string): void => {
    pending.push(line);
    pendingBytes += line.length + 1;
    received++;
    while (pendingBytes > MAX_LOG_BYTES && pending.length > 1) {
      const old = pending.shift() ?? '';
      pendingBytes -= old.length + 1;
      droppedBytes += old.length + 1;
    }
  };
  const status = (): KernelLogStatus => {
    const notes: string[] = [];
    if (droppedBytes > 0)
      notes.push(
        `${name} gave more than ${mib(MAX_LOG_BYTES)}: its first ${mib(droppedBytes)} were not read`,
      );
    if (failure !== null) notes.push(`reading ${name} stopped: ${failure}`);
    const reason = notes.length ? notes.join('; ') : null;
    if (failure !== null && received === 0)
      return {
        mode: 'none',
        message: `cannot read the kernel log from ${name}: ${failure}`,
        state: 'unreadable',
        reason,
      };
    return {
      mode: 'file',
      message: `${ended ? 'read' : 'reading'} ${received} lines from ${name}`,
      state: 'read',
      reason,
    };
  };
  const log: KernelLog = {
    get status() {
      return status();
    },
    drain() {
      const out = pending.splice(0);
      pendingBytes = 0;
      return out;
    },
    close() {
      (stream as Readable).destroy?.();
    },
  };
  return new Promise((resolve) => {
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk: string | Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      // A "line" without a newline cannot grow without bound either.
      if (partial.length > MAX_LOG_BYTES) partial = partial.slice(-MAX_LOG_BYTES);
      for (const line of lines) push(line.replace(/\r$/, ''));
    });
    stream.on('end', () => {
      if (partial !== '') push(partial);
      partial = '';
      ended = true;
      resolve(log);
    });
    stream.on('error', (error: unknown) => {
      failure = errnoOf(error);
      ended = true;
      resolve(log);
    });
    if (follow) resolve(log);
  });
}

function whyNot(code: string): string {
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
}

async function openFile(file: string, opts: OpenKernelLogOptions): Promise<KernelLog> {
  const follow = opts.follow ?? false;
  if (file === '-') {
    const stdin = opts.stdin ?? process.stdin;
    if (stdin.isTTY) {
      // The live screen reads its keys from this terminal: it cannot also be the log.
      if (follow)
        return noLog(
          'cannot read the kernel log from stdin: it is the terminal; pipe it into `fragtop snapshot --kmsg -` or give --kmsg FILE',
        );
      opts.notice?.('reading the kernel log from the terminal (stdin): paste it, then press Ctrl-D');
    }
    return streamLog(stdin, 'stdin', follow);
  }
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    return noLog(`cannot read the kernel log from ${file}: ${whyNot(errnoOf(error))}`);
  }
  if (stat.isDirectory()) return noLog(`cannot read the kernel log from ${file}: it is a directory`);
  if (stat.isCharacterDevice()) {
    if (!isKmsgDevice(stat.rdev))
      return noLog(`cannot read the kernel log from ${file}: a character device that is not /dev/kmsg`);
    try {
      return kmsgLog(openSync(file, constants.O_RDONLY | constants.O_NONBLOCK), file);
    } catch (error) {
      const code = errnoOf(error);
      return noLog(`cannot read the kernel log from ${file}: ${code}, ${openHint(code)}`);
    }
  }
  if (stat.isSocket()) return noLog(`cannot read the kernel log from ${file}: it is a socket`);
  // A FIFO: opened in the background (the open waits for a writer) and read until the writer closes it.
  if (stat.isFIFO()) return streamLog(createReadStream(file), file, follow);
  try {
    const { text, size, cut, mtimeMs } = readFileTail(file);
    const lines = splitLines(text);
    const reason = cut ? `only the last ${mib(MAX_LOG_BYTES)} of ${file} (${mib(size)}) were read` : null;
    return fileLog(lines, `read ${lines.length} lines from ${file}`, reason, mtimeMs);
  } catch (error) {
    return noLog(`cannot read the kernel log from ${file}: ${whyNot(errnoOf(error))}`);
  }
}

/** /dev/kmsg opened non-blocking: every read() returns one record; reads happen at open and on each drain. */
function kmsgLog(fd: number, path: string): KernelLog {
  const buffer = Buffer.alloc(READ_BUFFER_BYTES);
  const pending = new PendingLines();
  let open = true;
  let overwritten = 0;
  let failure: string | null = null;

  const readAvailable = (): void => {
    while (open && failure === null) {
      let bytes: number;
      try {
        bytes = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return;
        // EPIPE: records were overwritten before we read them; the next read resumes at the oldest one left.
        if (code === 'EPIPE') {
          overwritten++;
          continue;
        }
        failure = code;
        return;
      }
      if (bytes === 0) return;
      records++;
      for (const line of splitLines(buffer.toString('utf8', 0, bytes))) pending.push(line);
    }
  };
  let records = 0;
  readAvailable();

  return {
    get status(): KernelLogStatus {
      const notes = [`following ${path}`];
      if (overwritten > 0)
        notes.push(`records were overwritten before they could be read ${overwritten} times`);
      if (pending.dropped > 0) notes.push(`${pending.dropped} lines dropped while nobody read them`);
      if (failure !== null) notes.push(`reading stopped: ${failure}`);
      const reason = notes.length > 1 ? notes.slice(1).join('; ') : null;
      // A read that failed before any record arrived read nothing: failures are unknown.
      const state = failure !== null && records === 0 ? 'unreadable' : 'read';
      return { mode: 'kmsg', message: notes.join('; '), state, reason };
    },
    drain() {
      readAvailable();
      return pending.take();
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** journalctl's own lines (`-- No entries --`, `-- Logs begin at …`) are no kernel message. */
const JOURNAL_NOTE = /^-- .* --$|^-- (?:Logs|Journal) begin/;

/**
 * `journalctl -k -f` as a child process (or, not following, one `journalctl -k` awaited until it exits); neither
 * it nor its pipes keep this process alive. Until it has shown a kernel message the log counts as unreadable:
 * an unprivileged user's journalctl shows nothing of the kernel's, which is not the same as "no failures".
 */
function journalLog(command: string, why: string, follow: boolean): Promise<KernelLog> {
  const pending = new PendingLines();
  let partial = '';
  let stderrText = '';
  let ended: string | null = null;
  let received = 0;
  let exited: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (exited = resolve));
  let child: ChildProcess | null = spawn(command, follow ? JOURNAL_ARGS : JOURNAL_ONCE_ARGS, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const take = (line: string): void => {
    if (JOURNAL_NOTE.test(line)) return;
    pending.push(line);
    received++;
  };

  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) take(line.replace(/\r$/, ''));
  });
  child.stdout?.on('end', () => {
    if (partial !== '') take(partial);
    partial = '';
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderrText.length < 2000) stderrText += chunk;
  });
  child.on('error', (error) => {
    ended = `journalctl could not run: ${errnoOf(error)}`;
    exited();
  });
  child.on('close', (code, signal) => {
    const said = stderrText.trim().split('\n')[0];
    ended ??= `journalctl exited (${signal ?? `code ${code ?? '?'}`})${said ? `: ${said}` : ''}`;
    child = null;
    exited();
  });
  // Following, the child must not keep this process alive; a one-shot read is awaited, so it must.
  if (follow) {
    child.unref();
    for (const stream of [child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }

  const log: KernelLog = {
    get status(): KernelLogStatus {
      const said = stderrText.trim().split('\n')[0];
      if (ended !== null && received === 0) {
        const message = `no kernel log: ${why}; ${ended}`;
        return { mode: 'none', message, state: 'unreadable', reason: message };
      }
      const dropped = pending.dropped > 0 ? `; ${pending.dropped} lines dropped while nobody read them` : '';
      const message = `${follow ? 'following' : 'read'} journalctl -k (${why})${dropped}${ended && follow ? `; ${ended}` : ''}`;
      if (received === 0)
        return {
          mode: 'journal',
          message,
          state: 'unreadable',
          reason: `${why}; journalctl -k has shown no kernel message${said ? ` (${said})` : ''}`,
        };
      return { mode: 'journal', message, state: 'read', reason: dropped ? dropped.slice(2) : null };
    },
    drain() {
      return pending.take();
    },
    close() {
      const running = child;
      child = null;
      if (running === null) return;
      ended ??= 'closed';
      running.stdout?.destroy();
      running.stderr?.destroy();
      running.kill('SIGTERM');
    },
  };
  if (follow) return Promise.resolve(log);
  // One-shot: wait for journalctl to finish, but not forever.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      ended ??= `journalctl gave no end within ${JOURNAL_ONCE_TIMEOUT_MS / 1000} s`;
      log.close();
      resolve();
    }, JOURNAL_ONCE_TIMEOUT_MS);
  });
  return Promise.race([done, timeout]).then(() => {
    clearTimeout(timer);
    return log;
  });
}

/**
 * Whether the kernel log of this machine can be read, without reading it (`check` reports failures only as a
 * problem when it cannot): /dev/kmsg is opened and closed again.
 */
export function probeKernelLog(path = '/dev/kmsg'): { state: 'read' | 'unreadable'; reason: string | null } {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    return { state: 'read', reason: null };
  } catch (error) {
    const code = errnoOf(error);
    return { state: 'unreadable', reason: `cannot open ${path}: ${code}, ${openHint(code)}` };
  }
}

function openHint(code: string): string {
  if (code === 'EPERM' || code === 'EACCES')
    return 'run as root or with CAP_SYSLOG (kernel.dmesg_restrict may be set)';
  if (code === 'ENOENT') return 'the device does not exist here';
  return code;
}

/**
 * Opens the kernel log. With `file`, reads that file (its last MAX_LOG_BYTES), a FIFO or stdin as a stream,
 * or /dev/kmsg itself; other devices are refused. Otherwise follows /dev/kmsg,
 * starting with the records already in the ring buffer, and falls back to `journalctl -k -f` when /dev/kmsg
 * cannot be opened. Never rejects: when there is no log, `status.mode` is `none` and the message says why.
 */
export async function openKernelLog(opts: OpenKernelLogOptions = {}): Promise<KernelLog> {
  if (opts.file !== undefined) return openFile(opts.file, opts);
  const path = opts.kmsgPath ?? '/dev/kmsg';
  let code: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return kmsgLog(fd, path);
  } catch (error) {
    code = errnoOf(error);
  }
  const why = `cannot open ${path}: ${code}, ${openHint(code)}`;
  const journalctl = opts.journalctlPath ?? findOnPath('journalctl');
  if (journalctl === null) return noLog(`no kernel log: ${why}; journalctl is not installed`);
  try {
    accessSync(journalctl, constants.X_OK);
  } catch {
    return noLog(`no kernel log: ${why}; ${journalctl} cannot be run`);
  }
  return journalLog(journalctl, why, opts.follow ?? true);
}
