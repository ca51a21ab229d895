// The Prometheus HTTP API client (instant and range queries): loopback or remote, bounded in time and size; I/O only.

import type { QueryResult } from '../model/fleet-frame.js';

export interface PrometheusSourceOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  baseUrl: string;
  /** Per query; an answer that takes longer is abandoned. */
  timeoutMs?: number;
  /** Largest body read; a larger answer is cut off and reported, not parsed. */
  maxBytes?: number;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
/** 64 MiB: 500 hosts × 4 zones × 11 orders of series is about 4 MiB of JSON. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface RangeWindow {
  startSec: number;
  endSec: number;
  stepSec: number;
}

/** A URL a user typed is checked once, so every later failure is about the server, not the flag. */
export function checkPrometheusUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--prometheus expects a URL like http://prometheus:9090, got "${text.slice(0, 100)}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `--prometheus expects an http or https URL, got "${url.protocol}"`;
  return null;
}

export class PrometheusSource {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(options: PrometheusSourceOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  }

  /** An instant query at `timeSec` (the server's now when omitted). */
  instant(expr: string, timeSec?: number): Promise<QueryResult> {
    const params = new URLSearchParams({ query: expr });
    if (timeSec !== undefined) params.set('time', String(timeSec));
    return this.post('/api/v1/query', params);
  }

  range(expr: string, window: RangeWindow): Promise<QueryResult> {
    const params = new URLSearchParams({
      query: expr,
      start: String(window.startSec),
      end: String(window.endSec),
      step: String(window.stepSec),
    });
    return this.post('/api/v1/query_range', params);
  }

  /** The values `label` takes in the series `match` selects within the window (label names are checked by the caller). */
  labelValues(label: string, match: string, window: Omit<RangeWindow, 'stepSec'>): Promise<QueryResult> {
    const params = new URLSearchParams({
      'match[]': match,
      start: String(window.startSec),
      end: String(window.endSec),
    });
    return this.request(`/api/v1/label/${encodeURIComponent(label)}/values`, params, 'GET');
  }

  private post(path: string, params: URLSearchParams): Promise<QueryResult> {
    return this.request(path, params, 'POST');
  }

  // POST keeps long generated expressions out of URL length limits; label values (short) are asked with GET.
  private async request(path: string, params: URLSearchParams, method: 'GET' | 'POST'): Promise<QueryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let response: Response;
    try {
      response =
        method === 'POST'
          ? await fetch(`${this.base}${path}`, {
              method,
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: params.toString(),
              signal: AbortSignal.timeout(this.timeoutMs),
            })
          : await fetch(`${this.base}${path}?${params.toString()}`, {
              signal: AbortSignal.timeout(this.timeoutMs),
            });
    } catch (error) {
      return failure(error, this.timeoutMs, elapsed());
    }
    let text: string;
    try {
      const read = await readBounded(response, this.maxBytes);
      if (read === null)
        return {
          ok: false,
          kind: 'too-large',
          error: `answer larger than ${this.maxBytes} bytes`,
          ms: elapsed(),
        };
      text = read;
    } catch (error) {
      return failure(error, this.timeoutMs, elapsed());
    }
    // Prometheus answers 400/422/503 with a JSON error body worth showing; other codes are the proxy's.
    if (!response.ok && !text.trimStart().startsWith('{'))
      return {
        ok: false,
        kind: 'http',
        error: `HTTP ${response.status} ${response.statusText}`.trim(),
        ms: elapsed(),
        body: text.slice(0, 200),
      };
    return {
      ok: true,
      body: text,
      bytes: Buffer.byteLength(text),
      ms: elapsed(),
      httpStatus: response.status,
    };
  }
}

function failure(error: unknown, timeoutMs: number, ms: number): QueryResult {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return { ok: false, kind: 'timeout', error: `no answer within ${timeoutMs} ms`, ms };
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  return { ok: false, kind: 'unreachable', error: String(cause), ms };
}

/** The body as text, or null once it passes `maxBytes` (the rest is not read). */
async function readBounded(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
