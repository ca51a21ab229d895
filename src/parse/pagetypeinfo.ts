// Parses /proc/pagetypeinfo: free blocks per migrate type and order, and pageblocks per migrate type.
import type { PageTypeBlockRow, PageTypeFreeRow, PageTypeInfo, Parsed, Problem } from './types.js';
import { kernelCount } from './kernel-number.js';
import { quote } from './problem-text.js';
import { terminalSafe } from './terminal-text.js';

const BLOCK_ORDER = /^Page block order:\s*(\d+)\s*$/;
const PAGES_PER_BLOCK = /^Pages per block:\s*(\d+)\s*$/;
const FREE_HEADER = /^Free pages count per migrate type at order\b(.*)$/;
const BLOCKS_HEADER = /^Number of blocks type\b(.*)$/;
const MIXED_HEADER = /^Number of mixed blocks\b(.*)$/;
const FREE_ROW = /^Node\s+(\d+),\s*zone\s+(\S+),\s*type\s+(\S+)(.*)$/;
const BLOCK_ROW = /^Node\s+(\d+),\s*zone\s+([^\s,]+)(.*)$/;
// The kernel stops counting a free list at 100000 entries and prints the cell as `>100000` (5.4+).
const FREE_CELL = /^(>?)(\d+)$/;

type Section = 'none' | 'free' | 'blocks' | 'mixed';

function splitTokens(rest: string): string[] {
  const trimmed = rest.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

export function parsePageTypeInfo(text: string, file = 'pagetypeinfo'): Parsed<PageTypeInfo> {
  const problems: Problem[] = [];
  const free: PageTypeFreeRow[] = [];
  const blocks: PageTypeBlockRow[] = [];
  // Type names come from the data, never a table: vendors reorder and add types.
  const headerTypes: string[] = [];
  const rowTypes: string[] = [];
  const addTo = (list: string[], name: string): void => {
    if (!list.includes(name)) list.push(name);
  };
  let pageblockOrder: number | undefined;
  let pagesPerBlock: number | undefined;
  let section: Section = 'none';
  let orderCount: number | undefined;
  let blockColumns: string[] = [];

  // The header block repeats once per NUMA node; later copies must agree with the first.
  const setHeaderNumber = (
    current: number | undefined,
    value: number,
    label: string,
    lineNo: number,
  ): number | undefined => {
    if (current !== undefined && current !== value) {
      problems.push({
        file,
        line: lineNo,
        message: `${label} ${value} differs from ${current} seen earlier`,
      });
      return current;
    }
    return value;
  };

  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = index + 1;
    if (line.trim() === '') return;
    let m: RegExpExecArray | null;

    if ((m = BLOCK_ORDER.exec(line))) {
      pageblockOrder = setHeaderNumber(pageblockOrder, Number(m[1]), 'page block order', lineNo);
      return;
    }
    if ((m = PAGES_PER_BLOCK.exec(line))) {
      pagesPerBlock = setHeaderNumber(pagesPerBlock, Number(m[1]), 'pages per block', lineNo);
      return;
    }
    if ((m = FREE_HEADER.exec(line))) {
      const orders = splitTokens(m[1] ?? '');
      if (orders.length === 0 || !orders.every((t, i) => t === String(i))) {
        problems.push({ file, line: lineNo, message: `bad order list in free-pages header: ${quote(line)}` });
        orderCount = undefined;
      } else {
        orderCount = orders.length;
      }
      section = 'free';
      return;
    }
    if ((m = BLOCKS_HEADER.exec(line))) {
      blockColumns = splitTokens(m[1] ?? '');
      if (blockColumns.length === 0) {
        problems.push({ file, line: lineNo, message: 'no migrate types in "Number of blocks type" header' });
      }
      blockColumns.forEach((t) => addTo(headerTypes, t));
      section = 'blocks';
      return;
    }
    if (MIXED_HEADER.test(line)) {
      // Only with page_owner enabled; it says nothing about free memory.
      section = 'mixed';
      return;
    }
    if ((m = FREE_ROW.exec(line))) {
      const [, nodeText = '', rawZone = '', rawType = '', rest = ''] = m;
      const zone = terminalSafe(rawZone, 32);
      const type = terminalSafe(rawType, 32);
      const cells = splitTokens(rest);
      const freeBlocksByOrder: number[] = [];
      const atLeast: boolean[] = [];
      for (const cell of cells) {
        const c = FREE_CELL.exec(cell);
        if (!c) {
          problems.push({ file, line: lineNo, message: `bad free count ${quote(cell)} for ${zone} ${type}` });
          return;
        }
        const count = kernelCount(c[2] ?? '');
        if (count === null) {
          problems.push({
            file,
            line: lineNo,
            message: `free count ${quote(cell)} for ${zone} ${type} is more than any kernel can have`,
          });
          return;
        }
        freeBlocksByOrder.push(count);
        atLeast.push(c[1] === '>');
      }
      if (cells.length === 0) {
        problems.push({ file, line: lineNo, message: `no free counts for ${zone} ${type}` });
        return;
      }
      if (orderCount !== undefined && cells.length !== orderCount) {
        // Kept: the counts per order are still right for the orders printed.
        problems.push({
          file,
          line: lineNo,
          message: `${zone} ${type} has ${cells.length} orders, header has ${orderCount}`,
        });
      }
      addTo(rowTypes, type);
      free.push({ node: Number(nodeText), zone, type, freeBlocksByOrder, atLeast });
      return;
    }
    if ((m = BLOCK_ROW.exec(line))) {
      if (section === 'mixed') return;
      const [, nodeText = '', rawZone = '', rest = ''] = m;
      const zone = terminalSafe(rawZone, 32);
      if (section !== 'blocks') {
        problems.push({ file, line: lineNo, message: `block-count row before its header: ${quote(line)}` });
        return;
      }
      const cells = splitTokens(rest);
      const bad = cells.find((t) => kernelCount(t) === null);
      if (bad !== undefined) {
        problems.push({ file, line: lineNo, message: `bad block count ${quote(bad)} for ${zone}` });
        return;
      }
      if (cells.length !== blockColumns.length) {
        // Without one count per header column the counts cannot be told apart.
        problems.push({
          file,
          line: lineNo,
          message: `${zone} has ${cells.length} block counts, header has ${blockColumns.length} types`,
        });
        return;
      }
      const blocksByType: Record<string, number> = {};
      blockColumns.forEach((type, i) => {
        blocksByType[type] = Number(cells[i]);
      });
      blocks.push({ node: Number(nodeText), zone, blocksByType });
      return;
    }
    problems.push({ file, line: lineNo, message: `unrecognised line: ${quote(line)}` });
  });

  const migrateTypes = [...headerTypes];
  rowTypes.forEach((t) => addTo(migrateTypes, t));
  const value: PageTypeInfo = { migrateTypes, free, blocks };
  if (pageblockOrder !== undefined) value.pageblockOrder = pageblockOrder;
  if (pagesPerBlock !== undefined) value.pagesPerBlock = pagesPerBlock;
  return { value, problems };
}
