// The unit that flows from every source (live /proc, fixtures, recordings) into parsing.
import type { PageblockMapRead, TraceTalliesRead } from './pageblock-map.js';

/** The /proc files fragtop reads each tick, by the name used in frames and recordings. */
export const PROC_FILES = ['buddyinfo', 'pagetypeinfo', 'slabinfo', 'zoneinfo', 'vmstat', 'meminfo'] as const;
export type ProcFileName = (typeof PROC_FILES)[number];

/** Where each file lives under the proc root. */
export const PROC_PATHS: Record<ProcFileName | 'osrelease', string> = {
  buddyinfo: 'buddyinfo',
  pagetypeinfo: 'pagetypeinfo',
  slabinfo: 'slabinfo',
  zoneinfo: 'zoneinfo',
  vmstat: 'vmstat',
  meminfo: 'meminfo',
  osrelease: 'sys/kernel/osrelease',
};

export type ReadFailure = 'missing' | 'permission' | 'error';

/** The outcome of reading one file: its text, or why there is none. */
export type FileRead =
  | {
      ok: true;
      text: string;
      /** Wall-clock milliseconds the read took; pagetypeinfo holds the zone lock while it is read. */
      readMs: number;
      /** Epoch ms of the read; older than the frame when a slow file is read less often. */
      readAtMs: number;
    }
  | { ok: false; reason: ReadFailure; message: string };

export interface RawFrame {
  /** Epoch milliseconds when the frame was captured. */
  timeMs: number;
  host: string | null;
  /** Kernel release, from sys/kernel/osrelease; null when unknown. */
  kernel: string | null;
  pageSizeBytes: number;
  files: Partial<Record<ProcFileName, FileRead>>;
  /** Kernel log lines that arrived since the previous frame, raw, in any supported format. */
  kmsg: string[];
  /** The newest pageblock map, read on demand (it is too costly for every tick); absent when never read. */
  pageblocks?: PageblockMapRead;
  /** The trace-event tallies while tracing runs; absent otherwise. */
  events?: TraceTalliesRead;
}
