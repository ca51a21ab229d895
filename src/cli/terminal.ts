// Terminal setup and teardown: alternate screen in, and always back out on quit, signals and crashes.
import { toAscii } from '../render/ascii.js';

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';
const HIDE_CURSOR = '\u001b[?25l';

export interface TerminalSession {
  /** Leaves the alternate screen once; safe to call from several exit paths. */
  restore(): void;
  /** Gives the terminal back to the shell for a while (Ctrl-Z): normal screen, cursor, cooked mode. */
  suspend(): void;
  /** Takes it again after `suspend` (on SIGCONT): alternate screen, no cursor, raw mode. */
  resume(): void;
}

function setRawMode(stdout: NodeJS.WriteStream, on: boolean): void {
  if (!stdout.isTTY || !process.stdin.isTTY || !process.stdin.setRawMode) return;
  try {
    process.stdin.setRawMode(on);
  } catch {
    // stdin may already be closed on SIGHUP; the screen still has to be restored.
  }
}

export function enterAlternateScreen(stdout: NodeJS.WriteStream): TerminalSession {
  stdout.write(ENTER_ALTERNATE_SCREEN);
  let restored = false;
  let suspended = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      setRawMode(stdout, false);
      if (!suspended) stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    },
    suspend() {
      if (restored || suspended) return;
      suspended = true;
      setRawMode(stdout, false);
      stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    },
    resume() {
      if (restored || !suspended) return;
      suspended = false;
      stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR);
      setRawMode(stdout, true);
    },
  };
}

export const NO_TERMINAL_MESSAGE =
  'fragtop: the live screen needs a terminal on stdin and stdout; use "fragtop snapshot" (or "fragtop snapshot --json") for one frame';

/**
 * Makes everything written to `stream` ASCII (one character for one, so the screen keeps its columns) for
 * terminals without UTF-8; returns the function that undoes it.
 */
export function asciiOnly(stream: NodeJS.WriteStream): () => void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    return (write as (...args: unknown[]) => boolean).call(
      this,
      typeof chunk === 'string' ? toAscii(chunk) : chunk,
      ...rest,
    );
  } as typeof stream.write;
  return () => {
    stream.write = write;
  };
}

export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  return env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
}

export function hasTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}
