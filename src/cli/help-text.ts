// The --help text, one place for every mode and option.
import type { Command } from './parse-args.js';

const COMMON = `common options:
  --proc-root DIR   read DIR instead of /proc (a debug pod's /host/proc, or a fixture)
  --sys-root DIR    read DIR instead of /sys
  --kmsg FILE       read kernel log text from FILE ('-' for stdin) instead of /dev/kmsg
  --interval D      refresh period (default 1s); D like 500ms, 2s, 1m
  --order N         the allocation order to watch (default: highest recent failure, else 3)
  --pagetypeinfo-interval D   how often to read pagetypeinfo (default: every tick,
                    backing off to 10s when a read takes over 20 ms)
  --read-only       no remediation hotkeys
  --version, --help

live screen and guard:
  --audit-log PATH  where compact / drop-caches actions are logged as JSON lines
                    (default $XDG_STATE_HOME/fragtop/audit.log or ~/.local/state/fragtop/audit.log)`;

const USAGE = `usage:
  fragtop [options]                 live monitor on /proc, refreshed every second
  fragtop replay FILE [options]     the same screen over a recording
  fragtop record [--out FILE] [--duration D]   capture frames without a UI
  fragtop snapshot [--json] [--replay FILE [--at TIME]]   one frame as text or JSON, then exit
                                    TIME: -5m (from the end), +30s (from the start), 14:15:31, ISO date
  fragtop check --order N [--min-blocks K]     exit 0 ok, 1 problem, 2 unknown; one line on stdout
  fragtop guard --order N --min-blocks K [--action compact|drop-caches=1|2|3]
                [--cooldown D] [--dry-run]    headless watcher that remediates on a threshold
  fragtop metrics --listen ADDR | --textfile PATH   Prometheus exposition
  fragtop demo                      replays a bundled incident; works on any OS
  fragtop fleet --prometheus URL [--order N] [--selector '{job="…"}'] [--host-label instance]
                [--once [--json]]   every host's fragtop or node_exporter buddyinfo series, by risk;
                                    refreshed every 15s (--interval)`;

export function helpText(command: Command | null): string {
  const head =
    command === null
      ? 'fragtop: a top-like monitor for Linux memory fragmentation'
      : `fragtop ${command}: see the usage line below`;
  return `${head}\n\n${USAGE}\n\n${COMMON}\n\nIn the live screen press ? for the keys; c compacts and d drops caches after asking.\n`;
}
