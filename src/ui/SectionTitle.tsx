// A one-line section heading, inverse when colour is on, so panels need no border lines.
import { Text } from 'ink';
import { useDisplay } from './StoreContext.js';

export function SectionTitle({ title, width }: { title: string; width: number }) {
  const { color } = useDisplay();
  const text = ` ${title} `;
  return (
    <Text wrap="truncate" bold inverse={color} dimColor={false}>
      {color ? text.padEnd(width) : `─${text}`.padEnd(width, '─')}
    </Text>
  );
}
