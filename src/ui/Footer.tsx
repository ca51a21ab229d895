// The bottom line: the most used keys, or a one-line message.
import { Text } from 'ink';
import { useDisplay, useFragtop } from './StoreContext.js';

/** The keys that fit in `width`, most used first; `? help` always shows, since the help lists the rest. */
export function footerText(readOnly: boolean, replay: boolean, width = Number.MAX_SAFE_INTEGER): string {
  const keys = replay
    ? [
        'q quit',
        '? help',
        'space play',
        '←/→ step',
        '[/] speed',
        'g/G ends',
        't time',
        '+/- order',
        'f failures',
      ]
    : [
        'q quit',
        '? help',
        'p pause',
        '+/- order',
        'm types',
        'f failures',
        ...(readOnly ? [] : ['c compact', 'd drop']),
        'R rec',
        'z/o/a/s/u/n/P sort',
      ];
  if (readOnly) keys.splice(2, 0, 'read-only');
  while (keys.length > 2 && 1 + keys.join('  ').length > width) keys.pop();
  return ' ' + keys.join('  ');
}

export function Footer({ width }: { width: number }) {
  const { readOnly, mode } = useFragtop((s) => s.session);
  const flash = useFragtop((s) => s.notes.flash);
  const { color } = useDisplay();
  if (flash)
    return (
      <Text wrap="truncate" color={color ? 'yellow' : undefined}>
        {(' ' + flash).padEnd(width)}
      </Text>
    );
  return (
    <Text wrap="truncate" inverse={color}>
      {footerText(readOnly, mode !== 'live', width).padEnd(width)}
    </Text>
  );
}
