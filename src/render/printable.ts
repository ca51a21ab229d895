// Makes text from outside (process names from trace events, zone names) safe to print on a terminal.

/** Control characters (C0, DEL, C1) become "?", and the text is cut to `max` characters. */
export function printable(text: string, max = 64): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
