// Tests the live recorder behind R: start, stop, names that never overwrite, and the kernel log it carries.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiveRecorder } from '../../src/controllers/live-recorder.js';
import { openRecording } from '../../src/sources/recording-reader.js';
import { createFragtopStore } from '../../src/store/create-store.js';
import { fixtureFrame } from '../helpers/frames.js';

describe('live recorder (R)', () => {
  it('records the frames sampled between two presses, byte-identical, and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-live-rec-'));
    const store = createFragtopStore();
    const frame = fixtureFrame('live-6.18');
    store.getState().actions.ingest(frame);
    const recorder = createLiveRecorder({ store, intervalMs: 1000, dir });
    recorder.onFrame(frame); // not recording yet: dropped
    recorder.toggle();
    const frames = [1, 2, 3].map((i) => ({
      ...frame,
      timeMs: frame.timeMs + i * 1000,
      kmsg: i === 2 ? ['6,1,1,-;hello'] : [],
    }));
    for (const f of frames) recorder.onFrame(f);
    recorder.toggle();
    recorder.onFrame({ ...frame, timeMs: frame.timeMs + 9000 }); // stopped again: dropped
    await recorder.stop();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^fragtop-vm-\d{8}-\d{6}\.ftr$/);
    expect(store.getState().notes.flash).toMatch(
      new RegExp(`^saved ${files[0]!.replace(/\./g, '\\.')}: 3 frames, [\\d.]+ KiB$`),
    );
    const recording = await openRecording(join(dir, files[0]!));
    expect(recording.frameCount).toBe(3);
    expect(recording.header.host).toBe('vm');
    for (let i = 0; i < 3; i++) {
      const read = recording.frameAt(i);
      expect(read.timeMs).toBe(frames[i]!.timeMs);
      expect(read.kmsg).toEqual(frames[i]!.kmsg);
      expect(read.files.buddyinfo).toEqual(frames[i]!.files.buddyinfo);
    }
    recording.close();
    expect(store.getState().notes.sources.recording).toBeNull();
  });

  it('puts the kernel log read before R into the first frame, so the replay shows the same failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-live-rec-log-'));
    const store = createFragtopStore();
    const frame = fixtureFrame('live-6.18');
    const report = ['4,1,1000,-;exe: page allocation failure: order:6, mode:0x10c0d0'];
    store.getState().actions.ingest({ ...frame, kmsg: report });
    const recorder = createLiveRecorder({ store, intervalMs: 1000, dir });
    recorder.toggle();
    const later = { ...frame, timeMs: frame.timeMs + 1000, kmsg: ['6,2,2000,-;later line'] };
    store.getState().actions.ingest(later);
    recorder.onFrame(later);
    recorder.onFrame({ ...frame, timeMs: frame.timeMs + 2000 });
    await recorder.stop();
    const recording = await openRecording(join(dir, readdirSync(dir)[0]!));
    expect(recording.frameAt(0).kmsg).toEqual([...report, ...later.kmsg]);
    expect(recording.frameAt(1).kmsg).toEqual([]);
    recording.close();
  });
});

describe('live recorder name clashes', () => {
  it('starts, stops and starts again within a second into a second file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fragtop-live-rec-twice-'));
    const store = createFragtopStore();
    const frame = fixtureFrame('live-6.18');
    store.getState().actions.ingest(frame);
    // The same second for both starts, so both want the same name.
    const recorder = createLiveRecorder({ store, intervalMs: 1000, dir, now: () => 1_795_000_000_000 });
    recorder.toggle();
    recorder.onFrame(frame);
    recorder.toggle();
    recorder.toggle();
    recorder.onFrame(frame);
    await recorder.stop();
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    const first = files.find((file) => !file.endsWith('-2.ftr'))!;
    expect(files).toContain(first.replace(/\.ftr$/, '-2.ftr'));
    expect(store.getState().notes.flash).toMatch(/^saved .*-2\.ftr: 1 frames/);
  });
});
