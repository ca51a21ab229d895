// The interactive monitor: sampler -> store -> Ink screen, in the alternate screen, restored on every exit path.
import { render } from 'ink';
import { ProcSource } from '../sources/proc-source.js';
import { startSampler } from '../sources/sampler.js';
import { createFragtopStore } from '../store/create-store.js';
import { App } from '../ui/App.js';
import { FragtopProvider } from '../ui/StoreContext.js';
import type { Options } from './parse-args.js';
import { kernelLogFor } from './kernel-log-for.js';
import { enterAlternateScreen } from './terminal.js';

export const NO_TERMINAL_MESSAGE =
  'fragtop: the live screen needs a terminal on stdin and stdout; use "fragtop snapshot" (or "fragtop snapshot --json") for one frame';

export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  return env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
}

export async function runLive(options: Options): Promise<number> {
  const { stdin, stdout, stderr } = process;
  if (!stdin.isTTY || !stdout.isTTY) {
    stderr.write(`${NO_TERMINAL_MESSAGE}\n`);
    return 1;
  }
  const store = createFragtopStore({
    mode: 'live',
    intervalMs: options.intervalMs,
    readOnly: options.readOnly,
    order: options.order,
  });
  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs,
  });
  const { log, note } = await kernelLogFor(options);
  store.getState().actions.setNotes({ kernelLog: note });

  const terminal = enterAlternateScreen(stdout);
  let exitCode = 0;
  let finished = false;
  // eslint-disable-next-line prefer-const
  let ink: ReturnType<typeof render>;
  const sampler = startSampler({
    source,
    log,
    intervalMs: options.intervalMs,
    onFrame: (frame) => {
      const { actions } = store.getState();
      actions.ingest(frame);
      const status = source.status();
      actions.setNotes({ pagetypeinfo: status.pagetypeinfoNote, pageSize: status.pageSizeNote });
    },
    onError: (error) => store.getState().actions.setFlash(`sampling failed: ${(error as Error).message}`),
  });

  const finish = (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    exitCode = code;
    sampler.stop();
    log?.close();
    ink?.unmount();
    terminal.restore();
    if (message) stderr.write(`${message}\n`);
  };
  const onSignal = (signal: NodeJS.Signals) => finish(signal === 'SIGHUP' ? 129 : 143);
  const onCrash = (error: unknown) => {
    finish(1, `fragtop crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  ink = render(
    <FragtopProvider store={store} display={{ color: colorWanted(process.env) }}>
      <App onQuit={() => finish(0)} />
    </FragtopProvider>,
    { exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 30 },
  );
  try {
    await ink.waitUntilExit();
  } catch (error) {
    finish(1, `fragtop: ${(error as Error).message}`);
  }
  finish(exitCode);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  return exitCode;
}
