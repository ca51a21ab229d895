// What one fleet refresh brings back from Prometheus: each query's answer as it arrived, or why there is none.

/** One HTTP answer; src/parse/prometheus-answer reads the body. */
export type QueryResult =
  | { ok: true; body: string; bytes: number; ms: number; httpStatus: number }
  | {
      ok: false;
      error: string;
      kind: 'unreachable' | 'timeout' | 'too-large' | 'http';
      ms: number;
      body?: string;
    };

export interface FleetRawAnswer {
  /** The query's name in src/analyze/fleet-queries (kept as text here: the model knows no query list). */
  name: string;
  kind: 'instant' | 'range' | 'labels';
  expr: string;
  result: QueryResult;
}

export interface FleetRawFrame {
  /** When the refresh started (ms). */
  timeMs: number;
  /** The order the queries were built for. */
  order: number;
  hostLabel: string;
  /** The host whose every order was asked for (the open one); null when none is open. */
  openHost?: string | null;
  answers: FleetRawAnswer[];
}
