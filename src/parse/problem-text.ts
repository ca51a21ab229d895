// Wording shared by the parsers' problem messages.

import { terminalSafe } from './terminal-text.js';

/** Short, quoted copy of a line for problem messages; safe for a terminal, since the line is untrusted. */
export function quote(line: string): string {
  const trimmed = line.trim();
  return JSON.stringify(terminalSafe(trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed));
}
