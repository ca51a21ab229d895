// `fragtop snapshot`: one frame (with the kernel log so far) printed as text or JSON, then exit.
import { ProcSource } from '../sources/proc-source.js';
import { createFragtopStore, targetOrderOf } from '../store/create-store.js';
import { selectDiagnosis } from '../store/select-diagnosis.js';
import { snapshotJson } from '../export/snapshot-json.js';
import { snapshotText } from '../export/snapshot-text.js';
import type { Options } from './parse-args.js';
import { kernelLogFor } from './kernel-log-for.js';

export async function runSnapshot(options: Options, stdout: NodeJS.WritableStream): Promise<number> {
  const source = new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null });
  const { log, note } = await kernelLogFor(options);
  try {
    const frame = await source.read();
    const store = createFragtopStore({ order: options.order, intervalMs: options.intervalMs });
    const kmsg = log?.drain() ?? [];
    store.getState().actions.ingest({ ...frame, kmsg });
    const state = store.getState();
    const snapshot = state.latest;
    if (!snapshot) throw new Error('no frame was captured');
    const status = source.status();
    const extraProblems = [
      ...(note ? [{ source: 'kmsg', message: note }] : []),
      ...(status.pageSizeNote ? [{ source: 'page size', message: status.pageSizeNote }] : []),
    ];
    const input = {
      snapshot,
      targetOrder: targetOrderOf(state),
      failures: state.failures,
      suppressedFailures: state.suppressedFailures,
      diagnosis: selectDiagnosis(state),
      rates: state.rates,
      extraProblems,
    };
    stdout.write(options.json ? `${JSON.stringify(snapshotJson(input), null, 2)}\n` : snapshotText(input));
    return 0;
  } finally {
    log?.close();
  }
}
