// The live monitor without a screen, like top -b: a text frame (or a JSON line) every interval on stdout,
// until -n frames, SIGTERM or a closed pipe. Chosen by -b, or when stdout is not a terminal or TERM=dumb.
import { ProcSource } from '../sources/proc-source.js';
import { createFragtopStore } from '../store/create-store.js';
import { formatFrame, frameInput, nothingReadable, type ExtraProblem } from './frame-output.js';
import { kernelLogFor, kernelLogStateOf } from './kernel-log-for.js';
import type { Options } from './option-table.js';

export interface BatchIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Writes and waits for the stream to take it; false when the reader went away (EPIPE) or it failed. */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<boolean> {
  return new Promise((resolve) => stream.write(text, (error) => resolve(!error)));
}

export async function runBatch(options: Options, io: BatchIo, ascii: boolean): Promise<number> {
  const store = createFragtopStore({ mode: 'live', intervalMs: options.intervalMs, order: options.order });
  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs,
  });
  const { log, note, state } = await kernelLogFor(options);
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A reader that goes away (| head) is the normal end of batch output, not a crash: the failed write says so.
  const ignore = () => {};
  io.stdout.on('error', ignore);
  let exitCode = 0;
  try {
    for (let frame = 1; !stopping; frame++) {
      const started = Date.now();
      store.getState().actions.ingest({ ...(await source.read()), kmsg: log?.drain() ?? [] });
      const status = source.status();
      const extra: ExtraProblem[] = [
        ...(note ? [{ source: 'kmsg', message: note }] : []),
        ...(status.pageSizeNote ? [{ source: 'page size', message: status.pageSizeNote }] : []),
      ];
      const input = frameInput(store, extra, options.slabSort, kernelLogStateOf(log, state))!;
      const text = formatFrame(input, options.json ? 'ndjson' : 'text', ascii);
      // Frames are told apart by a blank line, as top -b does; JSON lines need none.
      if (!(await writeAll(io.stdout, frame > 1 && !options.json ? `\n${text}` : text))) break;
      if (nothingReadable(input)) exitCode = 1;
      if (options.frames !== null && frame >= options.frames) break;
      const delay = Math.max(0, options.intervalMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      wake = null;
    }
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    io.stdout.off('error', ignore);
    log?.close();
  }
  return exitCode;
}
