// Runs the Ink screen for a store: alternate screen in, and back out on q, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT, a lost
// terminal and crashes; Ctrl-Z and SIGTSTP hand the terminal back to the shell until SIGCONT, as top does.
import type { ReactElement } from 'react';
import { render, useInput, useStdout } from 'ink';
import { useEffect } from 'react';
import { controllersWith, type Controllers } from '../controllers/controllers.js';
import type { FragtopStore } from '../store/create-store.js';
import { App } from '../ui/App.js';
import { FragtopProvider } from '../ui/StoreContext.js';
import { asciiOnly, enterAlternateScreen } from './terminal.js';

export interface ScreenSessionOptions {
  store?: FragtopStore;
  /** Another screen than the monitor's (the fleet), given the session's quit. */
  screen?: (quit: () => void) => ReactElement;
  /** The screen's controllers; quit is the session's own. */
  controllers?: Partial<Omit<Controllers, 'quit'>>;
  /** Colour, and ASCII instead of UTF-8 glyphs. */
  display: { color: boolean; ascii: boolean };
  /** Quit after this many frames (-n); null for no limit. */
  frameLimit?: number | null;
  /** Stops sampling or playing; called once, before the terminal is restored. */
  onStop: () => void | Promise<void>;
}

/** 128 + the signal number, as a shell reports a process killed by it. */
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGQUIT: 131,
  SIGTERM: 143,
};
const STOP_SIGNALS = Object.keys(EXIT_CODES) as NodeJS.Signals[];
/** After a signal or a lost terminal the process ends within this, even if stopping hangs. */
const SIGNAL_EXIT_DEADLINE_MS = 3000;

/** Inside the tree: Ctrl-Z (a key in raw mode, not a signal) and Ink's own writer, which redraws the last frame. */
function SessionHooks(props: {
  onSuspendKey: () => void;
  onWriter: (write: (data: string) => void) => void;
}) {
  const { write } = useStdout();
  useEffect(() => props.onWriter(write), [write]);
  useInput((input, key) => {
    if (key.ctrl && input === 'z') props.onSuspendKey();
  });
  return null;
}

/** Shows the screen until the user quits or a signal arrives; resolves with the exit code. */
export async function runScreenSession(options: ScreenSessionOptions): Promise<number> {
  const { stdout, stderr, stdin } = process;
  const undoAscii = options.display.ascii ? asciiOnly(stdout) : () => {};
  const terminal = enterAlternateScreen(stdout);
  let exitCode = 0;
  let finished = false;
  const handle: { ink?: ReturnType<typeof render>; write?: (data: string) => void } = {};

  let stopping: void | Promise<void> = undefined;
  const finish = (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    exitCode = code;
    stopping = options.onStop();
    handle.ink?.unmount();
    terminal.restore();
    undoAscii();
    if (message) stderr.write(`${message}\n`);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const code = EXIT_CODES[signal] ?? 1;
    finish(code);
    // A recording is closed on the way out, but nothing may keep a process whose terminal is gone alive.
    setTimeout(() => process.exit(code), SIGNAL_EXIT_DEADLINE_MS);
  };
  const onTerminalLost = () => onSignal('SIGHUP');
  const onCrash = (error: unknown) => {
    // Leave the alternate screen first, so the message stays visible.
    finish(1, `fragtop crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  const suspend = () => {
    if (finished) return;
    terminal.suspend();
    // What the terminal driver does for Ctrl-Z outside raw mode: stop this process; the shell takes over.
    process.kill(process.pid, 'SIGSTOP');
  };
  const resume = () => {
    if (finished) return;
    terminal.resume();
    // Ink's writer clears what it drew and draws its last frame again, on the fresh alternate screen.
    handle.write?.('');
  };
  // Every handler the session adds, so that the same list is taken off at the end.
  type Handler = Parameters<NodeJS.EventEmitter['on']>[1];
  const listeners: [NodeJS.EventEmitter, string, Handler][] = [
    ...STOP_SIGNALS.map((signal): [NodeJS.EventEmitter, string, Handler] => [process, signal, onSignal]),
    [process, 'SIGTSTP', suspend],
    [process, 'SIGCONT', resume],
    [stdin, 'end', onTerminalLost],
    [stdin, 'error', onTerminalLost],
    [stdout, 'error', onTerminalLost],
    [process, 'uncaughtException', onCrash],
    [process, 'unhandledRejection', onCrash],
  ];
  for (const [emitter, event, handler] of listeners) emitter.on(event, handler);

  // -n N: quit once the Nth frame has been drawn (Ink draws at most every 33 ms).
  const limit = options.frameLimit ?? null;
  const store = options.store;
  const unsubscribe =
    limit === null || !store
      ? () => {}
      : store.subscribe((state) => {
          if (state.sample.ticks >= limit) setTimeout(() => finish(0), 100);
        });

  const quit = () => finish(0);
  handle.ink = render(
    options.screen ? (
      <>
        <SessionHooks onSuspendKey={suspend} onWriter={(write) => (handle.write = write)} />
        {options.screen(quit)}
      </>
    ) : (
      <FragtopProvider
        store={store!}
        controllers={controllersWith({ ...options.controllers, quit })}
        display={{ color: options.display.color }}
      >
        <SessionHooks onSuspendKey={suspend} onWriter={(write) => (handle.write = write)} />
        <App />
      </FragtopProvider>
    ),
    // Only changed lines are written (the build carries Ink 8's fix for the first line it left stale).
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30, incrementalRendering: true },
  );
  try {
    await handle.ink.waitUntilExit();
  } catch (error) {
    finish(1, `fragtop: ${(error as Error).message}`);
  }
  finish(exitCode);
  unsubscribe();
  // A recording being written is closed before the process exits.
  await stopping;
  for (const [emitter, event, handler] of listeners) emitter.off(event, handler);
  return exitCode;
}
