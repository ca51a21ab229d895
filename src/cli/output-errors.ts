// Turns write failures on stdout and stderr into an exit code: a closed pipe ends quietly, anything else says so.

/** What a shell reports for a process killed by SIGPIPE (128 + 13); Node ignores SIGPIPE, so fragtop says it. */
export const EXIT_CLOSED_PIPE = 141;

export interface OutputFailure {
  /** The exit code the program ends with. */
  exitCode: number;
  /** One line for stderr, or null when nothing should be said (a reader that went away is not an error). */
  message: string | null;
}

export interface OutputWatch {
  /** Aborted on the first stdout failure: long-running modes stop as on SIGTERM. */
  readonly signal: AbortSignal;
  /** The first stdout failure, if any. */
  failure(): OutputFailure | null;
  /** Waits until every write so far reached stdout (or failed), so a late failure is not missed at exit. */
  flush(): Promise<void>;
}

/** How a failed write to stdout ends the program. */
export function outputFailureOf(error: NodeJS.ErrnoException): OutputFailure {
  if (error.code === 'EPIPE') return { exitCode: EXIT_CLOSED_PIPE, message: null };
  const why = error.code === 'ENOSPC' ? 'no space left on device' : error.message;
  return { exitCode: 1, message: `fragtop: cannot write to standard output: ${why}` };
}

/**
 * Listens for write errors on both streams. A stdout failure is remembered and aborts `signal`; stderr
 * failures are ignored (there is nowhere left to report them, and they must not crash a recording).
 */
export function watchOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): OutputWatch {
  const controller = new AbortController();
  let first: OutputFailure | null = null;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (first !== null) return;
    first = outputFailureOf(error);
    controller.abort();
  });
  stderr.on('error', () => undefined);
  return {
    signal: controller.signal,
    failure: () => first,
    flush: () =>
      new Promise<void>((resolve) => {
        if (stdout.destroyed || first !== null) {
          resolve();
          return;
        }
        // The callback of an empty write runs after every earlier write has completed or failed; the 'error'
        // event of a failure comes on the next tick, so wait one turn of the loop more.
        stdout.write('', () => setImmediate(resolve));
      }),
  };
}
