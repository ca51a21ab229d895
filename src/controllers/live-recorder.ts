// `R` in the live screen: starts and stops recording the frames being sampled, without pausing anything.
import { resolve } from 'node:path';
import type { KernelLogReadState } from '../model/kernel-log-state.js';
import type { RawFrame } from '../model/raw-frame.js';
import { openRecordingWriter, type RecordingWriter } from '../sources/recording-writer.js';
import type { FragtopStore } from '../store/create-store.js';
import { defaultRecordingName } from '../sources/recording-name.js';

export interface LiveRecorder {
  toggle(): void;
  /** Every sampled frame passes here; it is appended while recording. */
  onFrame(frame: RawFrame): void;
  /** Closes the file, if one is open, so nothing recorded is lost on quit. */
  stop(): Promise<void>;
}

interface Session {
  /** The file name; set once the file is open (a suffix is added when the name is taken). */
  name: string;
  writer: Promise<RecordingWriter>;
  /** False until the first frame is written: it carries the kernel log read before R was pressed. */
  started: boolean;
}

/** Whether the screen could read the kernel log, kept in the header so a replay tells "none" from "unknown". */
function kernelLogHeader(store: FragtopStore): {
  kernelLog?: { state: KernelLogReadState; reason: string | null };
} {
  const { kernelLogState, kernelLog } = store.getState().notes.sources;
  return kernelLogState ? { kernelLog: { state: kernelLogState, reason: kernelLog } } : {};
}

/** Opens `name` in `dir`, or `name-2`, `name-3`… when R was pressed twice within the same second. */
async function openUnique(
  dir: string,
  name: string,
  chosen: (name: string) => void,
  header: Parameters<typeof openRecordingWriter>[1],
): Promise<RecordingWriter> {
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? name : name.replace(/\.ftr$/, `-${attempt}.ftr`);
    try {
      const writer = await openRecordingWriter(resolve(dir, candidate), header);
      chosen(candidate);
      return writer;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 99) throw error;
    }
  }
}

export function createLiveRecorder(options: {
  store: FragtopStore;
  intervalMs: number;
  dir?: string;
  now?: () => number;
}): LiveRecorder {
  const { store } = options;
  // Set at once on R, so frames and a second R that come before the file is open are handled in order.
  let active: Session | null = null;
  // Opening, appending and closing run one after another, in the order they were asked for.
  let chain: Promise<void> = Promise.resolve();
  const note = (text: string | null) => store.getState().actions.setNotes({ recording: text });
  const queue = (session: Session, step: (writer: RecordingWriter) => Promise<void>) => {
    chain = chain
      .then(async () => step(await session.writer))
      .catch((error: unknown) => {
        if (active === session) active = null;
        note(null);
        store.getState().actions.setFlash(`recording stopped: ${(error as Error).message}`);
      });
  };

  const close = (session: Session) => {
    active = null;
    queue(session, async (writer) => {
      const { frames, bytes } = writer.stats();
      await writer.close();
      note(null);
      store
        .getState()
        .actions.setFlash(`saved ${session.name}: ${frames} frames, ${(bytes / 1024).toFixed(1)} KiB`);
    });
  };

  return {
    toggle() {
      if (active) return close(active);
      const snapshot = store.getState().sample.latest;
      const startTimeMs = (options.now ?? Date.now)();
      const name = defaultRecordingName(snapshot?.host ?? null, startTimeMs);
      const session: Session = {
        name,
        writer: Promise.resolve(null as unknown as RecordingWriter),
        started: false,
      };
      session.writer = openUnique(options.dir ?? process.cwd(), name, (chosen) => (session.name = chosen), {
        host: snapshot?.host ?? null,
        kernel: snapshot?.kernel ?? null,
        pageSize: snapshot?.pageSizeBytes ?? 4096,
        intervalMs: options.intervalMs,
        startTimeMs,
        ...kernelLogHeader(store),
      });
      // Failures surface through the queue; this keeps an early rejection from going unhandled.
      session.writer.catch(() => {});
      active = session;
      queue(session, async () => note(`● recording to ${session.name} (R stops)`));
    },
    onFrame(frame) {
      const session = active;
      if (!session) return;
      // The replay must show the failures the screen showed: the first frame carries the whole log so far
      // (the store has already taken this frame's lines into it).
      const recorded = session.started
        ? frame
        : { ...frame, kmsg: [...store.getState().sample.failureLog.lines] };
      session.started = true;
      queue(session, async (writer) => {
        await writer.append(recorded);
        const { frames, bytes } = writer.stats();
        if (active === session)
          note(
            `● recording to ${session.name}: ${frames} frames, ${(bytes / 1024).toFixed(1)} KiB (R stops)`,
          );
      });
    },
    async stop() {
      if (active) close(active);
      await chain;
    },
  };
}
