// slabtop's sort keys, as a table the key map and the help screen share.
import type { SlabRow } from '../analyze/snapshot-types.js';

export type SlabSortKey = 'size' | 'objects' | 'active' | 'objsize' | 'pages' | 'use' | 'name';

export interface SlabSort {
  key: SlabSortKey;
  hotkey: string;
  label: string;
  compare: (a: SlabRow, b: SlabRow) => number;
}

const utilisation = (row: SlabRow): number => (row.numObjs === 0 ? 0 : row.activeObjs / row.numObjs);

export const SLAB_SORTS: readonly SlabSort[] = [
  { key: 'size', hotkey: 'z', label: 'cache size', compare: (a, b) => b.bytes - a.bytes },
  { key: 'objects', hotkey: 'o', label: 'objects', compare: (a, b) => b.numObjs - a.numObjs },
  { key: 'active', hotkey: 'a', label: 'active objects', compare: (a, b) => b.activeObjs - a.activeObjs },
  { key: 'objsize', hotkey: 's', label: 'object size', compare: (a, b) => b.objSizeBytes - a.objSizeBytes },
  { key: 'pages', hotkey: 'P', label: 'pages per slab', compare: (a, b) => b.pagesPerSlab - a.pagesPerSlab },
  { key: 'use', hotkey: 'u', label: 'utilisation', compare: (a, b) => utilisation(b) - utilisation(a) },
  { key: 'name', hotkey: 'n', label: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
];

export function sortSlabs(rows: readonly SlabRow[], key: SlabSortKey): SlabRow[] {
  const sort = SLAB_SORTS.find((s) => s.key === key) ?? SLAB_SORTS[0]!;
  // Ties fall back to size then name so the order is stable from one tick to the next.
  return [...rows].sort((a, b) => sort.compare(a, b) || b.bytes - a.bytes || a.name.localeCompare(b.name));
}

export function slabUtilisation(row: SlabRow): number {
  return utilisation(row);
}
