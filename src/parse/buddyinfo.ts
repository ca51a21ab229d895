// Parses /proc/buddyinfo: free blocks per order for each node and zone.
import type { BuddyInfo, BuddyZone, Parsed, Problem } from './types.js';
import { kernelCount, MAX_PAGE_COUNT } from './kernel-number.js';
import { quote } from './problem-text.js';
import { terminalSafe } from './terminal-text.js';

const ZONE_LINE = /^Node\s+(\d+),\s*zone\s+(\S+)(.*)$/;
const COUNT = /^\d+$/;

/**
 * A column legend some tools and copies put above the rows: optional words followed by the order
 * numbers 0, 1, 2, ... in sequence. The kernel never prints one, so it carries no data.
 */
function isOrderHeader(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  const first = tokens.findIndex((t) => COUNT.test(t));
  if (first < 0) return false;
  const words = tokens.slice(0, first);
  if (!words.every((w) => /^\D+$/.test(w))) return false;
  const numbers = tokens.slice(first);
  return numbers.length >= 2 && numbers.every((t, i) => t === String(i));
}

export function parseBuddyInfo(text: string, file = 'buddyinfo'): Parsed<BuddyInfo> {
  const problems: Problem[] = [];
  const zones: BuddyZone[] = [];
  const lineOfZone: number[] = [];
  const lines = text.split('\n');
  // The kernel ends every line with a newline: text that stops mid-line was cut short while read or copied.
  if (text !== '' && !text.endsWith('\n'))
    problems.push({ file, line: lines.length, message: 'the file ends mid-line: it was cut short' });

  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = index + 1;
    if (line.trim() === '') return;
    const match = ZONE_LINE.exec(line);
    if (!match) {
      if (!isOrderHeader(line))
        problems.push({ file, line: lineNo, message: `unrecognised line: ${quote(line)}` });
      return;
    }
    const [, nodeText = '', rawZone = '', rest = ''] = match;
    const zone = terminalSafe(rawZone, 32);
    const tokens = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    const bad = tokens.find((t) => !COUNT.test(t));
    if (bad !== undefined) {
      problems.push({
        file,
        line: lineNo,
        message: `bad free count ${quote(bad)} for node ${nodeText} zone ${zone}`,
      });
      return;
    }
    const huge = tokens.find((t) => kernelCount(t) === null);
    if (huge !== undefined) {
      problems.push({
        file,
        line: lineNo,
        message: `free count ${quote(huge)} for node ${nodeText} zone ${zone} is more than any kernel can have (${MAX_PAGE_COUNT})`,
      });
      return;
    }
    const seen = zones.findIndex((z) => z.node === Number(nodeText) && z.zone === zone);
    if (seen >= 0) {
      // Summing both would double the zone's blocks; either line may be the true one.
      problems.push({
        file,
        line: lineNo,
        message: `node ${nodeText} zone ${zone} appears twice (lines ${lineOfZone[seen]} and ${lineNo}): the second is not counted`,
      });
      return;
    }
    if (tokens.length === 0) {
      problems.push({ file, line: lineNo, message: `no free counts for node ${nodeText} zone ${zone}` });
      return;
    }
    zones.push({ node: Number(nodeText), zone, freeBlocksByOrder: tokens.map(Number) });
    lineOfZone.push(lineNo);
  });

  // Every zone of one kernel has the same number of orders; a line that differs is kept but flagged.
  const expectedOrders = mostCommonLength(zones.map((z) => z.freeBlocksByOrder.length));
  zones.forEach((z, i) => {
    const orders = z.freeBlocksByOrder.length;
    if (orders !== expectedOrders) {
      problems.push({
        file,
        line: lineOfZone[i],
        message: `node ${z.node} zone ${z.zone} has ${orders} orders, other zones have ${expectedOrders}`,
      });
    }
  });

  return { value: { zones }, problems };
}

/** The most frequent value; on a tie, the one seen first. */
function mostCommonLength(lengths: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const n of lengths) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const [n, c] of counts) {
    if (c > bestCount) {
      best = n;
      bestCount = c;
    }
  }
  return best;
}
