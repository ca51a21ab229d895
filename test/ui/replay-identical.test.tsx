// A recording made on this machine shows, frame by frame, the same screen as the live monitor did.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../src/model/raw-frame.js';
import { ProcSource } from '../../src/sources/proc-source.js';
import { openRecording } from '../../src/sources/recording-reader.js';
import { openRecordingWriter } from '../../src/sources/recording-writer.js';
import { createReplayPlayer } from '../../src/controllers/replay-player.js';
import { createFragtopStore, type FragtopStore } from '../../src/store/create-store.js';
import { App } from '../../src/ui/App.js';
import { FragtopProvider } from '../../src/ui/StoreContext.js';
import { fixturePath } from '../helpers/frames.js';

function screenOf(store: FragtopStore): string {
  const rendered = render(
    <FragtopProvider store={store} display={{ color: false }}>
      <App />
    </FragtopProvider>,
  );
  const frame = rendered.lastFrame() ?? '';
  rendered.unmount();
  return frame;
}

/** The panels that show the frame's data: from the banner to the first slab rows (the header and footer name the mode). */
function dataLines(screen: string): string[] {
  const lines = screen.split('\n');
  const slabHeader = lines.findIndex((line) => line.startsWith('cache'));
  return lines.slice(1, slabHeader + 6);
}

describe('record then replay', () => {
  it('shows the same panels for every frame as the live monitor did', async () => {
    // This machine's /proc when readable, else the capture of it in the fixtures.
    const live = new ProcSource({ procRoot: '/proc' });
    const first = await live.read();
    const source = first.files.buddyinfo?.ok
      ? live
      : new ProcSource({ procRoot: fixturePath('live-6.18', 'proc') });
    const frames: RawFrame[] = [];
    for (let i = 0; i < 4; i++) {
      frames.push(await source.read());
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const file = join(mkdtempSync(join(tmpdir(), 'fragtop-identical-')), 'r.ftr');
    const writer = await openRecordingWriter(file, {
      host: frames[0]!.host,
      kernel: frames[0]!.kernel,
      pageSize: frames[0]!.pageSizeBytes,
      intervalMs: 30,
      startTimeMs: frames[0]!.timeMs,
    });
    for (const frame of frames) await writer.append(frame);
    await writer.close();

    const recording = await openRecording(file);
    const replayStore = createFragtopStore({ mode: 'replay', intervalMs: 1000 });
    const player = createReplayPlayer(recording, replayStore, {
      file,
      autoplay: false,
      onError: (e) => {
        throw e;
      },
    });
    const liveStore = createFragtopStore({ mode: 'live', intervalMs: 1000 });
    for (let i = 0; i < frames.length; i++) {
      liveStore.getState().actions.ingest(frames[i]!);
      player.seek(i);
      const liveSnapshot = liveStore.getState().sample.latest!;
      const replaySnapshot = replayStore.getState().sample.latest!;
      expect(replaySnapshot).toEqual(liveSnapshot);
      expect(dataLines(screenOf(replayStore))).toEqual(dataLines(screenOf(liveStore)));
    }
    player.stop();
    recording.close();
  });
});
