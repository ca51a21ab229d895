// Replay's position bar: play state, speed, frame number, time and a bar; or the open prompt.
import { Text } from 'ink';
import type { Prompt, ReplayPosition } from '../store/create-store.js';
import { clockTime } from '../render/format.js';
import { useDisplay, useFragtop } from './StoreContext.js';

export function replayBarText(position: ReplayPosition, width: number): string {
  const state = position.playing ? '▶' : '❚❚';
  const date = new Date(position.timeMs).toISOString().slice(0, 10);
  const head = `${state} ${position.speed}x · frame ${position.index + 1}/${position.count} · ${date} ${clockTime(position.timeMs)} `;
  const warn = position.warnings.length ? ` · ⚠ ${position.warnings[0]}` : '';
  const barWidth = Math.max(10, Math.min(40, width - head.length - warn.length - 2));
  const span = position.endMs - position.startMs;
  const done = span > 0 ? Math.round(((position.timeMs - position.startMs) / span) * barWidth) : barWidth;
  return `${head}[${'█'.repeat(done)}${'░'.repeat(Math.max(0, barWidth - done))}]${warn}`;
}

export function promptText(prompt: Prompt): string {
  return `${prompt.label}: ${prompt.value}█  (Enter to go, Esc to cancel)`;
}

export function ReplayBar({ width }: { width: number }) {
  const position = useFragtop((s) => s.replay.position);
  const prompt = useFragtop((s) => s.replay.prompt);
  const { color } = useDisplay();
  if (prompt)
    return (
      <Text wrap="truncate" color={color ? 'cyan' : undefined}>
        {promptText(prompt)}
      </Text>
    );
  if (!position) return <Text> </Text>;
  return (
    <Text wrap="truncate" color={color && position.warnings.length ? 'yellow' : undefined}>
      {replayBarText(position, width)}
    </Text>
  );
}
