// Infers the page size of a machine from its meminfo and zoneinfo, which print the same memory in kB and pages.

const MIN_PAGE_SIZE = 4096;
const MAX_PAGE_SIZE = 256 * 1024;

/**
 * MemTotal (kB) counts the pages handed to the buddy allocator, which zoneinfo prints per zone as `managed`;
 * their ratio is the page size when it is a power of two. Returns null when it cannot tell.
 */
export function inferPageSize(meminfoText: string | null, zoneinfoText: string | null): number | null {
  if (!meminfoText || !zoneinfoText) return null;
  const memTotal = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfoText);
  if (!memTotal?.[1]) return null;
  const memTotalBytes = Number(memTotal[1]) * 1024;
  let managedPages = 0;
  for (const match of zoneinfoText.matchAll(/^\s+managed\s+(\d+)\s*$/gm)) managedPages += Number(match[1]);
  if (managedPages === 0) return null;
  const ratio = memTotalBytes / managedPages;
  for (let size = MIN_PAGE_SIZE; size <= MAX_PAGE_SIZE; size *= 2) {
    // MemTotal and managed are read at slightly different moments and rounded: allow 1% either way.
    if (Math.abs(ratio - size) / size < 0.01) return size;
  }
  return null;
}
