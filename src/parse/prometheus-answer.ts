// Reads Prometheus HTTP API answers (instant vectors, range matrices, label values, errors); never throws.
import type { Parsed, Problem } from './types.js';

export type SeriesLabels = Record<string, string>;

export interface VectorSample {
  labels: SeriesLabels;
  value: number;
}

export interface MatrixSeries {
  labels: SeriesLabels;
  /** [seconds, value], oldest first. */
  points: [number, number][];
}

/** What an answer holds: samples, or the server's own error (bad query, timeout, overload). */
export type Answer<T> = { ok: true; data: T; warnings: string[] } | { ok: false; error: string };

/** Longest label value kept: host names and zone names are short; anything longer is cut and says so. */
export const MAX_LABEL_CHARS = 200;

// C0 and C1 controls and DEL: a label value must never move the cursor or colour the screen.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A label value safe to print: control characters become `?`, long values are cut with `…`. */
export function cleanLabel(value: string): string {
  const clean = value.replace(CONTROL, '?');
  return clean.length > MAX_LABEL_CHARS ? `${clean.slice(0, MAX_LABEL_CHARS - 1)}…` : clean;
}

function labelsOf(metric: unknown): SeriesLabels {
  const labels: SeriesLabels = {};
  if (metric && typeof metric === 'object')
    for (const [name, value] of Object.entries(metric as Record<string, unknown>))
      if (typeof value === 'string') labels[cleanLabel(name)] = cleanLabel(value);
  return labels;
}

/** Prometheus writes sample values as strings, "NaN" and "+Inf" included. */
function valueOf(raw: unknown): number | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const value = Number(raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw);
  return Number.isNaN(value) && raw !== 'NaN' ? null : value;
}

function pointOf(raw: unknown): [number, number] | null {
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const time = typeof raw[0] === 'number' ? raw[0] : Number.NaN;
  const value = valueOf(raw[1]);
  return Number.isFinite(time) && value !== null ? [time, value] : null;
}

interface Envelope {
  result: unknown[];
  warnings: string[];
}

/** The answer's top object, or why there is none: not JSON, or Prometheus' own error. */
function topOf(body: string): { ok: true; top: Record<string, unknown> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: `not JSON: ${cleanLabel(body.slice(0, 80))}` };
  }
  const top = (json ?? {}) as Record<string, unknown>;
  if (top['status'] === 'error') {
    const type = typeof top['errorType'] === 'string' ? `${top['errorType']}: ` : '';
    const error = typeof top['error'] === 'string' ? top['error'] : 'no message';
    return { ok: false, error: cleanLabel(`${type}${error}`) };
  }
  return { ok: true, top };
}

function envelope(body: string, want: 'vector' | 'matrix'): Parsed<Answer<Envelope>> {
  const answer = topOf(body);
  if (!answer.ok) return { value: answer, problems: [] };
  const { top } = answer;
  const data = (top['data'] ?? {}) as Record<string, unknown>;
  if (top['status'] !== 'success' || data['resultType'] !== want || !Array.isArray(data['result']))
    return {
      value: { ok: false, error: `expected a ${want} answer, got ${cleanLabel(String(data['resultType']))}` },
      problems: [],
    };
  const warnings = Array.isArray(top['warnings'])
    ? top['warnings'].filter((w): w is string => typeof w === 'string').map(cleanLabel)
    : [];
  return { value: { ok: true, data: { result: data['result'], warnings }, warnings }, problems: [] };
}

/** An instant query's answer: one sample per series; odd entries are skipped and reported. */
export function parseVectorAnswer(body: string, file = 'query'): Parsed<Answer<VectorSample[]>> {
  const head = envelope(body, 'vector');
  if (!head.value.ok) return { value: head.value, problems: [] };
  const problems: Problem[] = [];
  const samples: VectorSample[] = [];
  head.value.data.result.forEach((entry, i) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    const point = pointOf(item['value']);
    if (!point) {
      problems.push({ file, line: i + 1, message: 'series without a [time, value] sample' });
      return;
    }
    samples.push({ labels: labelsOf(item['metric']), value: point[1] });
  });
  return { value: { ok: true, data: samples, warnings: head.value.warnings }, problems };
}

/** A range query's answer: the points of each series; odd points are skipped and reported. */
export function parseMatrixAnswer(body: string, file = 'query_range'): Parsed<Answer<MatrixSeries[]>> {
  const head = envelope(body, 'matrix');
  if (!head.value.ok) return { value: head.value, problems: [] };
  const problems: Problem[] = [];
  const series: MatrixSeries[] = [];
  head.value.data.result.forEach((entry, i) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    const raw = Array.isArray(item['values']) ? item['values'] : [];
    const points: [number, number][] = [];
    for (const value of raw) {
      const point = pointOf(value);
      if (point) points.push(point);
    }
    if (points.length < raw.length)
      problems.push({ file, line: i + 1, message: `${raw.length - points.length} odd points skipped` });
    series.push({ labels: labelsOf(item['metric']), points });
  });
  return { value: { ok: true, data: series, warnings: head.value.warnings }, problems };
}

/** Most label values kept from one answer: the fleet asks for orders (a dozen), never for host names. */
export const MAX_LABEL_VALUES = 1000;

/** A label-values answer (`/api/v1/label/NAME/values`): the values, cleaned and bounded in number. */
export function parseLabelValuesAnswer(body: string): Parsed<Answer<string[]>> {
  const answer = topOf(body);
  if (!answer.ok) return { value: answer, problems: [] };
  const { top } = answer;
  if (top['status'] !== 'success' || !Array.isArray(top['data']))
    return { value: { ok: false, error: 'expected a list of label values' }, problems: [] };
  const values = top['data']
    .filter((v): v is string => typeof v === 'string')
    .slice(0, MAX_LABEL_VALUES)
    .map(cleanLabel);
  const warnings = Array.isArray(top['warnings'])
    ? top['warnings'].filter((w): w is string => typeof w === 'string').map(cleanLabel)
    : [];
  return { value: { ok: true, data: values, warnings }, problems: [] };
}
