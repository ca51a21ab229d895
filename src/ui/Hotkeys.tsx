// Listens for keys and runs the key table (or feeds the open prompt); renders nothing, never re-renders on ticks.
import { memo } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import type { LiveRecorder } from '../controllers/live-recorder.js';
import type { RemediationController } from '../controllers/remediation-controller.js';
import type { ReplayPlayer } from '../controllers/replay-player.js';
import { findBinding, type KeyName } from './keymap.js';
import { useFragtopStore } from './StoreContext.js';

/** Names a key press the way the key table does. */
export function keyName(input: string, key: Key): KeyName {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace || key.delete) return 'backspace';
  if (input === ' ') return 'space';
  return input;
}

export interface HotkeysProps {
  onQuit: () => void;
  player?: ReplayPlayer | null;
  remediation?: RemediationController | null;
  recorder?: LiveRecorder | null;
  /** Called with the prompt's text on Enter; returns an error to show, or null. */
  onPromptSubmit?: (value: string) => string | null;
}

function HotkeysListener({
  onQuit,
  player = null,
  remediation = null,
  recorder = null,
  onPromptSubmit,
}: HotkeysProps) {
  const store = useFragtopStore();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const { prompt, dialog, actions } = store.getState();
      if (dialog) {
        if (name === 'ctrl-c') onQuit();
        else remediation?.answer(name);
        return;
      }
      if (prompt) {
        if (name === 'ctrl-c') onQuit();
        else if (name === 'escape') actions.setPrompt(null);
        else if (name === 'backspace') actions.setPrompt({ ...prompt, value: prompt.value.slice(0, -1) });
        else if (name === 'return') {
          actions.setPrompt(null);
          const error = onPromptSubmit?.(prompt.value) ?? null;
          actions.setFlash(error);
        } else if (input && !key.ctrl && !key.meta)
          actions.setPrompt({ ...prompt, value: prompt.value + input });
        return;
      }
      // Keys typed quickly (or over a slow link) can arrive in one read: take them one by one.
      const names = name.length > 1 && input === name && !key.ctrl && !key.meta ? [...name] : [name];
      for (const each of names) {
        const binding = findBinding(store.getState().mode, each);
        if (store.getState().flash && binding) actions.setFlash(null);
        binding?.run({ store, quit: onQuit, player, remediation, recorder });
      }
    },
    { isActive: isRawModeSupported === true },
  );
  return null;
}

/** Memoized: its props are stable, so it does not re-render (and re-subscribe to stdin) on every tick. */
export const Hotkeys = memo(HotkeysListener);
