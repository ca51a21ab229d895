// Drives Ink components in tests: render with a fresh store, press keys one at a time, poll for a frame.
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { controllersWith, type Controllers } from '../../src/controllers/controllers.js';
import { FragtopProvider } from '../../src/ui/StoreContext.js';
import type { FragtopStore } from '../../src/store/create-store.js';

export type Rendered = ReturnType<typeof render>;

export function renderApp(store: FragtopStore, controllers: Partial<Controllers> = {}): Rendered {
  return render(
    <FragtopProvider store={store} controllers={controllersWith(controllers)} display={{ color: false }}>
      <App />
    </FragtopProvider>,
  );
}

/** Polls until the last frame satisfies `predicate`; fails with the frame it last saw. */
export async function waitForFrame(
  rendered: Rendered,
  predicate: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let frame = rendered.lastFrame() ?? '';
  while (!predicate(frame)) {
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    frame = rendered.lastFrame() ?? '';
  }
  return frame;
}

/** Writes one key and lets React flush before the next. */
export async function press(rendered: Rendered, key: string): Promise<void> {
  rendered.stdin.write(key);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

export const KEYS = {
  escape: '\u001b',
  enter: '\r',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  ctrlC: '\u0003',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
};

/** Waits until Ink listens to stdin: keys written before that are lost. */
export async function waitForInput(rendered: Rendered, timeoutMs = 3000): Promise<void> {
  const stdin = rendered.stdin as unknown as { listenerCount(event: string): number };
  const deadline = Date.now() + timeoutMs;
  while (stdin.listenerCount('readable') === 0 && stdin.listenerCount('data') === 0) {
    if (Date.now() > deadline) throw new Error('Ink never started reading stdin');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
