// Top line: host, kernel, page size, memory totals, mode and refresh interval, clock.
import { Text } from 'ink';
import { headerText } from '../render/screen-text.js';
import { selectDisplayed, selectPaused } from '../store/create-store.js';
import { useDisplay, useFragtop } from './StoreContext.js';

export function Header({ width }: { width: number }) {
  const snapshot = useFragtop(selectDisplayed);
  const { mode, intervalMs } = useFragtop((s) => s.session);
  const paused = useFragtop(selectPaused);
  const { color } = useDisplay();
  const text = headerText(snapshot, { mode, paused, intervalMs });
  return (
    <Text bold inverse={color} wrap="truncate">
      {text.padEnd(width)}
    </Text>
  );
}
