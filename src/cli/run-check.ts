// `fragtop check --order N [--min-blocks K]`: one snapshot, one line of at most 80 bytes on stdout, the details on
// stderr, exit 0 ok / 1 problem / 2 unknown. It reads only what the verdict needs: never slabinfo, and pagetypeinfo
// (printed by the kernel with interrupts off) only when the answer depends on which lists hold the blocks.
import { buildSnapshot } from '../analyze/build-snapshot.js';
import { orderVerdict } from '../analyze/order-verdict.js';
import { pagetypeinfoMatters } from '../analyze/pagetypeinfo-need.js';
import { checkSnapshot, unknownLine } from '../export/check.js';
import type { RawFrame } from '../model/raw-frame.js';
import { ProcSource } from '../sources/proc-source.js';
import { kernelLogProbeFor } from './kernel-log-for.js';
import type { Options } from './parse-args.js';

export async function runCheck(
  options: Options,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const order = options.order ?? 0;
  const minBlocks = options.minBlocks ?? 1;
  // meminfo words the advice (is dropping caches worth it); zoneinfo holds the watermarks; cgroups counts the
  // memory cgroups, whose leak fails pods on the same nodes.
  const source = new ProcSource({
    procRoot: options.procRoot,
    files: ['buddyinfo', 'zoneinfo', 'meminfo', 'cgroups'],
  });
  try {
    let frame: RawFrame = await source.read();
    // pagetypeinfo can only take blocks away (HighAtomic, CMA lists): it matters only for an ok that would not
    // survive the largest reserve and every CMA page being on the lists that hold its blocks.
    let listsUnread = false;
    let snapshot = buildSnapshot(frame);
    if (pagetypeinfoMatters(snapshot, orderVerdict(snapshot, order, minBlocks))) {
      const pagetypeinfo = await source.readFile('pagetypeinfo');
      frame = { ...frame, files: { ...frame.files, pagetypeinfo } };
      snapshot = buildSnapshot(frame);
      listsUnread = !pagetypeinfo.ok;
    }
    const result = checkSnapshot(snapshot, order, minBlocks, {
      listsUnread,
      kernelLog: kernelLogProbeFor(options),
    });
    stdout.write(`${result.line}\n`);
    for (const detail of result.details) stderr.write(`${detail}\n`);
    return result.exitCode;
  } catch (error) {
    stdout.write(`${unknownLine((error as Error).message)}\n`);
    return 2;
  }
}
