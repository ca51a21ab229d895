// Tests that a recording keeps whether its kernel log could be read, so that a replay of a recording made without
// the log says the failures are unknown instead of "none"; and that older recordings, which do not say, still open.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openRecording } from '../../src/sources/recording-reader.js';
import { openRecordingWriter } from '../../src/sources/recording-writer.js';
import { fixtureFrame, fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

async function record(kernelLog?: { state: 'read' | 'unreadable' | 'not-requested'; reason: string | null }) {
  const path = join(mkdtempSync(join(tmpdir(), 'fragtop-logstate-')), 'r.ftr');
  const frame = fixtureFrame('live-6.18');
  const writer = await openRecordingWriter(path, {
    host: frame.host,
    kernel: frame.kernel,
    pageSize: 4096,
    intervalMs: 1000,
    startTimeMs: frame.timeMs,
    ...(kernelLog ? { kernelLog } : {}),
  });
  await writer.append(frame);
  await writer.append({ ...frame, timeMs: frame.timeMs + 1000 });
  await writer.close();
  return path;
}

describe('the kernel-log state in a recording', () => {
  it('is read back from the header as written', async () => {
    const reason = 'cannot open /dev/kmsg: EPERM';
    const recording = await openRecording(await record({ state: 'unreadable', reason }));
    expect(recording.header.kernelLog).toEqual({ state: 'unreadable', reason });
    recording.close();
  });

  it('is absent, not made up, in a recording that does not carry it', async () => {
    const recording = await openRecording(await record());
    expect(recording.header.kernelLog).toBeUndefined();
    recording.close();
    const bundled = await openRecording(fixturePath('recordings', 'idle.ftr'));
    expect(bundled.frameCount).toBeGreaterThan(0);
    bundled.close();
  });

  it.skipIf(!HAS_BUILD)(
    `makes snapshot --replay say the failures are unknown, never none${HAS_BUILD ? '' : ' (skipped: run npm run build first)'}`,
    async () => {
      const path = await record({ state: 'unreadable', reason: 'cannot open /dev/kmsg: EPERM' });
      const text = spawnSync('node', [BIN, 'snapshot', '--replay', path], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(text.stdout).toContain('Allocation failures (unknown: the kernel log was not read)');
      const json = spawnSync('node', [BIN, 'snapshot', '--json', '--replay', path], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      const data = JSON.parse(json.stdout) as {
        kernelLog: { state: string; reason: string };
        failureCount: unknown;
      };
      expect(data.kernelLog).toMatchObject({ state: 'unreadable', reason: 'cannot open /dev/kmsg: EPERM' });
      expect(data.failureCount).toBeNull();
    },
  );
});
