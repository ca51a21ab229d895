// Human-sized numbers and fixed-width cells for the screen; pure so the text output can share them.

const BYTE_UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** 4096 -> "4K", 2097152 -> "2M", 311640*1024 -> "304M"; at most 4 significant characters plus a unit. */
export function humanBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : value >= 10 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, '')}${BYTE_UNITS[unit]}`;
}

/** Block size of an order: page size x 2^order, e.g. "4K" ... "4M", or "64K" ... "512M" with 64 KiB pages. */
export function blockLabel(pageSize: number, order: number): string {
  return humanBytes(pageSize * 2 ** order);
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
