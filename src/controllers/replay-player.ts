// Plays a recording into the store: one frame per step at the recorded pace times a speed; seek, step, jump.
import type { FragtopStore } from '../store/create-store.js';
import type { Recording } from '../sources/recording-reader.js';

export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] as const;
/** Frames replayed before the target of a jump, to rebuild the trend sparklines (about 60 ms of work). */
const TREND_FRAMES_ON_SEEK = 40;
/** Below this a timer cannot keep up anyway; the screen refreshes at most this often while playing fast. */
const MIN_STEP_MS = 15;

export interface ReplayPlayer {
  togglePlay(): void;
  step(delta: number): void;
  seek(index: number): void;
  seekTime(timeMs: number): void;
  changeSpeed(direction: 1 | -1): void;
  stop(): void;
}

export function createReplayPlayer(
  recording: Recording,
  store: FragtopStore,
  options: { file: string; autoplay: boolean; speed?: number; onError: (error: unknown) => void },
): ReplayPlayer {
  let index = -1;
  const wanted = REPLAY_SPEEDS.indexOf((options.speed ?? 1) as (typeof REPLAY_SPEEDS)[number]);
  let speedIndex = wanted >= 0 ? wanted : REPLAY_SPEEDS.indexOf(1);
  let playing = false;
  let timer: NodeJS.Timeout | null = null;
  const count = recording.frameCount;
  const last = count - 1;

  const publish = () => {
    store.getState().actions.setReplay({
      index,
      count,
      timeMs: index >= 0 ? recording.timeOf(index) : recording.header.startTimeMs,
      startMs: count ? recording.timeOf(0) : recording.header.startTimeMs,
      endMs: count ? recording.timeOf(last) : recording.header.startTimeMs,
      speed: REPLAY_SPEEDS[speedIndex] ?? 1,
      playing,
      file: options.file,
      warnings: recording.warnings,
    });
  };

  const show = (target: number) => {
    const next = Math.max(0, Math.min(last, target));
    const { actions } = store.getState();
    try {
      if (next === index + 1 && index >= 0) {
        // Sequential play: one ingest, history and rates carry on.
        const frame = recording.frameAt(next);
        actions.ingest({ ...frame, kmsg: [] });
        if (frame.kmsg.length) actions.setLog(recording.logLinesUpTo(next));
      } else {
        // A jump: start over a little earlier, so the trends have a past and the rates two frames.
        actions.reset();
        for (let i = Math.max(0, next - TREND_FRAMES_ON_SEEK); i <= next; i++)
          actions.ingest({ ...recording.frameAt(i), kmsg: [] });
        actions.setLog(recording.logLinesUpTo(next));
      }
      index = next;
    } catch (error) {
      options.onError(error);
    }
    publish();
  };

  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  const schedule = () => {
    clear();
    if (!playing) return;
    if (index >= last) {
      playing = false;
      publish();
      return;
    }
    const gapMs = recording.timeOf(index + 1) - recording.timeOf(index);
    const delay = Math.max(MIN_STEP_MS, gapMs / (REPLAY_SPEEDS[speedIndex] ?? 1));
    timer = setTimeout(() => {
      show(index + 1);
      schedule();
    }, delay);
  };

  if (count > 0) show(0);
  playing = options.autoplay && count > 1;
  publish();
  schedule();

  return {
    togglePlay() {
      if (!playing && index >= last) show(0);
      playing = !playing && count > 1;
      publish();
      schedule();
    },
    step(delta) {
      playing = false;
      clear();
      show(index + delta);
    },
    seek(target) {
      show(target);
      schedule();
    },
    seekTime(timeMs) {
      show(Math.max(0, recording.indexAtOrBefore(timeMs)));
      schedule();
    },
    changeSpeed(direction) {
      speedIndex = Math.max(0, Math.min(REPLAY_SPEEDS.length - 1, speedIndex + direction));
      publish();
      schedule();
    },
    stop() {
      playing = false;
      clear();
    },
  };
}
