// Listens for keys and runs the key table; renders nothing and never re-renders on ticks.
import { useInput, useStdin, type Key } from 'ink';
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
  if (input === ' ') return 'space';
  return input;
}

export function Hotkeys({ onQuit }: { onQuit: () => void }) {
  const store = useFragtopStore();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const { mode, flash, actions } = store.getState();
      const binding = findBinding(mode, name);
      if (flash && binding) actions.setFlash(null);
      binding?.run({ store, quit: onQuit });
    },
    { isActive: isRawModeSupported === true },
  );
  return null;
}
