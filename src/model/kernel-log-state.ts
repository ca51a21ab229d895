// Whether the kernel log could be read: "none found" and "not read" are different answers and every output says which.

/**
 * `read`: the log was read (it may hold no report); `unreadable`: it could not be read (no permission, no such
 * file, journalctl shows nothing), so failures are unknown; `not-requested`: this run has no kernel log to read
 * (`--proc-root` of another machine without `--kmsg FILE`).
 */
export type KernelLogReadState = 'read' | 'unreadable' | 'not-requested';

export interface KernelLogState {
  state: KernelLogReadState;
  /** Where the log comes from: `/dev/kmsg`, `journalctl -k`, a file name, `stdin`; null when none. */
  source: string | null;
  /** Why it could not be read, or what to know about it (lines dropped, only the file's tail read). */
  reason: string | null;
}
