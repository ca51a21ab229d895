// The one line node-problem-detector keeps: at most 80 bytes of ASCII (its default max_output_length).
import { toAscii } from './ascii.js';

/** node-problem-detector's default max_output_length. */
export const NPD_MESSAGE_BYTES = 80;

/** ASCII, cut to the byte budget: NPD cuts bytes, not characters, and a cut in the middle of a glyph is garbage. */
export function fitLine(text: string, bytes = NPD_MESSAGE_BYTES): string {
  const ascii = toAscii(text);
  return ascii.length <= bytes ? ascii : `${ascii.slice(0, bytes - 3)}...`;
}

/** The line for an exit that has no verdict (bad usage, a crash): NPD must still show why. */
export function unknownLine(message: string): string {
  return fitLine(`UNKNOWN: ${message}`);
}
