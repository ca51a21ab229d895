// The audit trail of every remediation: one JSON line per action in a file, and a line in the kernel log.
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface AuditEntry {
  /** The action as the command line spells it: compact, compact=NODE, drop-caches=N. */
  action: string;
  path: string;
  value: string;
  result: 'ok' | 'failed';
  /** Who asked: the live screen's key or the guard. */
  source?: 'live' | 'guard';
  writeMs?: number;
  /** Failure code and explanation, when result is 'failed'. */
  code?: string;
  explanation?: string;
  /** One-line state summaries (e.g. effectSummary) before and after the action. */
  before?: string;
  after?: string;
}

export interface AuditOptions {
  /** --audit-log PATH; defaults to defaultAuditLogPath(env). */
  path?: string | null;
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** The kernel log device, /dev/kmsg by default; null skips it. */
  kmsgPath?: string | null;
  /** Who is running fragtop; defaults to the process's uid and user name. */
  user?: AuditUser;
}

export interface AuditUser {
  uid: number | null;
  name: string | null;
  /** The invoking user when run through sudo. */
  sudoUser?: string;
}

export interface AuditResult {
  /** The file the line went to (or should have). */
  path: string;
  /** Why the audit file could not be written, for the caller to show; null on success. */
  error: string | null;
  /** Whether the kernel log got the line too. */
  kernelLog: boolean;
}

/** $XDG_STATE_HOME/fragtop/audit.log, else ~/.local/state/fragtop/audit.log. */
export function defaultAuditLogPath(env: Record<string, string | undefined> = process.env): string {
  const state = env['XDG_STATE_HOME'];
  // The XDG spec says to ignore a relative path.
  if (state && isAbsolute(state)) return join(state, 'fragtop', 'audit.log');
  const home = env['HOME'] || homedir();
  return join(home, '.local', 'state', 'fragtop', 'audit.log');
}

function currentUser(env: Record<string, string | undefined>): AuditUser {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  let name: string | null = null;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for the uid (common in containers).
    name = env['USER'] ?? null;
  }
  const sudoUser = env['SUDO_USER'];
  return sudoUser ? { uid, name, sudoUser } : { uid, name };
}

/** The line for the kernel log: printable ASCII, short enough for one record. */
export function kernelLogLine(entry: AuditEntry): string {
  const outcome = entry.result === 'ok' ? 'ok' : `failed ${entry.code ?? ''}`.trim();
  const text = `fragtop: ${entry.action}: wrote ${entry.value} to ${entry.path}: ${outcome}${entry.after ? `; ${entry.after}` : ''}`;
  // Keep it on one line and within a kernel log record (LOG_LINE_MAX is 1024 minus the prefix).
  // The kernel escapes bytes outside printable ASCII when the log is read back, so spell arrows in ASCII.
  const clean = text
    .replace(/≥/g, '>=')
    .replace(/→/g, '->')
    .replace(/[^\x20-\x7e]/g, ' ')
    .slice(0, 900);
  return `<5>${clean}\n`;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Creates `dir` and its missing parents one level at a time. Node's recursive mkdir retries for ever when
 * mkdir answers ENOENT under an existing parent (procfs, sysfs), hanging the caller; this fails instead.
 */
export async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: ${current} is not a directory`), { code: 'ENOTDIR' });
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const each of missing.reverse()) {
    try {
      await mkdir(each);
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
  }
}

/** Flags for the audit and kernel-log writes: O_NONBLOCK, so a FIFO nobody reads fails (ENXIO) instead of blocking. */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/** Appends `text` to a regular file (created 0600); a FIFO, device or directory is refused, never waited on. */
async function appendToFile(path: string, text: string): Promise<void> {
  const handle = await open(path, APPEND_FLAGS, 0o600);
  try {
    if (!(await handle.stat()).isFile())
      throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EINVAL' });
    await handle.write(text);
  } finally {
    await handle.close();
  }
}

async function writeKernelLog(kmsgPath: string, line: string): Promise<boolean> {
  try {
    const handle = await open(kmsgPath, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await handle.write(line);
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    // The kernel log is a courtesy copy; the file is the record.
    return false;
  }
}

/** Appends one JSON line; never throws: an audit-file failure comes back as `error`. */
export async function appendAudit(entry: AuditEntry, options: AuditOptions = {}): Promise<AuditResult> {
  const env = options.env ?? process.env;
  const path = options.path || defaultAuditLogPath(env);
  const now = options.now ?? Date.now;
  const record = { time: new Date(now()).toISOString(), user: options.user ?? currentUser(env), ...entry };
  let error: string | null = null;
  try {
    await makeDirectories(dirname(path));
    await appendToFile(path, `${JSON.stringify(record)}\n`);
  } catch (failure) {
    error = `cannot write the audit log ${path}: ${(failure as Error).message}`;
  }
  const kmsgPath = options.kmsgPath === undefined ? '/dev/kmsg' : options.kmsgPath;
  const kernelLog = kmsgPath === null ? false : await writeKernelLog(kmsgPath, kernelLogLine(entry));
  return { path, error, kernelLog };
}
