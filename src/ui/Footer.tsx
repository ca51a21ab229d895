// The bottom line: the most used keys, or a one-line message.
import { Text } from 'ink';
import { useDisplay, useFragtop } from './StoreContext.js';

export function footerText(readOnly: boolean): string {
  const keys = ['q quit', '? help', 'p pause', '+/- order', 't types', 'f failures', 'o/a/s/u/n/z/P sort'];
  if (readOnly) keys.push('read-only');
  return ' ' + keys.join('  ');
}

export function Footer({ width }: { width: number }) {
  const readOnly = useFragtop((s) => s.readOnly);
  const flash = useFragtop((s) => s.flash);
  const { color } = useDisplay();
  if (flash)
    return (
      <Text wrap="truncate" color={color ? 'yellow' : undefined}>
        {(' ' + flash).padEnd(width)}
      </Text>
    );
  return (
    <Text wrap="truncate" inverse={color}>
      {footerText(readOnly).padEnd(width)}
    </Text>
  );
}
