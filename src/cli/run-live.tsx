// The interactive monitor: sampler -> store -> screen.
import { resolve } from 'node:path';
import { ProcSource } from '../sources/proc-source.js';
import { startSampler } from '../sources/sampler.js';
import { createFragtopStore } from '../store/create-store.js';
import type { Options } from './parse-args.js';
import { kernelLogFor, kernelLogStateOf } from './kernel-log-for.js';
import { createLiveRecorder } from '../controllers/live-recorder.js';
import { createRemediationController } from '../controllers/remediation-controller.js';
import { createInsideController } from '../controllers/inside-controller.js';
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
  const { log, note, state } = await kernelLogFor(options);
  store.getState().actions.setNotes({ kernelLog: note, kernelLogState: state.state });
  store.getState().actions.setLogTimeReference(log?.status.mtimeMs ?? null);
  const recorder = createLiveRecorder({ store, intervalMs: options.intervalMs });
  // The pageblock map and the trace events ride on the sampled frames, so recordings and replay carry them.
  const inside = createInsideController({ store, procRoot: options.procRoot });
  const sampler = startSampler({
    source,
    log,
    intervalMs: options.intervalMs,
    onFrame: (sampled) => {
      const { actions } = store.getState();
      const frame = inside.attach(sampled);
      actions.ingest(frame);
      recorder.onFrame(frame);
      const status = source.status();
      // journalctl may start showing kernel messages after it was opened: the log's state can change.
      const now = kernelLogStateOf(log, state);
      // The header's note line carries what is unknown about the machine: its page size, kernel or host.
      const identity = [status.pageSizeNote, status.identityNote].filter(Boolean).join(' · ') || null;
      actions.setNotes({
        pagetypeinfo: status.pagetypeinfoNote,
        pageSize: identity,
        kernelLog: now.state === 'read' ? null : (now.reason ?? note),
        kernelLogState: now.state,
      });
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
    controllers: { remediation, recorder, inside },
    onStop: async () => {
      // Tracing is restored at once (synchronously), before anything that could wait.
      const insideStopped = inside.stop();
      // A compaction or drop already written is measured and audited before the process ends.
      await remediation.settled();
      sampler.stop();
      await insideStopped;
      log?.close();
      await recorder.stop();
    },
  });
}
