// Reads the /proc files of one machine (or a fixture tree) into RawFrames, one call per tick.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  PROC_FILES,
  PROC_PATHS,
  type FileRead,
  type ProcFileName,
  type RawFrame,
} from '../model/raw-frame.js';
import { inferPageSize } from '../analyze/page-size.js';
import { READ_CAP_BYTES, readProcFile, readProcFileSync } from './read-proc-file.js';
import {
  createPagetypeinfoSchedule,
  isPagetypeinfoDue,
  notePagetypeinfoRead,
  type PagetypeinfoSchedule,
} from './pagetypeinfo-schedule.js';

export interface ProcSourceOptions {
  procRoot: string;
  /** Fixed pagetypeinfo interval in ms; null = every tick, backing off when a read is slow. */
  pagetypeinfoIntervalMs?: number | null;
  /** The files this mode needs (default: all); `check` leaves out slabinfo. */
  files?: readonly ProcFileName[];
  now?: () => number;
}

export interface ProcSourceStatus {
  procRoot: string;
  pageSizeNote: string | null;
  pagetypeinfoNote: string | null;
  /** Why the host name or kernel release is unknown although its file exists (too large, not a file). */
  identityNote: string | null;
}

function trimmedText(read: FileRead | undefined): string | null {
  return read?.ok ? read.text.trim() || null : null;
}

/** A read that failed for another reason than a missing file: worth saying why the value is unknown. */
function unusualFailure(read: FileRead): string | null {
  return !read.ok && read.reason !== 'missing' ? read.message : null;
}

/** AT_PAGESZ in the auxiliary vector the kernel gives every process. */
const AT_PAGESZ = 6n;

/**
 * The running system's page size; only meaningful when reading this machine's own /proc. Read from this process's
 * auxiliary vector first: an empty container or a minimal host has no getconf.
 */
function systemPageSize(): number | null {
  try {
    // 64-bit (type, value) pairs on the 64-bit little-endian machines fragtop ships for; anything else falls through.
    const auxv = readFileSync('/proc/self/auxv');
    for (let at = 0; at + 16 <= auxv.length; at += 16) {
      if (auxv.readBigUInt64LE(at) !== AT_PAGESZ) continue;
      const value = Number(auxv.readBigUInt64LE(at + 8));
      if (value >= 4096 && (value & (value - 1)) === 0) return value;
    }
  } catch {
    // no /proc/self: ask getconf
  }
  try {
    const value = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export class ProcSource {
  readonly procRoot: string;
  private readonly now: () => number;
  private readonly schedule: PagetypeinfoSchedule;
  private lastPagetypeinfo: FileRead | undefined;
  private host: string | null | undefined;
  private kernel: string | null | undefined;
  private pageSizeBytes: number | undefined;
  private pageSizeNote: string | null = null;
  private identityNote: string | null = null;
  private readonly isLiveRoot: boolean;
  private readonly files: readonly ProcFileName[];

  constructor(options: ProcSourceOptions) {
    this.procRoot = resolve(options.procRoot);
    this.isLiveRoot = this.procRoot === '/proc';
    this.now = options.now ?? Date.now;
    this.files = options.files ?? PROC_FILES;
    this.schedule = createPagetypeinfoSchedule(options.pagetypeinfoIntervalMs ?? null);
  }

  /** One more file, out of the tick: check reads pagetypeinfo only when its answer depends on it. */
  readFile(name: ProcFileName): Promise<FileRead> {
    return readProcFile(this.path(name), this.now, READ_CAP_BYTES[name], name);
  }

  status(): ProcSourceStatus {
    return {
      procRoot: this.procRoot,
      pageSizeNote: this.pageSizeNote,
      pagetypeinfoNote: this.schedule.reason,
      identityNote: this.identityNote,
    };
  }

  async read(): Promise<RawFrame> {
    const timeMs = this.now();
    const wantPagetypeinfo = isPagetypeinfoDue(this.schedule, timeMs);
    const files: Partial<Record<ProcFileName, FileRead>> = {};
    // pagetypeinfo can hold the zone lock for 200 ms: off the main thread. The others print in microseconds.
    const pagetypeinfo =
      wantPagetypeinfo && this.files.includes('pagetypeinfo')
        ? readProcFile(this.path('pagetypeinfo'), this.now, READ_CAP_BYTES.pagetypeinfo, 'pagetypeinfo')
        : undefined;
    const others = new Map(
      this.files
        .filter((name) => name !== 'pagetypeinfo')
        .map((name) => [name, readProcFileSync(this.path(name), this.now, READ_CAP_BYTES[name], name)]),
    );
    const ptiText = await pagetypeinfo;
    // In the files' usual order, as frames and recordings have always listed them.
    for (const name of this.files) {
      const read = name === 'pagetypeinfo' ? ptiText : others.get(name);
      if (read) files[name] = read;
    }

    const ptiRead = files.pagetypeinfo;
    if (ptiRead) {
      this.lastPagetypeinfo = ptiRead;
      if (ptiRead.ok) notePagetypeinfoRead(this.schedule, timeMs, ptiRead.readMs);
    } else if (this.lastPagetypeinfo) {
      files.pagetypeinfo = this.lastPagetypeinfo;
    }

    await this.readIdentityOnce(files);
    return {
      timeMs,
      host: this.host ?? null,
      kernel: this.kernel ?? null,
      pageSizeBytes: this.pageSizeBytes ?? 4096,
      files,
      kmsg: [],
    };
  }

  private path(name: ProcFileName | 'osrelease' | 'hostname'): string {
    return join(this.procRoot, name === 'hostname' ? 'sys/kernel/hostname' : PROC_PATHS[name]);
  }

  /** Host, kernel and page size do not change while fragtop runs: read them on the first tick. */
  private async readIdentityOnce(files: RawFrame['files']): Promise<void> {
    if (this.kernel !== undefined) return;
    const [osrelease, hostname] = await Promise.all([
      readProcFile(this.path('osrelease'), this.now, READ_CAP_BYTES.osrelease, 'osrelease'),
      readProcFile(this.path('hostname'), this.now, READ_CAP_BYTES.hostname, 'hostname'),
    ]);
    this.kernel = trimmedText(osrelease);
    this.host = trimmedText(hostname);
    const unusual = [unusualFailure(osrelease), unusualFailure(hostname)].filter((why) => why !== null);
    this.identityNote = unusual.length ? unusual.join('; ') : null;
    const inferred = inferPageSize(trimmedText(files.meminfo), trimmedText(files.zoneinfo));
    const live = this.isLiveRoot ? systemPageSize() : null;
    if (live !== null) this.pageSizeBytes = live;
    else if (inferred !== null) this.pageSizeBytes = inferred;
    else {
      this.pageSizeBytes = 4096;
      this.pageSizeNote = 'page size unknown: assuming 4 KiB';
    }
  }
}
