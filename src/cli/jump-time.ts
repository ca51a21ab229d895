// Reads a time the user typed to jump to in a recording: relative (-5m, +30s), a clock time, or an ISO date.
import { parseDuration } from './duration.js';

export interface JumpContext {
  /** The position relative times count from (replay: the current frame; snapshot --at: the end). */
  fromMs: number;
  startMs: number;
  endMs: number;
}

export type JumpResult = { ok: true; timeMs: number } | { ok: false; message: string };

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export function parseJumpTime(text: string, context: JumpContext): JumpResult {
  const input = text.trim();
  if (input === '') return { ok: false, message: 'type a time: -5m, +30s, 14:15:31 or 2026-11-27T14:15:31' };
  const sign = input[0];
  if (sign === '-' || sign === '+') {
    const ms = parseDuration(input.slice(1));
    if (ms === null) return { ok: false, message: `"${input}" is not a duration like -5m or +30s` };
    return { ok: true, timeMs: context.fromMs + (sign === '-' ? -ms : ms) };
  }
  const clock = CLOCK.exec(input);
  if (clock) {
    // A clock time means that time on the day of the position, in local time.
    const day = new Date(context.fromMs);
    day.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), 0);
    return { ok: true, timeMs: day.getTime() };
  }
  const parsed = Date.parse(input);
  if (!Number.isNaN(parsed)) return { ok: true, timeMs: parsed };
  return { ok: false, message: `"${input}" is not a time: use -5m, +30s, 14:15:31 or an ISO date` };
}
