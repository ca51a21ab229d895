// Human-sized numbers and fixed-width cells for the screen; pure so the text output can share them.

const BYTE_UNITS = ['B', 'K', 'M', 'G', 'T', 'P'] as const;

export interface ByteFormat {
  /** `4K` (the screen's) or `4 KiB` (sentences). */
  units?: 'short' | 'iec';
  /**
   * Decimals from K up: `auto` one below 10 without a trailing `.0` (1.5K, 2K, 15K); `one-below-10` keeps it
   * (1.0K, 15K); `one` always (15.0 KiB).
   */
  decimals?: 'auto' | 'one-below-10' | 'one';
  /** The largest unit used (a progress line in MiB). */
  maxUnit?: (typeof BYTE_UNITS)[number];
}

/** The one byte formatter: 4096 -> "4K", 311640*1024 -> "304M", -1G -> "-1G"; see ByteFormat for the variants. */
export function formatBytes(bytes: number, format: ByteFormat = {}): string {
  const { units = 'short', decimals = 'auto', maxUnit = 'P' } = format;
  const last = BYTE_UNITS.indexOf(maxUnit);
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < last) {
    value /= 1024;
    unit += 1;
  }
  let shown: string;
  if (unit === 0) shown = String(Math.round(value));
  else if (decimals === 'one' || value < 10) shown = value.toFixed(1);
  else shown = String(Math.round(value));
  if (decimals === 'auto') shown = shown.replace(/\.0$/, '');
  const name = BYTE_UNITS[unit]!;
  const suffix = units === 'short' ? name : name === 'B' ? ' B' : ` ${name}iB`;
  return `${bytes < 0 && shown !== '0' ? '-' : ''}${shown}${suffix}`;
}

/** Bytes on the screen, `-` when unknown: 4096 -> "4K", 2097152 -> "2M", 311640*1024 -> "304M". */
export function humanBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  return formatBytes(bytes);
}

/** Block size of an order: page size x 2^order, e.g. "4K" ... "4M", or "64K" ... "512M" with 64 KiB pages. */
export function blockLabel(pageSizeBytes: number, order: number): string {
  return humanBytes(pageSizeBytes * 2 ** order);
}

/**
 * Counts that fit in `width` columns: 123456 -> "123K", 70512 in 3 columns -> "71K". When no form fits, the
 * shortest true one is returned (a wider cell beats a wrong number).
 */
export function humanCount(count: number, width = 6): string {
  const plain = String(count);
  if (plain.length <= width) return plain;
  const units = ['K', 'M', 'G', 'T'];
  const forms: string[] = [];
  let value = count;
  for (const unit of units) {
    value /= 1000;
    // A unit where the value rounds below 1 would read "0M": never use it (999600 may read "1M").
    if (value < 0.95) break;
    // Larger units first: "1.7M" reads faster than "1705K".
    forms.unshift(`${value.toFixed(1).replace(/\.0$/, '')}${unit}`, `${Math.round(value)}${unit}`);
  }
  const fitting = forms.find((form) => form.length <= width);
  return fitting ?? forms.reduce((best, form) => (form.length < best.length ? form : best), plain);
}

export function padLeft(text: string, width: number): string {
  if (text.length > width) return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
  return text.padStart(width);
}

export function padRight(text: string, width: number): string {
  if (text.length > width) return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
  return text.padEnd(width);
}

export function percent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '-';
  return `${(fraction * 100).toFixed(fraction >= 0.1 || fraction === 0 ? 0 : 1)}%`;
}

const BAR_LEVELS = ' ▁▂▃▄▅▆▇█';

/** One character for a share between 0 and 1; any non-zero share shows at least the lowest bar. */
export function shareBar(share: number): string {
  if (!(share > 0)) return ' ';
  const level = Math.min(8, Math.max(1, Math.round(share * 8)));
  return BAR_LEVELS[level] ?? ' ';
}

/** Local wall-clock time, HH:MM:SS. */
export function clockTime(timeMs: number): string {
  return new Date(timeMs).toTimeString().slice(0, 8);
}

export function durationLabel(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  return `${+(ms / 60_000).toFixed(1)}m`;
}
