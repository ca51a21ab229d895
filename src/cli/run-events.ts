// `fragtop events [--duration D] [--json]`: trace who fragments for a while in a private tracing instance, then print.
import { DEFAULT_MIGRATE_TYPES } from '../analyze/trace-tally.js';
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { traceTallyLines } from '../render/trace-tally-lines.js';
import { ProcSource } from '../sources/proc-source.js';
import { TraceTallySource } from '../sources/trace-tally-source.js';
import type { Options } from './parse-args.js';

export const EVENTS_DEFAULT_DURATION_MS = 10_000;
const POLL_MS = 500;

export async function runEvents(
  options: Options,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const frame = await new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null }).read();
  const types = buildSnapshot(frame).parsed.pageTypes?.migrateTypes;
  const migrateTypes = types?.length ? types : DEFAULT_MIGRATE_TYPES;
  const tracer = new TraceTallySource();
  tracer.start();
  const started = tracer.current();
  if (!started || !started.ok) {
    io.stderr.write(
      `fragtop: tracing unavailable: ${started && !started.ok ? started.message : 'unknown'}\n`,
    );
    return 1;
  }
  let stop: () => void = () => {};
  const done = new Promise<void>((resolve) => (stop = resolve));
  // Tracing is restored on Ctrl-C, SIGTERM and SIGHUP as on the end of the duration.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => stop();
  for (const signal of signals) process.on(signal, onSignal);
  const timer = setTimeout(stop, options.durationMs ?? EVENTS_DEFAULT_DURATION_MS);
  const poller = setInterval(() => tracer.poll(migrateTypes), POLL_MS);
  if (!options.json)
    io.stderr.write(
      `tracing for ${(options.durationMs ?? EVENTS_DEFAULT_DURATION_MS) / 1000} s (Ctrl-C ends early)…\n`,
    );
  try {
    await done;
  } finally {
    clearTimeout(timer);
    clearInterval(poller);
    tracer.poll(migrateTypes);
    tracer.stop();
    for (const signal of signals) process.off(signal, onSignal);
  }
  const read = tracer.current();
  io.stdout.write(
    options.json
      ? `${JSON.stringify({ schema: 1, events: read && read.ok ? { ...read.tallies, note: read.note } : null }, null, 2)}\n`
      : `${traceTallyLines(read, 'no events read').join('\n')}\n`,
  );
  return 0;
}
