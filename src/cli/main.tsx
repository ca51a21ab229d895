// Entry point: parse the command line, run the chosen mode, and turn user mistakes into one line and exit 2.
import './v8-footprint.js';
import { existsSync, statSync } from 'node:fs';
import { helpText } from './help-text.js';
import { unknownLine } from '../render/npd-line.js';
import { outputStyle } from './output-style.js';
import { parseArgs, type Options } from './parse-args.js';
import { watchOutput } from './output-errors.js';

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

const output = watchOutput(process.stdout, process.stderr);

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'error':
      process.stderr.write(`fragtop: ${parsed.message}\n`);
      // node-problem-detector shows stdout, not stderr: check says why it has no verdict there too.
      if (argv[0] === 'check') process.stdout.write(`${unknownLine(`usage: ${parsed.message}`)}\n`);
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
  const usesRoots =
    command !== 'replay' && command !== 'demo' && command !== 'fleet' && options.replay === null;
  const rootError = usesRoots ? checkRoots(options) : null;
  if (rootError) {
    process.stderr.write(`fragtop: ${rootError}\n`);
    if (command === 'check') process.stdout.write(`${unknownLine(rootError)}\n`);
    return 2;
  }
  const style = outputStyle(process.env, options, {
    stdin: Boolean(process.stdin.isTTY),
    stdout: Boolean(process.stdout.isTTY),
  });
  const display = { color: style.color, ascii: style.ascii };
  // fragtop honours NO_COLOR itself (no colour, but underline and bold still tell pass from fail); left in the
  // environment, the terminal library would drop every attribute, not only colour.
  delete process.env['NO_COLOR'];
  const screen = (command === 'live' && !style.batch) || command === 'replay' || command === 'demo';
  if (options.kmsg === '-' && screen) {
    // The screen reads its keys from stdin: it cannot also be the kernel log.
    process.stderr.write(
      'fragtop: --kmsg - reads stdin, which the screen needs for keys; give a file, or use fragtop snapshot\n',
    );
    return 2;
  }
  // A reader that went away (or a full disk) stops the streaming modes as SIGTERM would.
  const io = { stdout: process.stdout, stderr: process.stderr, signal: output.signal };
  // Each mode loads only what it needs: snapshot, record and guard start without Ink and React.
  switch (command) {
    case 'live':
      if (style.batch) {
        // Said on stderr so the frames on stdout stay clean, and only to a person at a terminal.
        if (style.batchBecause && process.stderr.isTTY && options.frames === null)
          process.stderr.write(`fragtop: ${style.batchBecause}: printing frames like top -b (-n N stops)\n`);
        return (await import('./run-batch.js')).runBatch(options, io, style.ascii);
      }
      if (options.json) {
        process.stderr.write(
          'fragtop: --json is for batch output: fragtop -b --json, or fragtop snapshot --json\n',
        );
        return 2;
      }
      return (await import('./run-live.js')).runLive(options, display);
    case 'snapshot':
      return (await import('./run-snapshot.js')).runSnapshot(options, process.stdout, style.ascii);
    case 'replay':
      return (await import('./run-replay.js')).runReplay(options, file ?? '', 'replay', display);
    case 'demo': {
      const { demoRecordingPath, runReplay } = await import('./run-replay.js');
      return runReplay(options, demoRecordingPath(), 'demo', display);
    }
    case 'check':
      return (await import('./run-check.js')).runCheck(options, process.stdout);
    case 'metrics':
      return (await import('./run-metrics.js')).runMetrics(options, {
        stderr: process.stderr,
        signal: output.signal,
      });
    case 'record':
      return (await import('./run-record.js')).runRecord(options, io);
    case 'fleet':
      return (await import('./run-fleet.js')).runFleet(options, io);
    case 'guard': {
      const { runGuard, GUARD_DEFAULT_INTERVAL_MS } = await import('./run-guard.js');
      return runGuard(
        options,
        io,
        options.intervalGiven ? {} : { defaultIntervalMs: GUARD_DEFAULT_INTERVAL_MS },
      );
    }
    case 'map':
      return (await import('./run-map.js')).runMap(options, process.stdout);
    case 'events':
      return (await import('./run-events.js')).runEvents(options, io);
    default:
      process.stderr.write(`fragtop: "${command}" is not available in this version\n`);
      return 1;
  }
}

/** Exits once stdout has taken everything; a write that failed decides the code (141 for a closed pipe, else 1). */
async function exit(code: number): Promise<never> {
  await output.flush();
  const failure = output.failure();
  if (failure?.message) process.stderr.write(`${failure.message}\n`);
  // Interactive and long-running modes may leave handles (the kernel log, timers) open: exit explicitly.
  process.exit(failure ? failure.exitCode : code);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    process.stderr.write(`fragtop: ${error instanceof Error ? error.message : String(error)}\n`);
    return exit(1);
  },
);
