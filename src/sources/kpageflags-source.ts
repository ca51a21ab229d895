// Reads /proc/kpageflags for the zones' page frames, in bounded chunks, and hands them to the pure map builder.
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { PageblockMapRead } from '../model/pageblock-map.js';
import {
  alignmentPages,
  PageblockMapBuilder,
  readWindow,
  type MapLayout,
} from '../analyze/pageblock-classify.js';

/** 2^26 page frames (256 GiB of 4 KiB pages, 512 MiB of flags): past this the rest of the map is left unread. */
export const DEFAULT_MAX_PAGES = 2 ** 26;
/** Page frames per read() call: 4 MiB of flags at a time, so memory stays flat whatever the machine's size. */
const CHUNK_PAGES = 2 ** 19;

export interface KpageflagsOptions {
  procRoot: string;
  layout: MapLayout;
  pageSizeBytes: number;
  maxPages?: number;
  now?: () => number;
}

/** Reads the map once. Costly (a kernel walk of every page frame): call it on demand, never per tick. */
export async function readPageblockMap(options: KpageflagsOptions): Promise<PageblockMapRead> {
  const path = join(options.procRoot, 'kpageflags');
  const window = readWindow(options.layout);
  if (!window) return { ok: false, message: 'zoneinfo lists no zone with page frames' };
  if (endianness() !== 'LE')
    return { ok: false, message: 'the pageblock map reads little-endian machines only' };
  const timeMs = (options.now ?? Date.now)();
  const started = performance.now();
  const notes: string[] = [];
  const builder = new PageblockMapBuilder(options.layout);
  const align = alignmentPages(options.layout);
  const chunkPages = Math.max(align, Math.floor(CHUNK_PAGES / align) * align);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const lastPfn = Math.min(window.endPfn, window.firstPfn + Math.ceil(maxPages / align) * align);
  if (lastPfn < window.endPfn)
    notes.push(
      `only the first ${(lastPfn - window.firstPfn).toLocaleString('en-US')} page frames were read (the bound); the rest is unread`,
    );
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === 'EACCES' || code === 'EPERM'
          ? `${path} needs root`
          : code === 'ENOENT'
            ? `${path} does not exist (a kernel without CONFIG_PROC_PAGE_MONITOR, or not Linux)`
            : `cannot open ${path}: ${(error as Error).message}`,
    };
  }
  try {
    const buffer = Buffer.alloc(chunkPages * 8);
    for (let pfn = builder.nextPfn(); pfn !== null && pfn < lastPfn; pfn = builder.nextPfn()) {
      const want = Math.min(chunkPages, lastPfn - pfn) * 8;
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, pfn * 8 + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const pages = Math.floor(got / 8);
      builder.addChunk(pfn, new Uint32Array(buffer.buffer, buffer.byteOffset, pages * 2));
      if (got < want) {
        notes.push(
          `${path} ended at page frame ${(pfn + pages).toLocaleString('en-US')}: the rest is unread`,
        );
        break;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === 'EPERM' || code === 'EACCES'
          ? `${path} needs root (CAP_SYS_ADMIN)`
          : `reading ${path} failed: ${(error as Error).message}`,
    };
  } finally {
    await handle.close();
  }
  const map = builder.finish({
    timeMs,
    readMs: performance.now() - started,
    pageSizeBytes: options.pageSizeBytes,
    notes,
  });
  return { ok: true, map };
}
