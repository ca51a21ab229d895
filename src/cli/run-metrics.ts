// `fragtop metrics --listen ADDR | --textfile PATH`: Prometheus exposition, refreshed every --interval.
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { prometheusText } from '../export/prometheus.js';
import { ProcSource } from '../sources/proc-source.js';
import { startSampler } from '../sources/sampler.js';
import { createTextfileWriter } from '../sources/textfile-writer.js';
import type { RawFrame } from '../model/raw-frame.js';
import { createFragtopStore, type FragtopStore } from '../store/create-store.js';
import { selectDiagnosis } from '../store/select-diagnosis.js';
import { kernelLogFor, kernelLogStateOf } from './kernel-log-for.js';
import type { KernelLogState } from '../model/kernel-log-state.js';
import type { Options } from './parse-args.js';

export interface MetricsIo {
  stderr: NodeJS.WritableStream;
  signal?: AbortSignal;
  /** Called once the server listens or the first file is written (tests wait for it). */
  onReady?: (where: string) => void;
}

/** `:9101`, `9101`, `127.0.0.1:9101`, `[::1]:9101` → host and port; null when it is none of these. */
export function parseListenAddress(text: string): { host: string | undefined; port: number } | null {
  const input = text.trim();
  const match = /^\d{1,5}$/.test(input)
    ? [input, undefined, undefined, input]
    : /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(input);
  if (!match) return null;
  const port = Number(match[3]);
  if (port > 65535) return null;
  return { host: match[1] ?? (match[2] || undefined), port };
}

declare const FRAGTOP_VERSION: string;

async function exposition(store: FragtopStore, kernelLog: () => KernelLogState): Promise<string | null> {
  const state = store.getState();
  const { latest, failureLog } = state.sample;
  if (!latest) return null;
  return prometheusText({
    snapshot: latest,
    diagnosis: selectDiagnosis(state),
    failures: failureLog.failures,
    suppressedFailures: failureLog.suppressed,
    failuresDropped: failureLog.droppedFailures,
    kernelLogRead: kernelLog().state === 'not-requested' ? null : kernelLog().state === 'read',
    version: typeof FRAGTOP_VERSION === 'string' ? FRAGTOP_VERSION : 'dev',
  });
}

export async function runMetrics(options: Options, io: MetricsIo): Promise<number> {
  const listen = options.listen === null ? null : parseListenAddress(options.listen);
  if (options.listen !== null && !listen) {
    io.stderr.write(`fragtop metrics: --listen expects :PORT or HOST:PORT, got "${options.listen}"\n`);
    return 2;
  }
  const store = createFragtopStore({ order: options.order, intervalMs: options.intervalMs });
  // pagetypeinfo is not exported; do not take the zone lock for it on every scrape interval.
  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs ?? 3_600_000,
  });
  const { log, state } = await kernelLogFor(options);
  store.getState().actions.setLogTimeReference(log?.status.mtimeMs ?? null);
  const logState = () => kernelLogStateOf(log, state);
  let failed: string | null = null;
  let first = true;

  // The textfile collector may read at any moment: each write goes beside the file, then is renamed over it.
  const textfile = options.textfile === null ? null : createTextfileWriter(options.textfile);
  const writeTextfile = async () => {
    const text = await exposition(store, logState);
    if (text !== null && textfile !== null) await textfile.write(text);
  };

  let server: Server | null = null;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted) stop();
  });

  const ingest = (frame: RawFrame) => store.getState().actions.ingest(frame);
  // With only a server to feed, a frame is read when a scrape asks and the last one is older than the interval:
  // Prometheus every 15 s then costs one read per scrape instead of fifteen.
  const sampler = options.textfile
    ? startSampler({
        source,
        log,
        intervalMs: options.intervalMs,
        onFrame: (frame) => {
          ingest(frame);
          writeTextfile().then(
            () => {
              if (first) io.onReady?.(options.textfile!);
              first = false;
              failed = null;
            },
            (error: Error) => {
              failed = `cannot write ${options.textfile}: ${error.message}`;
              io.stderr.write(`fragtop metrics: ${failed}\n`);
            },
          );
        },
        onError: (error) =>
          io.stderr.write(`fragtop metrics: sampling failed: ${(error as Error).message}\n`),
      })
    : null;
  let reading: Promise<void> | null = null;
  const fresh = (): Promise<void> => {
    if (sampler) return Promise.resolve();
    const latest = store.getState().sample.latest;
    if (latest && Date.now() - latest.timeMs < options.intervalMs) return Promise.resolve();
    reading ??= source
      .read()
      .then((frame) => {
        const lines = log?.drain() ?? [];
        ingest(lines.length ? { ...frame, kmsg: lines } : frame);
      })
      .catch((error: Error) => {
        io.stderr.write(`fragtop metrics: sampling failed: ${error.message}\n`);
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };

  if (listen) {
    // The process metrics (CPU, memory, start time) describe the server a scrape reaches, so only --listen has them.
    const processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    // prom-client names these gauges with a counter's `_total` suffix; promtool rejects them.
    for (const name of ['handles', 'requests', 'resources'])
      processRegistry.removeSingleMetric(`nodejs_active_${name}_total`);
    server = createServer((request, response) => {
      if (request.url !== '/metrics' && request.url !== '/') {
        response.writeHead(404).end('fragtop serves /metrics\n');
        return;
      }
      fresh()
        .then(() => Promise.all([exposition(store, logState), processRegistry.metrics()]))
        .then(
          ([frame, processText]) => {
            const text = frame === null ? null : frame + processText;
            if (text === null) response.writeHead(503).end('no frame read yet\n');
            else
              response
                .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
                .end(text);
          },
          (error: Error) => response.writeHead(500).end(`${error.message}\n`),
        );
    });
    const listening = await new Promise<string | null>((resolve) => {
      server!.once('error', (error: NodeJS.ErrnoException) =>
        resolve(`cannot listen on ${options.listen}: ${error.code ?? error.message}`),
      );
      server!.listen(listen.port, listen.host, () => resolve(null));
    });
    if (listening) {
      sampler?.stop();
      log?.close();
      await textfile?.close();
      io.stderr.write(`fragtop metrics: ${listening}\n`);
      return 1;
    }
    const address = server.address();
    io.onReady?.(
      typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address),
    );
  }

  await stopped;
  sampler?.stop();
  log?.close();
  // A write in progress finishes and its temporary file is gone before the process ends.
  await textfile?.close();
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    // close() waits for every open connection; a scraper's idle keep-alive socket would hold the exit for ever.
    server.closeIdleConnections();
    // A request still being answered gets a moment, then its socket goes too.
    setTimeout(() => server?.closeAllConnections(), 1000).unref();
  });
  return failed ? 1 : 0;
}
