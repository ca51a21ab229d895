// Reads the kernel log: /dev/kmsg live (journalctl when /dev/kmsg is not readable), or a file or stdin once.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export interface KernelLogStatus {
  mode: 'kmsg' | 'journal' | 'file' | 'none';
  message: string;
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
}

/** Larger than any /dev/kmsg record (text plus dictionary); a smaller buffer makes read() fail with EINVAL. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Lines kept between drains; the oldest go first if nobody drains for a long time. */
const MAX_PENDING_LINES = 100_000;
const JOURNAL_ARGS = ['-k', '-o', 'short-monotonic', '--no-pager', '-f', '-n', '1000'];

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

function fileLog(lines: string[], message: string): KernelLog {
  let remaining: string[] | null = lines;
  return {
    status: { mode: 'file', message },
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
  return { status: { mode: 'none', message }, drain: () => [], close: () => undefined };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function openFile(file: string): Promise<KernelLog> {
  const name = file === '-' ? 'stdin' : file;
  try {
    const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    const lines = splitLines(text);
    return fileLog(lines, `read ${lines.length} lines from ${name}`);
  } catch (error) {
    const code = errnoOf(error);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    return noLog(`cannot read the kernel log from ${name}: ${why}`);
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
      for (const line of splitLines(buffer.toString('utf8', 0, bytes))) pending.push(line);
    }
  };
  readAvailable();

  return {
    get status(): KernelLogStatus {
      const notes = [`following ${path}`];
      if (overwritten > 0)
        notes.push(`records were overwritten before they could be read ${overwritten} times`);
      if (pending.dropped > 0) notes.push(`${pending.dropped} lines dropped while nobody read them`);
      if (failure !== null) notes.push(`reading stopped: ${failure}`);
      return { mode: 'kmsg', message: notes.join('; ') };
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

/** `journalctl -k -f` as a child process; neither it nor its pipes keep this process alive. */
function journalLog(command: string, why: string): KernelLog {
  const pending = new PendingLines();
  let partial = '';
  let stderrText = '';
  let ended: string | null = null;
  let received = 0;
  let child: ChildProcess | null = spawn(command, JOURNAL_ARGS, { stdio: ['ignore', 'pipe', 'pipe'] });

  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) pending.push(line.replace(/\r$/, ''));
    received += lines.length;
  });
  child.stdout?.on('end', () => {
    if (partial !== '') pending.push(partial);
    partial = '';
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderrText.length < 2000) stderrText += chunk;
  });
  child.on('error', (error) => {
    ended = `journalctl could not run: ${errnoOf(error)}`;
  });
  child.on('exit', (code, signal) => {
    const said = stderrText.trim().split('\n')[0];
    ended ??= `journalctl exited (${signal ?? `code ${code ?? '?'}`})${said ? `: ${said}` : ''}`;
    child = null;
  });
  child.unref();
  for (const stream of [child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void } | null)?.unref?.();

  return {
    get status(): KernelLogStatus {
      if (ended !== null && received === 0)
        return { mode: 'none', message: `no kernel log: ${why}; ${ended}` };
      const dropped = pending.dropped > 0 ? `; ${pending.dropped} lines dropped while nobody read them` : '';
      return {
        mode: 'journal',
        message: `following journalctl -k (${why})${dropped}${ended ? `; ${ended}` : ''}`,
      };
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
}

function openHint(code: string): string {
  if (code === 'EPERM' || code === 'EACCES')
    return 'run as root or with CAP_SYSLOG (kernel.dmesg_restrict may be set)';
  if (code === 'ENOENT') return 'the device does not exist here';
  return code;
}

/**
 * Opens the kernel log. With `file`, reads that file (or stdin for `-`) once. Otherwise follows /dev/kmsg,
 * starting with the records already in the ring buffer, and falls back to `journalctl -k -f` when /dev/kmsg
 * cannot be opened. Never rejects: when there is no log, `status.mode` is `none` and the message says why.
 */
export async function openKernelLog(opts: OpenKernelLogOptions = {}): Promise<KernelLog> {
  if (opts.file !== undefined) return openFile(opts.file);
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
  return journalLog(journalctl, why);
}
