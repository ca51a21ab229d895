// The interactive monitor: sampler -> store -> screen.
import { resolve } from 'node:path';
import { ProcSource } from '../sources/proc-source.js';
import { startSampler } from '../sources/sampler.js';
import { createFragtopStore } from '../store/create-store.js';
import type { Options } from './parse-args.js';
import { kernelLogFor } from './kernel-log-for.js';
import { createLiveRecorder } from '../controllers/live-recorder.js';
import { createRemediationController } from '../controllers/remediation-controller.js';
import { hasTerminal, NO_TERMINAL_MESSAGE } from './terminal.js';

export async function runLive(
  options: Options,
  display: { color: boolean; ascii: boolean },
): Promise<number> {
  if (!hasTerminal()) {
    process.stderr.write(`${NO_TERMINAL_MESSAGE}\n`);
    return 1;
  }
  const screen = import('./screen-session.js');
  const store = createFragtopStore({
    mode: 'live',
    intervalMs: options.intervalMs,
    readOnly: options.readOnly,
    order: options.order,
    slabSort: options.slabSort,
  });
  const source = new ProcSource({
    procRoot: options.procRoot,
    pagetypeinfoIntervalMs: options.pagetypeinfoIntervalMs,
  });
  const { log, note } = await kernelLogFor(options);
  store.getState().actions.setNotes({ kernelLog: note });
  const recorder = createLiveRecorder({ store, intervalMs: options.intervalMs });
  const sampler = startSampler({
    source,
    log,
    intervalMs: options.intervalMs,
    onFrame: (frame) => {
      const { actions } = store.getState();
      actions.ingest(frame);
      recorder.onFrame(frame);
      const status = source.status();
      actions.setNotes({ pagetypeinfo: status.pagetypeinfoNote, pageSize: status.pageSizeNote });
    },
    onError: (error) => store.getState().actions.setFlash(`sampling failed: ${(error as Error).message}`),
  });
  const remediation = createRemediationController({
    store,
    roots: { procRoot: options.procRoot, sysRoot: options.sysRoot },
    sampler,
    auditLog: options.auditLog,
    // The kernel log of this machine records actions on this machine only.
    auditKmsgPath: resolve(options.procRoot) === '/proc' ? undefined : null,
    isRoot: process.getuid?.() === 0,
  });
  // Ink and React load while the first frame is read.
  const { runScreenSession } = await screen;
  return runScreenSession({
    store,
    display,
    frameLimit: options.frames,
    controllers: { remediation, recorder },
    onStop: async () => {
      // A compaction or drop already written is measured and audited before the process ends.
      await remediation.settled();
      sampler.stop();
      log?.close();
      await recorder.stop();
    },
  });
}
