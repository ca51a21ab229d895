// Top line: host, kernel, page size, memory totals, mode and refresh interval, clock.
import { Text } from 'ink';
import { headerText } from '../render/screen-text.js';
import { useDisplay, useFragtop } from './StoreContext.js';

export function Header({ width }: { width: number }) {
  const snapshot = useFragtop((s) => s.displayed);
  const mode = useFragtop((s) => s.mode);
  const paused = useFragtop((s) => s.paused);
  const intervalMs = useFragtop((s) => s.intervalMs);
  const { color } = useDisplay();
  const text = headerText(snapshot, { mode, paused, intervalMs });
  return (
    <Text bold inverse={color} wrap="truncate">
      {text.padEnd(width)}
    </Text>
  );
}
