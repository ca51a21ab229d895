// `fragtop replay FILE` and `fragtop demo`: the live screen over a recording, with seek, step and speed.
import { fileURLToPath } from 'node:url';
import { createReplayPlayer } from '../controllers/replay-player.js';
import { createFragtopStore, type Mode } from '../store/create-store.js';
import { parseJumpTime } from './jump-time.js';
import { openRecordingOrExplain } from './recording-open.js';
import type { Options } from './parse-args.js';
import { hasTerminal, NO_TERMINAL_MESSAGE } from './terminal.js';

/**
 * The bundled incident `fragtop demo` replays, found from this module so it works from any directory. The module
 * sits two levels below the package root both as source (src/cli) and built (dist/chunks).
 */
export function demoRecordingPath(): string {
  return fileURLToPath(new URL('../../fixtures/recordings/k8s-order6-incident.ftr', import.meta.url));
}

const DEMO_ORDER = 6;
/** Two minutes of recording told in 30 seconds. */
const DEMO_SPEED = 4;
const DEMO_NOTE =
  'demo: a CentOS 7 Kubernetes node fragments until the container runtime (exe) cannot get an order-6 block for a pod network namespace (space pauses, ←/→ step)';

export async function runReplay(
  options: Options,
  file: string,
  mode: Mode,
  display: { color: boolean; ascii: boolean } = { color: true, ascii: false },
): Promise<number> {
  const opened = await openRecordingOrExplain(file);
  if ('error' in opened) {
    process.stderr.write(`fragtop: ${opened.error}\n`);
    return 1;
  }
  const { recording } = opened;
  if (!hasTerminal()) {
    recording.close();
    process.stderr.write(
      `${NO_TERMINAL_MESSAGE.replace('"fragtop snapshot"', `"fragtop snapshot --replay ${file} --at TIME"`)}\n`,
    );
    return 1;
  }
  const screen = import('./screen-session.js');
  const isDemo = mode === 'demo';
  const store = createFragtopStore({
    mode,
    intervalMs: recording.header.intervalMs,
    readOnly: true,
    // The bundled incident is an order-6 failure: watch order 6 from the first frame.
    order: options.order ?? (isDemo ? DEMO_ORDER : null),
    slabSort: options.slabSort,
  });
  const recordedLog = recording.header.kernelLog;
  store.getState().actions.setNotes({
    recording: isDemo ? DEMO_NOTE : `replay of ${file} · ${recording.frameCount} frames`,
    // What the recorder knew of its kernel log: unreadable then means unknown now, not "none".
    ...(recordedLog && recordedLog.state !== 'read'
      ? {
          kernelLog: recordedLog.reason ?? 'the kernel log was not read while recording',
          kernelLogState: recordedLog.state,
        }
      : {}),
  });
  const player = createReplayPlayer(recording, store, {
    file,
    autoplay: isDemo,
    speed: isDemo ? DEMO_SPEED : 1,
    onError: (error) => store.getState().actions.setFlash(`cannot read frame: ${(error as Error).message}`),
  });
  const onPromptSubmit = (value: string): string | null => {
    const position = store.getState().replay.position;
    if (!position) return 'nothing to jump in';
    const jump = parseJumpTime(value, {
      fromMs: position.timeMs,
      startMs: position.startMs,
      endMs: position.endMs,
    });
    if (!jump.ok) return jump.message;
    const clamped = Math.min(position.endMs, Math.max(position.startMs, jump.timeMs));
    player.seekTime(clamped);
    return clamped === jump.timeMs ? null : 'that time is outside the recording: jumped to the nearest end';
  };
  try {
    const { runScreenSession } = await screen;
    return await runScreenSession({
      store,
      display,
      controllers: { player, submitPrompt: onPromptSubmit },
      onStop: () => player.stop(),
    });
  } finally {
    recording.close();
  }
}
