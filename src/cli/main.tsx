// Entry point: parse the command line, run the chosen mode, and turn user mistakes into one line and exit 2.
import './v8-footprint.js';
import { existsSync, statSync } from 'node:fs';
import { helpText } from './help-text.js';
import { parseArgs, type Options } from './parse-args.js';

declare const FRAGTOP_VERSION: string;

/** A proc root that is not a directory is a typo, not a machine with every file missing. */
function checkRoots(options: Options): string | null {
  for (const [flag, dir] of [
    ['--proc-root', options.procRoot],
    ['--sys-root', options.sysRoot],
  ] as const) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return `${flag} ${dir}: no such directory`;
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'error':
      process.stderr.write(`fragtop: ${parsed.message}\n`);
      return 2;
    case 'help':
      process.stdout.write(helpText(parsed.command));
      return 0;
    case 'version':
      process.stdout.write(`fragtop ${typeof FRAGTOP_VERSION === 'string' ? FRAGTOP_VERSION : 'dev'}\n`);
      return 0;
    case 'run':
      break;
  }
  const { command, options, file } = parsed;
  const usesRoots = command !== 'replay' && command !== 'demo' && options.replay === null;
  const rootError = usesRoots ? checkRoots(options) : null;
  if (rootError) {
    process.stderr.write(`fragtop: ${rootError}\n`);
    return 2;
  }
  if (options.kmsg === '-' && (command === 'live' || command === 'replay' || command === 'demo')) {
    // The screen reads its keys from stdin: it cannot also be the kernel log.
    process.stderr.write(
      'fragtop: --kmsg - reads stdin, which the screen needs for keys; give a file, or use fragtop snapshot\n',
    );
    return 2;
  }
  const io = { stdout: process.stdout, stderr: process.stderr };
  // Each mode loads only what it needs: snapshot, record and guard start without Ink and React.
  switch (command) {
    case 'live':
      return (await import('./run-live.js')).runLive(options);
    case 'snapshot':
      return (await import('./run-snapshot.js')).runSnapshot(options, process.stdout);
    case 'replay':
      return (await import('./run-replay.js')).runReplay(options, file ?? '', 'replay');
    case 'demo': {
      const { demoRecordingPath, runReplay } = await import('./run-replay.js');
      return runReplay(options, demoRecordingPath(), 'demo');
    }
    case 'check':
      return (await import('./run-check.js')).runCheck(options, process.stdout);
    case 'metrics':
      return (await import('./run-metrics.js')).runMetrics(options, { stderr: process.stderr });
    case 'record':
      return (await import('./run-record.js')).runRecord(options, io);
    case 'guard': {
      const { runGuard, GUARD_DEFAULT_INTERVAL_MS } = await import('./run-guard.js');
      return runGuard(
        options,
        io,
        options.intervalGiven ? {} : { defaultIntervalMs: GUARD_DEFAULT_INTERVAL_MS },
      );
    }
    default:
      process.stderr.write(`fragtop: "${command}" is not available in this version\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Interactive and long-running modes may leave handles (the kernel log, timers) open: exit explicitly.
    process.exitCode = code;
    if (process.stdout.writableNeedDrain) process.stdout.once('drain', () => process.exit(code));
    else process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`fragtop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
