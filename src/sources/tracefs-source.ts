// A private tracefs instance with the fragmentation and compaction events on; polled without blocking, removed on close.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The events fragtop turns on, as system/event under events/. */
export const TRACE_EVENTS = [
  'kmem/mm_page_alloc_extfrag',
  'compaction/mm_compaction_begin',
  'compaction/mm_compaction_end',
  'compaction/mm_compaction_kcompactd_wake',
  'compaction/mm_compaction_try_to_compact_pages',
] as const;

const INSTANCE_PREFIX = 'fragtop-';
/** Per-CPU ring buffer of the instance; the kernel drops the oldest events when a poll comes late. */
const BUFFER_KIB = 1024;
/** At most this much text per poll; the rest waits for the next one. */
const MAX_POLL_BYTES = 4 * 1024 * 1024;

/** Where tracefs is mounted, from /proc/self/mounts (tracefs itself, or debugfs's tracing/). */
export function findTracefs(mountsText: string): string | null {
  let viaDebugfs: string | null = null;
  for (const line of mountsText.split('\n')) {
    const [, mountPoint, type] = line.split(' ');
    if (!mountPoint) continue;
    const dir = mountPoint.replace(/\\040/g, ' ');
    if (type === 'tracefs') return dir;
    if (type === 'debugfs' && viaDebugfs === null) viaDebugfs = join(dir, 'tracing');
  }
  return viaDebugfs !== null && existsSync(join(viaDebugfs, 'instances')) ? viaDebugfs : null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeQuietly(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // the instance may be gone already
  }
}

/** Turns an instance's events off and removes it; the kernel frees its buffers. */
function removeInstance(dir: string): void {
  for (const event of TRACE_EVENTS) writeQuietly(join(dir, 'events', event, 'enable'), '0');
  writeQuietly(join(dir, 'tracing_on'), '0');
  try {
    rmdirSync(dir);
  } catch {
    // busy or gone; a later start removes it
  }
}

/** Instances left by a fragtop that was killed with SIGKILL: their pid is in the name and no longer runs. */
function removeStaleInstances(instances: string): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(instances);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = new RegExp(`^${INSTANCE_PREFIX}(\\d+)-`).exec(name);
    if (!match || pidAlive(Number(match[1]))) continue;
    removeInstance(join(instances, name));
    removed.push(name);
  }
  return removed;
}

export interface TracefsSession {
  /** The instance directory. */
  instance: string;
  /** Said once to the user: a mount made, stale instances removed. */
  note: string | null;
  missingEvents: string[];
  /** Complete lines read since the last poll; never blocks. */
  poll(): string[];
  /** Events the kernel dropped so far (the instance's per-CPU overrun counters). */
  lost(): number;
  /** Disables the events, removes the instance, unmounts what it mounted. Synchronous, so it also runs on exit. */
  close(): void;
}

let counter = 0;

/** Opens a tracing instance of this process's own; the global tracing state is never written. */
export function openTracefs(options: { mountsPath?: string } = {}): TracefsSession | { error: string } {
  if (process.getuid?.() !== 0) return { error: 'tracing needs root' };
  const notes: string[] = [];
  let root: string | null;
  try {
    root = findTracefs(readFileSync(options.mountsPath ?? '/proc/self/mounts', 'utf8'));
  } catch (error) {
    return { error: `cannot read the mount table: ${(error as Error).message}` };
  }
  let ownMount: string | null = null;
  if (root === null) {
    // A private mount point, unmounted on close: the system's own mounts stay as they were.
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-tracefs-'));
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', dir], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 5000,
      });
    } catch (error) {
      rmdirSync(dir);
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      return {
        error: `tracefs is not mounted and mounting it failed: ${stderr || (error as Error).message}`,
      };
    }
    root = ownMount = dir;
    notes.push(`tracefs was not mounted: mounted it at ${dir} for this run`);
  }
  const unmount = () => {
    if (ownMount === null) return;
    try {
      execFileSync('umount', [ownMount], { stdio: 'ignore', timeout: 5000 });
      rmdirSync(ownMount);
    } catch {
      // left mounted; said in the note
    }
    ownMount = null;
  };
  const instances = join(root, 'instances');
  if (!existsSync(instances)) {
    unmount();
    return { error: `${root} has no instances/ (a kernel before 3.10)` };
  }
  const stale = removeStaleInstances(instances);
  if (stale.length) notes.push(`removed ${stale.length} tracing instance(s) left by a killed fragtop`);
  const instance = join(instances, `${INSTANCE_PREFIX}${process.pid}-${++counter}`);
  try {
    mkdirSync(instance);
  } catch (error) {
    unmount();
    return { error: `cannot create the tracing instance ${instance}: ${(error as Error).message}` };
  }
  let fd: number | null = null;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    process.off('exit', close);
    if (fd !== null) closeSync(fd);
    fd = null;
    removeInstance(instance);
    unmount();
  };
  // Runs on any exit, including a crash that skips the caller's cleanup.
  process.on('exit', close);
  const missingEvents: string[] = [];
  try {
    writeFileSync(join(instance, 'buffer_size_kb'), String(BUFFER_KIB));
    for (const event of TRACE_EVENTS) {
      const enable = join(instance, 'events', event, 'enable');
      if (!existsSync(enable)) missingEvents.push(event);
      else writeFileSync(enable, '1');
    }
    if (missingEvents.length === TRACE_EVENTS.length) throw new Error('this kernel has none of the events');
    fd = openSync(join(instance, 'trace_pipe'), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    close();
    return { error: `cannot start tracing: ${(error as Error).message}` };
  }
  let partial = '';
  const buffer = Buffer.alloc(256 * 1024);
  return {
    instance,
    note: notes.length ? notes.join('; ') : null,
    missingEvents,
    poll() {
      if (fd === null) return [];
      let text = partial;
      let total = 0;
      while (total < MAX_POLL_BYTES) {
        let n = 0;
        try {
          n = readSync(fd, buffer, 0, buffer.length, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw error;
        }
        if (n === 0) break;
        total += n;
        text += buffer.toString('utf8', 0, n);
      }
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      // A line longer than any event is noise: drop it rather than grow.
      if (partial.length > 64 * 1024) partial = '';
      return lines.filter((line) => line !== '');
    },
    lost() {
      let overrun = 0;
      try {
        for (const cpu of readdirSync(join(instance, 'per_cpu'))) {
          const stats = readFileSync(join(instance, 'per_cpu', cpu, 'stats'), 'utf8');
          const match = /^overrun:\s*(\d+)/m.exec(stats);
          if (match) overrun += Number(match[1]);
        }
      } catch {
        // per-CPU stats are optional
      }
      return overrun;
    },
    close,
  };
}
