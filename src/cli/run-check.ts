// `fragtop check --order N [--min-blocks K]`: one snapshot, one line on stdout, exit 0 ok / 1 problem / 2 unknown.
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { orderVerdict } from '../analyze/order-verdict.js';
import { pagetypeinfoMatters } from '../analyze/pagetypeinfo-need.js';
import { checkSnapshot, withKernelLogProblem } from '../export/check.js';
import { PROC_FILES } from '../model/raw-frame.js';
import { kernelLogProbeFor } from './kernel-log-for.js';
import { ProcSource } from '../sources/proc-source.js';
import type { Options } from './parse-args.js';

/** What the answer rests on: never slabinfo; pagetypeinfo (read with interrupts off) only when it can change it. */
const CHECK_FILES = PROC_FILES.filter((name) => name !== 'slabinfo' && name !== 'pagetypeinfo');

export async function runCheck(options: Options, stdout: NodeJS.WritableStream): Promise<number> {
  const order = options.order ?? 0;
  const minBlocks = options.minBlocks ?? 1;
  const source = new ProcSource({ procRoot: options.procRoot, files: CHECK_FILES });
  try {
    const frame = await source.read();
    let snapshot = buildSnapshot(frame);
    if (pagetypeinfoMatters(snapshot, orderVerdict(snapshot, order, minBlocks))) {
      const pagetypes = new ProcSource({ procRoot: options.procRoot, files: ['pagetypeinfo'] });
      const { pagetypeinfo } = (await pagetypes.read()).files;
      snapshot = buildSnapshot({ ...frame, files: { ...frame.files, pagetypeinfo } });
    }
    const result = withKernelLogProblem(
      checkSnapshot(snapshot, order, minBlocks),
      kernelLogProbeFor(options),
    );
    stdout.write(`${result.line}\n`);
    return result.exitCode;
  } catch (error) {
    stdout.write(`unknown: ${(error as Error).message}\n`);
    return 2;
  }
}
