// Wording shared by the parsers' problem messages.

/** Short, quoted copy of a line for problem messages. */
export function quote(line: string): string {
  const trimmed = line.trim();
  return JSON.stringify(trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed);
}
