// Untrusted text made safe for a terminal: no control character reaches the screen or snapshot text.

/**
 * C0 controls, DEL and C1 controls (a terminal acts on them: retitle, move the cursor, rewrite the screen), and
 * the bidirectional overrides that make text display in another order than it reads.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Longest external string shown whole: longer host names, process names or paths are cut with "…". */
export const MAX_EXTERNAL_TEXT = 256;

/** One line of untrusted text: each unsafe character shown as "?", cut to `max` characters. */
export function terminalSafe(text: string, max = MAX_EXTERNAL_TEXT): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(UNSAFE, '?');
}

export function terminalSafeOrNull(text: string | null, max = MAX_EXTERNAL_TEXT): string | null {
  return text === null ? null : terminalSafe(text, max);
}
