// The plain-text form of `fragtop snapshot`: the screen's content without a terminal, for pipes and tickets.
import { bannerLines, headerText } from '../render/screen-text.js';
import { failureExplanation, failureSummary } from '../render/failure-text.js';
import { slabHeader, slabLine } from '../render/slab-layout.js';
import { countCells, tailCells, zoneColumns, zoneHeader, zoneLabel } from '../render/zones-layout.js';
import { SLAB_SORTS } from '../store/slab-sort.js';
import { kernelLogProblem, sortedSlabs, type SnapshotJsonInput } from './snapshot-json.js';

const TEXT_WIDTH = 100;
const TOP_SLABS = 15;
/** Wide enough for exact counts up to 9,999,999: text output is for copying into tickets. */
const TEXT_CELL_WIDTH = 8;

export function snapshotText(input: SnapshotJsonInput): string {
  const { snapshot, targetOrder } = input;
  const lines: string[] = [];
  lines.push(headerText(snapshot, null));
  const [verdict, advice] = bannerLines(input.diagnosis, snapshot);
  lines.push(verdict);
  if (advice) lines.push(`  ${advice}`);
  lines.push('', `Free blocks by order (target order ${targetOrder})`);
  if (snapshot.zones.length === 0)
    lines.push(`  ${snapshot.unavailable.buddyinfo ?? 'no zones in buddyinfo'}`);
  else {
    const layout = zoneColumns(snapshot.orderCount, TEXT_WIDTH, TEXT_CELL_WIDTH);
    lines.push(zoneHeader(snapshot, targetOrder, layout));
    for (const zone of snapshot.zones)
      lines.push(
        zoneLabel(zone, layout) +
          countCells(zone.freeBlocksByOrder, snapshot.orderCount, layout).join('') +
          tailCells(zone, targetOrder, snapshot.pageSizeBytes, layout),
      );
  }
  const sort = SLAB_SORTS.find((s) => s.key === (input.slabSort ?? 'size'))!;
  lines.push('', `Slab caches (top ${TOP_SLABS} by ${sort.label} of ${snapshot.slabs.length})`);
  if (snapshot.unavailable.slabinfo) lines.push(`  ${snapshot.unavailable.slabinfo}`);
  else {
    lines.push(slabHeader(TEXT_WIDTH));
    for (const slab of sortedSlabs(input).slice(0, TOP_SLABS)) lines.push(slabLine(slab, TEXT_WIDTH));
  }
  const logProblem = kernelLogProblem(input.kernelLog);
  const total = input.failureTotal ?? input.failures.length;
  const dropped = input.failuresDropped ?? 0;
  const counted = logProblem
    ? 'unknown: the kernel log was not read'
    : `${total}${dropped ? `, the oldest ${dropped} not kept` : ''}${input.suppressedFailures ? `, ${input.suppressedFailures} suppressed` : ''}`;
  lines.push('', `Allocation failures (${counted})`);
  if (logProblem) lines.push(`  ${logProblem}`);
  for (const failure of [...input.failures].reverse()) {
    lines.push(`  ${failureSummary(failure, snapshot.pageSizeBytes)}`, `    ${failureExplanation(failure)}`);
  }
  const problems = [
    ...Object.entries(snapshot.unavailable).map(([source, message]) => `${source}: ${message}`),
    ...snapshot.problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`),
    ...(input.extraProblems ?? []).map((p) => `${p.source}: ${p.message}`),
    ...(input.logProblems ?? []).map(
      (p) => `kernel log${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`,
    ),
  ];
  if (logProblem && !problems.some((p) => logProblem.endsWith(p.replace(/^[^:]*: /, ''))))
    problems.push(`kernel log: ${logProblem}`);
  if (problems.length) lines.push('', 'Problems', ...problems.map((p) => `  ${p}`));
  return `${lines.join('\n')}\n`;
}
