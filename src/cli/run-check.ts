// `fragtop check --order N [--min-blocks K]`: one snapshot, one line on stdout, exit 0 ok / 1 problem / 2 unknown.
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { checkSnapshot, withKernelLogProblem } from '../export/check.js';
import { kernelLogProbeFor } from './kernel-log-for.js';
import { ProcSource } from '../sources/proc-source.js';
import type { Options } from './parse-args.js';

export async function runCheck(options: Options, stdout: NodeJS.WritableStream): Promise<number> {
  const order = options.order ?? 0;
  // pagetypeinfo walks the free lists with interrupts off; a periodic check does not need it.
  const source = new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: 24 * 3_600_000 });
  try {
    const result = withKernelLogProblem(
      checkSnapshot(buildSnapshot(await source.read()), order, options.minBlocks ?? 1),
      kernelLogProbeFor(options),
    );
    stdout.write(`${result.line}\n`);
    return result.exitCode;
  } catch (error) {
    stdout.write(`unknown: ${(error as Error).message}\n`);
    return 2;
  }
}
