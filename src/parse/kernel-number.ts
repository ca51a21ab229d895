// Numbers as a kernel prints them, refused when no kernel could print them (a damaged or crafted file).

/** Page and block counts: 2^48 pages is an exbibyte of 4 KiB pages, more than any machine has. */
export const MAX_PAGE_COUNT = 2 ** 48;
/** Event counters (vmstat, per-zone stats) are unsigned 64-bit. */
export const MAX_COUNTER = 2 ** 64;

/** A decimal count within `max`; null for anything else (a sign, a fraction, an exponent, too many digits). */
export function kernelCount(text: string, max = MAX_PAGE_COUNT): number | null {
  if (!/^\d{1,20}$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}
