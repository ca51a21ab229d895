// Tests replay in the screen: play, step, seek, speed and the jump-to-time prompt over a real recording.
import { afterEach, describe, expect, it } from 'vitest';
import { openRecording, type Recording } from '../../src/sources/recording-reader.js';
import { createReplayPlayer, type ReplayPlayer } from '../../src/controllers/replay-player.js';
import { createFragtopStore } from '../../src/store/create-store.js';
import { parseJumpTime } from '../../src/cli/jump-time.js';
import { fixturePath } from '../helpers/frames.js';
import { KEYS, press, renderApp, waitForInput, waitForFrame, type Rendered } from '../helpers/ink.js';

const open: { rendered: Rendered; player: ReplayPlayer; recording: Recording }[] = [];
afterEach(() => {
  for (const { rendered, player, recording } of open.splice(0)) {
    player.stop();
    rendered.unmount();
    recording.close();
  }
});

async function start(name = 'idle.ftr') {
  const recording = await openRecording(fixturePath('recordings', name));
  const store = createFragtopStore({
    mode: 'replay',
    intervalMs: recording.header.intervalMs,
    readOnly: true,
  });
  const player = createReplayPlayer(recording, store, {
    file: name,
    autoplay: false,
    onError: (e) => {
      throw e;
    },
  });
  const onPromptSubmit = (value: string) => {
    const position = store.getState().replay.position!;
    const jump = parseJumpTime(value, {
      fromMs: position.timeMs,
      startMs: position.startMs,
      endMs: position.endMs,
    });
    if (!jump.ok) return jump.message;
    player.seekTime(jump.timeMs);
    return null;
  };
  const rendered = renderApp(store, { player, submitPrompt: onPromptSubmit });
  open.push({ rendered, player, recording });
  await waitForInput(rendered);
  return { store, rendered, recording };
}

const frameNumber = (frame: string) => Number(/frame (\d+)\//.exec(frame)?.[1]);

describe('replay screen', () => {
  it('shows the first frame with a position bar, and steps with the arrow keys', async () => {
    const { rendered, recording, store } = await start();
    const first = await waitForFrame(rendered, (f) => f.includes(`frame 1/${recording.frameCount}`));
    expect(first).toContain('Free blocks by order');
    await press(rendered, KEYS.right);
    await press(rendered, KEYS.right);
    await waitForFrame(rendered, (f) => frameNumber(f) === 3);
    expect(store.getState().sample.latest?.timeMs).toBe(recording.timeOf(2));
    await press(rendered, KEYS.left);
    await waitForFrame(rendered, (f) => frameNumber(f) === 2);
  });

  it('g and G go to the ends; [ and ] change the speed within 0.25x … 64x', async () => {
    const { rendered, recording, store } = await start();
    await press(rendered, 'G');
    await waitForFrame(rendered, (f) => frameNumber(f) === recording.frameCount);
    // A jump replays the 40 frames before its target, so the trends have a past.
    expect(store.getState().sample.history.map((point) => point.timeMs)).toEqual(
      Array.from({ length: 41 }, (_, i) => recording.timeOf(recording.frameCount - 41 + i)),
    );
    await press(rendered, 'g');
    await waitForFrame(rendered, (f) => frameNumber(f) === 1);
    for (let i = 0; i < 10; i++) await press(rendered, ']');
    await waitForFrame(rendered, (f) => f.includes(' 64x '));
    for (let i = 0; i < 12; i++) await press(rendered, '[');
    await waitForFrame(rendered, (f) => f.includes(' 0.25x '));
  });

  it('space plays: frames advance on their own, and space pauses again', async () => {
    const { rendered } = await start();
    for (let i = 0; i < 6; i++) await press(rendered, ']');
    await press(rendered, ' ');
    await waitForFrame(rendered, (f) => frameNumber(f) >= 3 && f.includes('▶'));
    await press(rendered, ' ');
    const paused = await waitForFrame(rendered, (f) => f.includes('❚❚'));
    const at = frameNumber(paused);
    await new Promise((r) => setTimeout(r, 200));
    expect(frameNumber(rendered.lastFrame() ?? '')).toBe(at);
  });

  it('t opens a prompt; a relative time jumps there', async () => {
    const { rendered, recording } = await start();
    await press(rendered, 'G');
    await waitForFrame(rendered, (f) => frameNumber(f) === recording.frameCount);
    await press(rendered, 't');
    await waitForFrame(rendered, (f) => f.includes('jump to:'));
    for (const key of '-10s') await press(rendered, key);
    await press(rendered, KEYS.enter);
    const end = recording.timeOf(recording.frameCount - 1);
    const expected = recording.indexAtOrBefore(end - 10_000) + 1;
    await waitForFrame(rendered, (f) => frameNumber(f) === expected);
  });

  it('says remediation is disabled instead of acting', async () => {
    const { rendered } = await start();
    await press(rendered, 'c');
    await waitForFrame(rendered, (f) => f.includes('remediation is disabled in replay'));
  });

  it('shows the failure report once the replay reaches it', async () => {
    const { rendered, recording } = await start('k8s-order6-incident.ftr');
    await waitForFrame(rendered, (f) => f.includes('Allocation failures · 0 reports'));
    await press(rendered, 'G');
    await waitForFrame(
      rendered,
      (f) => frameNumber(f) === recording.frameCount && /order 6 \(256K\)/.test(f),
    );
  });
});
