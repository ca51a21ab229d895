// The diagnosis in words: the verdict's reason and the advice, from the data analyze/diagnosis returns.
import type { Advice, Diagnosis, DroppablePart, FocusZone } from '../analyze/diagnosis.js';
import { toDebugfs } from '../analyze/fragmentation-index.js';
import type { ZoneKey } from '../parse/types.js';
import { formatBytes } from './format.js';

const iec = (bytes: number): string => formatBytes(bytes, { units: 'iec' });
const zoneLabel = (z: ZoneKey): string => `${z.zone}#${z.node}`;
const formatIndex = (index: number): string => toDebugfs(index).toFixed(3);
const cap = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** One sentence (or two) saying why the verdict is what it is. */
export function reasonText(d: Diagnosis): string {
  const order = d.targetOrder;
  const pages = (n: number): string => iec(n * d.pageSizeBytes);
  const orderText = `order ${order} (${pages(2 ** order)})`;
  const reason = d.reason;
  switch (reason.kind) {
    case 'no-zones':
      return `Cannot judge ${orderText}: no buddyinfo zones.`;
    case 'buddyinfo-damaged':
      return `Cannot judge ${orderText}: buddyinfo is not what a kernel prints (${reason.message}).`;
    case 'no-eligible-zone':
      return `Cannot judge ${orderText}: no zone at or below ${reason.requestZone}.`;
    case 'order-missing':
      return reason.largestOrder === null
        ? `This kernel has no order ${order}.`
        : `This kernel has no order ${order}: its largest blocks are order ${reason.largestOrder}.`;
    case 'ok':
      return `${cap(orderText)} can be served by ${d.zonesOk.map(zoneLabel).join(', ')}: room for ${d.servableBlocks} order-${order} blocks.`;
    case 'watermarks-unknown':
      return `Room for ${d.suitableBlocks} order-${order} blocks (${reason.zones.map(zoneLabel).join(', ')}), but without zoneinfo watermarks the check cannot run.`;
    case 'none-can-serve': {
      const head = d.verdict === 'fragmentation' ? 'fragmentation' : 'low memory';
      const detail = reason.focus ? focusText(reason.focus, order, pages) : '';
      return `No zone can serve ${orderText} (${head}). ${detail}`.trim();
    }
  }
}

function focusText(focus: FocusZone, order: number, pages: (n: number) => string): string {
  const label = zoneLabel(focus);
  const free = pages(focus.freePages);
  switch (focus.why) {
    case 'large-blocks-unusable':
      return focus.algorithm === 'pre-4.4'
        ? `${label} has ${free} free and ${focus.suitableBlocks} blocks of order ≥ ${order}, but too little of its free memory sits in large blocks for the pre-4.4 watermark check.`
        : `${label} has ${free} free and ${focus.suitableBlocks} blocks of order ≥ ${order}, but none on a list an ordinary allocation may use (they are HighAtomic or CMA).`;
    case 'no-large-block':
      return `${label} has ${free} free but no block of order ≥ ${order}; fragmentation index ${formatIndex(focus.fragmentationIndex)} ≥ ${formatIndex(focus.threshold)}.`;
    case 'below-min':
      return `${label} has ${free} free, at or below its min watermark of ${pages(focus.watermarkMinPages)}.`;
    case 'too-little-free':
      return `${label} has ${free} free; fragmentation index ${formatIndex(focus.fragmentationIndex)} < ${formatIndex(focus.threshold)}: too little free memory, not fragmentation.`;
  }
}

function partText(part: DroppablePart): string {
  const percent = Math.round(part.share * 100);
  return part.what === 'page-cache'
    ? `page cache ${iec(part.kb * 1024)} (${percent}% of memory)`
    : `reclaimable slab ${iec(part.kb * 1024)} (${percent}%)`;
}

export function adviceText(advice: Advice): string {
  switch (advice.id) {
    case 'compact':
      return `Compact memory first (echo 1 > /proc/sys/vm/compact_memory) to merge free pages into order-${advice.order} blocks.`;
    case 'unmovable-pageblocks':
      return `${zoneLabel(advice.zone)}: ${Math.round(advice.share * 100)}% of pageblocks are Unmovable or Reclaimable, so compaction may not help much.`;
    case 'drop-caches': {
      const drop = `Drop caches (sync; echo 3 > /proc/sys/vm/drop_caches): ${advice.parts.map(partText).join(' and ')} can be freed.`;
      return advice.thenCompact ? `${drop} Then compact again.` : drop;
    }
    case 'find-what-holds-memory':
      return 'Little memory is cache: find what holds it (processes, slab caches) and free or limit it.';
    case 'free-memory-meminfo-unknown':
      return 'Free memory: drop caches or stop what holds it (meminfo was not available to tell which).';
    case 'culprit':
      return advice.text;
  }
}

export const adviceTexts = (d: Diagnosis): string[] => d.advice.map(adviceText);
