// Entry point: parse the command line, run the chosen mode, and turn user mistakes into one line and exit 2.
import { helpText } from './help-text.js';
import { parseArgs } from './parse-args.js';
import { runLive } from './run-live.js';
import { runSnapshot } from './run-snapshot.js';

declare const FRAGTOP_VERSION: string;

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
  const { command, options } = parsed;
  switch (command) {
    case 'live':
      return runLive(options);
    case 'snapshot':
      return runSnapshot(options, process.stdout);
    default:
      process.stderr.write(`fragtop: "${command}" is not available in this version\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fragtop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
