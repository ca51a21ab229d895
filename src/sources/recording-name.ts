// The default file name of a recording: the host and the local start time, safe for any file system.

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `fragtop-<host>-<YYYYMMDD-HHMMSS>.ftr`, local time, in the current directory. */
export function defaultRecordingName(host: string | null, startMs: number): string {
  const d = new Date(startMs);
  const stamp =
    `${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}-` +
    `${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`;
  // A host name could hold a slash or a space; keep the file name plain.
  const safeHost = (host ?? 'unknown').replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  return `fragtop-${safeHost}-${stamp}.ftr`;
}
