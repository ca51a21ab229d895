// Parses lines of a tracefs trace_pipe ("comm-pid [cpu] flags seconds: event: key=value ...") into events; pure.
import type { Problem } from './types.js';
import { quote } from './problem-text.js';
import { terminalSafe } from './terminal-text.js';

export interface TraceEvent {
  comm: string;
  pid: number;
  cpu: number;
  /** Seconds on the trace clock (local: since boot, per CPU). */
  seconds: number;
  name: string;
  /** key=value pairs as printed, values as text. */
  fields: Record<string, string>;
}

// The comm may hold spaces and dashes: the pid is the last "-digits" before the CPU in brackets.
const LINE =
  /^\s*(.*)-(\d+)\s+(?:\(\s*[-\d]*\)\s+)?\[(\d+)\]\s+(?:\S{4,6}\s+)?(\d+\.\d+):\s+([\w.]+):\s?(.*)$/;
const FIELD = /([A-Za-z_]\w*)=(\S*)/g;

/** One trace line; null with a problem when it is not an event line. */
export function parseTraceLine(
  line: string,
  file = 'trace_pipe',
  lineNo?: number,
): { event: TraceEvent | null; problem: Problem | null } {
  const m = LINE.exec(line);
  if (!m) {
    return {
      event: null,
      problem: {
        file,
        ...(lineNo !== undefined ? { line: lineNo } : {}),
        message: `not a trace event: ${quote(line)}`,
      },
    };
  }
  const fields: Record<string, string> = {};
  for (const field of (m[6] ?? '').matchAll(FIELD)) fields[field[1] ?? ''] = field[2] ?? '';
  return {
    event: {
      // A process names itself (prctl): its name is untrusted text.
      comm: terminalSafe(m[1] ?? '', 64),
      pid: Number(m[2]),
      cpu: Number(m[3]),
      seconds: Number(m[4]),
      name: m[5] ?? '',
      fields,
    },
    problem: null,
  };
}

/** A number field printed in decimal or 0x hex; undefined when absent or not a number. */
export function numberField(event: TraceEvent, key: string): number | undefined {
  const text = event.fields[key];
  if (text === undefined) return undefined;
  const value = /^0x[0-9a-f]+$/i.test(text)
    ? parseInt(text.slice(2), 16)
    : /^-?\d+$/.test(text)
      ? Number(text)
      : NaN;
  return Number.isFinite(value) ? value : undefined;
}
