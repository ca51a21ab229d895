// Listens for keys and runs the key table (or feeds the open prompt); renders nothing, never re-renders on ticks.
import { memo } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import { findBinding, type KeyName } from './keymap.js';
import { useControllers, useFragtopStore } from './StoreContext.js';

/** Names a key press the way the key table does. */
export function keyName(input: string, key: Key): KeyName {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  // Ctrl-Z suspends (the screen session handles it): it is not the z key.
  if (key.ctrl && input === 'z') return 'ctrl-z';
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

function HotkeysListener() {
  const store = useFragtopStore();
  const controllers = useControllers();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const { replay, dialog, actions } = store.getState();
      const { quit } = controllers;
      if (dialog) {
        if (name === 'ctrl-c') quit();
        else controllers.remediation?.answer(name);
        return;
      }
      const prompt = replay.prompt;
      if (prompt) {
        if (name === 'ctrl-c') quit();
        else if (name === 'escape') actions.setPrompt(null);
        else if (name === 'backspace') actions.setPrompt({ ...prompt, value: prompt.value.slice(0, -1) });
        else if (name === 'return') {
          actions.setPrompt(null);
          const error = controllers.submitPrompt?.(prompt.value) ?? null;
          actions.setFlash(error);
        } else if (input && !key.ctrl && !key.meta)
          actions.setPrompt({ ...prompt, value: prompt.value + input });
        return;
      }
      // Keys typed quickly (or over a slow link) can arrive in one read: take them one by one.
      const names = name.length > 1 && input === name && !key.ctrl && !key.meta ? [...name] : [name];
      for (const each of names) {
        const state = store.getState();
        const binding = findBinding(state.session.mode, each);
        if (state.notes.flash && binding) actions.setFlash(null);
        binding?.run({ ...controllers, store });
      }
    },
    { isActive: isRawModeSupported === true },
  );
  return null;
}

/** Memoized and without props: it does not re-render (and re-subscribe to stdin) on every tick. */
export const Hotkeys = memo(HotkeysListener);
