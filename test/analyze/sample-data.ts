// Pulls the few numbers the analysis tests need out of sample text, independently of the parsers.
import type { PageTypeBlockRow, PageTypeFreeRow } from '../../src/parse/types.js';

/** The free-block counts of one `Node N, zone NAME c0 c1 …` buddyinfo line. */
export function buddyRow(text: string, node: number, zone: string): number[] {
  for (const line of text.split('\n')) {
    const m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(line.trim());
    if (m && Number(m[1]) === node && m[2] === zone) return (m[3] ?? '').trim().split(/\s+/).map(Number);
  }
  throw new Error(`no buddyinfo row for node ${node} zone ${zone}`);
}

/** One `name value` field of a zoneinfo zone block (`pages free`, `min`, `nr_free_cma`, …). */
export function zoneinfoField(text: string, node: number, zone: string, field: string): number {
  const blocks = text.split(/^(?=Node\s+\d+,\s*zone)/m);
  const block = blocks.find((b) =>
    new RegExp(`^Node\\s+${node},\\s*zone\\s+${zone}\\s*$`, 'm').test(b.split('\n')[0] ?? ''),
  );
  if (block === undefined) throw new Error(`no zoneinfo block for node ${node} zone ${zone}`);
  const m = new RegExp(`^\\s*${field}\\s+(\\d+)\\s*$`, 'm').exec(block);
  if (!m) throw new Error(`no ${field} in node ${node} zone ${zone}`);
  return Number(m[1]);
}

/** The protection (lowmem_reserve) array of a zoneinfo zone block. */
export function zoneinfoProtection(text: string, node: number, zone: string): number[] {
  const blocks = text.split(/^(?=Node\s+\d+,\s*zone)/m);
  const block = blocks.find((b) =>
    new RegExp(`^Node\\s+${node},\\s*zone\\s+${zone}\\s*$`).test(b.split('\n')[0] ?? ''),
  );
  const m = block === undefined ? null : /protection:\s*\(([^)]*)\)/.exec(block);
  if (!m) throw new Error(`no protection for node ${node} zone ${zone}`);
  return (m[1] ?? '').split(',').map((v) => Number(v.trim()));
}

/** pagetypeinfo free rows and block rows (single header; enough for the samples used here). */
export function pagetypeRows(text: string): { free: PageTypeFreeRow[]; blocks: PageTypeBlockRow[] } {
  const free: PageTypeFreeRow[] = [];
  const blocks: PageTypeBlockRow[] = [];
  let types: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^Number of blocks type\s+(.*)$/.exec(line);
    if (header) {
      types = (header[1] ?? '').trim().split(/\s+/);
      continue;
    }
    const f = /^Node\s+(\d+),\s*zone\s+(\S+),\s*type\s+(\S+)\s+(.*)$/.exec(line);
    if (f) {
      const cells = (f[4] ?? '').trim().split(/\s+/);
      free.push({
        node: Number(f[1]),
        zone: f[2] ?? '',
        type: f[3] ?? '',
        freeBlocksByOrder: cells.map((c) => Number(c.replace('>', ''))),
        atLeast: cells.map((c) => c.startsWith('>')),
      });
      continue;
    }
    const b = /^Node\s+(\d+),\s*zone\s+(\S+)\s+([\d\s]+)$/.exec(line);
    if (b) {
      const counts = (b[3] ?? '').trim().split(/\s+/).map(Number);
      blocks.push({
        node: Number(b[1]),
        zone: b[2] ?? '',
        blocksByType: Object.fromEntries(types.map((t, i) => [t, counts[i] ?? 0])),
      });
    }
  }
  return { free, blocks };
}
