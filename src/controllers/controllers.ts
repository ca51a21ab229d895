// What drives the screen besides the store: the replay player, remediation, the recorder, the prompt and quit.
// The provider hands them to every component and key binding, so nothing threads them through props.
import type { InsideController } from './inside-controller.js';
import type { LiveRecorder } from './live-recorder.js';
import type { RemediationController } from './remediation-controller.js';
import type { ReplayPlayer } from './replay-player.js';

export interface Controllers {
  quit(): void;
  /** Present in replay and demo. */
  player: ReplayPlayer | null;
  /** Present in the live screen. */
  remediation: RemediationController | null;
  /** Present in the live screen. */
  recorder: LiveRecorder | null;
  /** Present in the live screen: the pageblock map and the trace events. */
  inside: InsideController | null;
  /** Called with the prompt's text on Enter; returns an error to show, or null. */
  submitPrompt: ((value: string) => string | null) | null;
}

/** Controllers for a screen that has none of them: quit does nothing, every optional part is absent. */
export function controllersWith(parts: Partial<Controllers> = {}): Controllers {
  return {
    quit: () => {},
    player: null,
    remediation: null,
    recorder: null,
    inside: null,
    submitPrompt: null,
    ...parts,
  };
}
