// Runs the Ink screen for a store: alternate screen in, and back out on q, Ctrl-C, SIGTERM, SIGHUP and crashes.
import { render } from 'ink';
import { controllersWith, type Controllers } from '../controllers/controllers.js';
import type { FragtopStore } from '../store/create-store.js';
import { App } from '../ui/App.js';
import { FragtopProvider } from '../ui/StoreContext.js';
import { colorWanted, enterAlternateScreen } from './terminal.js';

export interface ScreenSessionOptions {
  store: FragtopStore;
  /** The screen's controllers; quit is the session's own. */
  controllers?: Partial<Omit<Controllers, 'quit'>>;
  /** Stops sampling or playing; called once, before the terminal is restored. */
  onStop: () => void | Promise<void>;
}

/** 128 + the signal number, as a shell reports a process killed by it. */
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Shows the screen until the user quits or a signal arrives; resolves with the exit code. */
export async function runScreenSession(options: ScreenSessionOptions): Promise<number> {
  const { stdout, stderr } = process;
  const terminal = enterAlternateScreen(stdout);
  let exitCode = 0;
  let finished = false;
  const handle: { ink?: ReturnType<typeof render> } = {};

  let stopping: void | Promise<void> = undefined;
  const finish = (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    exitCode = code;
    stopping = options.onStop();
    handle.ink?.unmount();
    terminal.restore();
    if (message) stderr.write(`${message}\n`);
  };
  const onSignal = (signal: NodeJS.Signals) => finish(EXIT_CODES[signal] ?? 1);
  const onCrash = (error: unknown) => {
    // Leave the alternate screen first, so the message stays visible.
    finish(1, `fragtop crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  handle.ink = render(
    <FragtopProvider
      store={options.store}
      controllers={controllersWith({ ...options.controllers, quit: () => finish(0) })}
      display={{ color: colorWanted(process.env) }}
    >
      <App />
    </FragtopProvider>,
    // Only changed lines are written (the build carries Ink 8's fix for the first line it left stale).
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30, incrementalRendering: true },
  );
  try {
    await handle.ink.waitUntilExit();
  } catch (error) {
    finish(1, `fragtop: ${(error as Error).message}`);
  }
  finish(exitCode);
  // A recording being written is closed before the process exits.
  await stopping;
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  process.off('SIGINT', onSignal);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  return exitCode;
}
