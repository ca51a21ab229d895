// `fragtop check`: the node-problem-detector custom-plugin contract. NPD keeps at most max_output_length bytes
// of stdout (80 by default) as the condition's message and reads the exit code (0 ok, 1 problem, 2 unknown), so the
// verdict comes first in one line of at most 80 bytes; the details go to stderr, which NPD logs.
import { orderVerdict, type OrderVerdict } from '../analyze/order-verdict.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import { fitLine, NPD_MESSAGE_BYTES, unknownLine } from '../render/npd-line.js';
import { adviceTexts, reasonText } from '../render/diagnosis-text.js';
import { unknownText } from '../render/order-verdict-text.js';

export interface CheckResult {
  exitCode: 0 | 1 | 2;
  /** The one stdout line: the verdict first, at most NPD_MESSAGE_BYTES bytes. */
  line: string;
  /** What the line leaves out: the reason in full, the advice, what could not be read. For stderr. */
  details: string[];
}

/** What check read, so the line can say when an answer rests on less than everything. */
export interface CheckReads {
  /** pagetypeinfo was needed (4.4+ and enough blocks) but could not be read: the blocks' lists are unknown. */
  listsUnread?: boolean;
  kernelLog?: KernelLogState;
}

const VERDICT_WORD = { ok: 'OK', fragmentation: 'FRAG', 'low-memory': 'LOWMEM', unknown: 'UNKNOWN' } as const;

/** The first thing to do, in a word or two, from the diagnosis' advice. */
function firstAdvice(verdict: OrderVerdict): string | null {
  const first = verdict.diagnosis?.advice[0];
  if (!first) return null;
  switch (first.id) {
    case 'compact':
      return 'compact';
    case 'drop-caches':
      return 'drop caches';
    case 'find-what-holds-memory':
    case 'free-memory-meminfo-unknown':
      return 'free memory';
    case 'unmovable-pageblocks':
      return 'compaction helps little';
    case 'culprit':
      return null;
  }
}

export function checkSnapshot(
  snapshot: Snapshot,
  order: number,
  minBlocks: number,
  reads: CheckReads = {},
): CheckResult {
  const verdict = orderVerdict(snapshot, order, minBlocks);
  const head = `order${order}`;
  const details: string[] = [];
  if (verdict.diagnosis) details.push(reasonText(verdict.diagnosis), ...adviceTexts(verdict.diagnosis));
  const kernelLog = reads.kernelLog;
  if (kernelLog?.state === 'unreadable')
    details.push(`kernel log not read (${kernelLog.reason ?? 'unreadable'}): allocation failures unknown`);
  const notes: string[] = [];
  if (reads.listsUnread) {
    details.push('pagetypeinfo could not be read: some of these blocks may sit on HighAtomic or CMA lists');
    notes.push('lists unread');
  }
  if (kernelLog?.state === 'unreadable') notes.push('kmsg unread');
  const withNotes = (line: string) => {
    // Notes are added only while the whole still fits: the verdict and the count always come first.
    let out = line;
    for (const note of notes) if (`${out}, ${note}`.length <= NPD_MESSAGE_BYTES) out = `${out}, ${note}`;
    return out;
  };

  switch (verdict.status) {
    case 'unknown': {
      const why = unknownText(verdict);
      details.unshift(why);
      return { exitCode: 2, line: fitLine(`${head} UNKNOWN: ${why}`), details };
    }
    case 'ok':
      return {
        exitCode: 0,
        line: fitLine(withNotes(`${head} OK: ${verdict.blocks} blocks (want ${minBlocks})`)),
        details,
      };
    case 'short': {
      const word = VERDICT_WORD[verdict.diagnosis?.verdict ?? 'unknown'];
      // Some zone serves the order, but fewer blocks than wanted are left: short, whatever the cause.
      const status = word === 'OK' ? 'SHORT' : word;
      const advice = firstAdvice(verdict);
      const line = `${head} ${status}: ${verdict.blocks} blocks (want ${minBlocks})${advice ? `; ${advice}` : ''}`;
      return { exitCode: 1, line: fitLine(withNotes(line)), details };
    }
  }
}

export { NPD_MESSAGE_BYTES, unknownLine };
