// The measured effect of a remediation in one line, for the dialog, the guard's log and the audit log.
import type { RemediationEffect } from '../analyze/remediation-effect.js';
import { formatBytes } from './format.js';

/** Bytes as 977M, 1.2G, 1.0K: one decimal below 10 units, kept so the summary's columns read alike. */
export const formatBytesShort = (bytes: number): string => formatBytes(bytes, { decimals: 'one-below-10' });

const count = (n: number): string => n.toLocaleString('en-US');
const signed = (n: number): string => (n >= 0 ? `+${count(n)}` : count(n));

/** Counters worth a word in the one-line summary, when they moved. */
const SUMMARY_COUNTERS = ['compact_success', 'compact_fail', 'drop_pagecache', 'drop_slab'];

/** One human line over the usable blocks, e.g. "order ≥6 blocks 12 → 1,480 (+1,468); free 1.2G → 1.2G; compact_success +3". */
export function effectSummary(effect: RemediationEffect): string {
  const { pageSizeBytes } = effect;
  const { usableBlocks: blocks, zonesOk, freePages } = effect.totals;
  const parts = [
    `order ≥${effect.targetOrder} blocks ${count(blocks.before ?? 0)} → ${count(blocks.after ?? 0)} (${signed(blocks.delta ?? 0)})`,
  ];
  if (zonesOk.before !== null && zonesOk.after !== null)
    parts.push(
      `zones ok ${zonesOk.before}/${effect.totals.zoneCount.before} → ${zonesOk.after}/${effect.totals.zoneCount.after}`,
    );
  const free = effect.memory.freeBytes;
  if (free.before !== null && free.after !== null)
    parts.push(`free ${formatBytesShort(free.before)} → ${formatBytesShort(free.after)}`);
  else
    parts.push(
      `free ${formatBytesShort((freePages.before ?? 0) * pageSizeBytes)} → ${formatBytesShort((freePages.after ?? 0) * pageSizeBytes)}`,
    );
  const cached = effect.memory.cachedBytes;
  if (cached.before !== null && cached.after !== null && cached.delta !== 0)
    parts.push(`cached ${formatBytesShort(cached.before)} → ${formatBytesShort(cached.after)}`);
  for (const name of SUMMARY_COUNTERS) {
    const delta = effect.counterDeltas[name];
    if (delta) parts.push(`${name} ${signed(delta)}`);
  }
  return parts.join('; ');
}
