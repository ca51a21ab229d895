// Runs the real built binary in a real terminal (tmux) and reads its screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from './frames.js';

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
export const BIN = `${REPO_ROOT}bin/fragtop.js`;
export const HAS_BUILD = existsSync(`${REPO_ROOT}dist/fragtop.js`);

let counter = 0;

export class TmuxSession {
  readonly socket: string;
  readonly name = 'fragtop';

  constructor(command: string, size = { columns: 100, rows: 30 }, cwd = REPO_ROOT) {
    this.socket = `fragtop-test-${process.pid}-${++counter}`;
    // The shell prints the exit status on the normal screen, then waits so the pane can still be read.
    const script = `${command}; echo "EXIT:$?"; sleep 60`;
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      '-e',
      'CI=false',
      '-c',
      cwd,
      'sh',
      '-c',
      script,
    );
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with its attributes as escape sequences (colour, bold, underline). */
  styledScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  /** 1 while the program is in the alternate screen, 0 once it has left it. */
  alternateOn(): boolean {
    return this.tmux('display-message', '-p', '-t', this.name, '#{alternate_on}').trim() === '1';
  }

  send(...keys: string[]): void {
    for (const key of keys) this.tmux('send-keys', '-t', this.name, key);
  }

  async waitFor(predicate: (screen: string) => boolean, timeoutMs = 8000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = this.screen();
    while (!predicate(screen)) {
      if (Date.now() > deadline) throw new Error(`screen never matched; last screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      screen = this.screen();
    }
    return screen;
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

export function exitStatus(screen: string): number | null {
  const match = /EXIT:(\d+)/.exec(screen);
  return match ? Number(match[1]) : null;
}
