// Pure layout of a slab cache row: the name takes what the number columns leave.
import type { SlabRow } from '../analyze/snapshot-types.js';
import { slabUtilisation } from '../store/slab-sort.js';
import { humanBytes, humanCount, padLeft, padRight, percent } from './format.js';

const NUMBER_COLUMNS = [
  { title: 'size', width: 7, cell: (row: SlabRow) => humanBytes(row.bytes) },
  { title: 'objs', width: 7, cell: (row: SlabRow) => humanCount(row.numObjs, 6) },
  { title: 'act%', width: 5, cell: (row: SlabRow) => percent(slabUtilisation(row)) },
  { title: 'objsz', width: 6, cell: (row: SlabRow) => humanBytes(row.objSizeBytes) },
  { title: 'pg/sl', width: 6, cell: (row: SlabRow) => String(row.pagesPerSlab) },
];
const NUMBERS_WIDTH = NUMBER_COLUMNS.reduce((sum, column) => sum + column.width, 0);

export function slabLine(row: SlabRow, width: number): string {
  const nameWidth = Math.max(8, width - NUMBERS_WIDTH);
  return padRight(row.name, nameWidth) + NUMBER_COLUMNS.map((c) => padLeft(c.cell(row), c.width)).join('');
}

export function slabHeader(width: number): string {
  const nameWidth = Math.max(8, width - NUMBERS_WIDTH);
  return padRight('cache', nameWidth) + NUMBER_COLUMNS.map((c) => padLeft(c.title, c.width)).join('');
}
