// "Who fragments": the trace tallies in words, for the e view and `fragtop events`; pure.
import type { TraceTalliesRead } from '../model/pageblock-map.js';
import { durationLabel, padLeft, padRight } from './format.js';
import { terminalSafe as printable } from '../parse/terminal-text.js';

const count = (n: number) => n.toLocaleString('en-US');

function rate(n: number, seconds: number): string {
  if (seconds <= 0) return '-';
  const perSecond = n / seconds;
  return perSecond >= 10 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

export function traceTallyLines(
  read: TraceTalliesRead | null | undefined,
  missing: string,
  top = 10,
): string[] {
  if (!read) return [missing];
  if (!read.ok) return [`tracing unavailable: ${printable(read.message)}`];
  const t = read.tallies;
  const seconds = Math.max(0, (t.untilMs - t.sinceMs) / 1000);
  const lines: string[] = [];
  lines.push(
    `${durationLabel(Math.round(seconds) * 1000)} of kmem/mm_page_alloc_extfrag and compaction events (a tracing instance of fragtop's own; the global tracing state is untouched)`,
  );
  if (read.note) lines.push(`note: ${printable(read.note)}`);
  if (t.missingEvents.length)
    lines.push(`this kernel lacks: ${t.missingEvents.map((m) => printable(m)).join(', ')}`);
  if (t.lost) lines.push(`the kernel dropped ${count(t.lost)} events (the buffer filled between two reads)`);
  const e = t.extfrag;
  lines.push(
    '',
    `Steals: ${count(e.total)} allocations took pages from a pageblock of another migrate type (${rate(e.total, seconds)}); ${count(e.fragmenting)} of them fragmenting (took less than a whole pageblock, leaving it mixed)`,
  );
  if (e.byDirection.length)
    lines.push(
      `  by direction: ${e.byDirection
        .slice(0, 6)
        .map((d) => `${printable(d.to)} took from ${printable(d.from)} ${count(d.count)}`)
        .join(' · ')}`,
    );
  const orders = e.byOrder.map((n, o) => (n ? `${o}: ${count(n)}` : '')).filter(Boolean);
  if (orders.length) lines.push(`  by allocation order: ${orders.join(' · ')}`);
  lines.push(
    '',
    `${padRight('top culprits (process)', 34)}${padLeft('steals', 10)}${padLeft('rate', 9)}${padLeft('fragmenting', 13)}`,
  );
  if (!e.byProcess.length) lines.push('  none yet');
  for (const p of e.byProcess.slice(0, top))
    lines.push(
      `${padRight(`  ${printable(p.comm, 24)} ${p.pid >= 0 ? p.pid : ''}`, 34)}${padLeft(count(p.count), 10)}${padLeft(rate(p.count, seconds), 9)}${padLeft(count(p.fragmenting), 13)}`,
    );
  const c = t.compaction;
  lines.push(
    '',
    `Compaction: kcompactd woken ${count(c.kcompactdWakes)} · direct compactions ${count(c.directCompactions)} (${rate(c.directCompactions, seconds)}) · runs begun ${count(c.begins)}, ended ${count(c.ends)}`,
  );
  lines.push(
    `${padRight('direct-compaction stalls (process)', 34)}${padLeft('count', 10)}${padLeft('total', 9)}${padLeft('longest', 13)}`,
  );
  if (!c.stalls.length) lines.push('  none');
  for (const s of c.stalls.slice(0, top))
    lines.push(
      `${padRight(`  ${printable(s.comm, 24)} ${s.pid >= 0 ? s.pid : ''}`, 34)}${padLeft(count(s.count), 10)}${padLeft(durationLabel(Math.round(s.totalMs)), 9)}${padLeft(durationLabel(Math.round(s.maxMs)), 13)}`,
    );
  return lines;
}
