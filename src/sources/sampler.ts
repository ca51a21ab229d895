// The collection loop: one frame per interval, handed to one callback; runs outside React.
import type { RawFrame } from '../model/raw-frame.js';

/** The longest delay a Node timer holds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface FrameSource {
  read(): Promise<RawFrame>;
}

export interface LogSource {
  drain(): string[];
}

export interface Sampler {
  stop(): void;
  /** Takes a frame now, out of schedule (remediation measures "right before" and "after"). */
  sampleNow(): Promise<RawFrame>;
}

export function startSampler(options: {
  source: FrameSource;
  log?: LogSource | null;
  intervalMs: number;
  onFrame: (frame: RawFrame) => void;
  onError: (error: unknown) => void;
}): Sampler {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const take = async (): Promise<RawFrame> => {
    const frame = await options.source.read();
    const lines = options.log?.drain() ?? [];
    return lines.length ? { ...frame, kmsg: lines } : frame;
  };

  const tick = async (): Promise<void> => {
    const started = Date.now();
    try {
      const frame = await take();
      if (!stopped) options.onFrame(frame);
    } catch (error) {
      if (!stopped) options.onError(error);
    }
    if (stopped) return;
    // Keep the cadence: subtract the time this tick took.
    // Past 2^31-1 ms Node fires a timer after 1 ms instead: never hand it more (the options are bounded too).
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, options.intervalMs - (Date.now() - started)));
    timer = setTimeout(() => void tick(), delay);
  };

  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    async sampleNow() {
      const frame = await take();
      if (!stopped) options.onFrame(frame);
      return frame;
    },
  };
}
