// Fault injection for the sources that touch files: the proc reader, the recording reader and the textfile writer
// meet EACCES, EPERM, EISDIR, ENOENT, a FIFO or device that would block, and a file that grows while read.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcSource } from '../../src/sources/proc-source.js';
import { readProcFile } from '../../src/sources/read-proc-file.js';
import { openRecording } from '../../src/sources/recording-reader.js';
import { createTextfileWriter } from '../../src/sources/textfile-writer.js';
import { IS_ROOT, ordinaryUserScript, sharedTempDir } from '../helpers/as-user.js';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';

const dir = sharedTempDir('fragtop-faults-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(dir, `${counter++}-${name}`);

/** The promise's value, or a failure naming the wait: a hang must fail the test. */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A FIFO with a writer that holds it open and writes nothing: a read would wait for ever. */
function blockingFifo(): { path: string; release: () => void } {
  const path = fresh('fifo');
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY);
  return {
    path,
    release: () => {
      closeSync(writer);
      closeSync(reader);
    },
  };
}

const EPERM_WHY =
  readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() === '1' && existsSync('/dev/kmsg')
    ? ''
    : ' (skipped: needs /dev/kmsg with kernel.dmesg_restrict=1)';
const IMMUTABLE_WHY = IS_ROOT ? '' : ' (skipped: making a file immutable needs root)';

/** readProcFile run as an ordinary user (nobody when the tests run as root). */
const readAsUser = ordinaryUserScript(
  dir,
  'read-proc',
  `import { readProcFile } from '${REPO_ROOT}src/sources/read-proc-file.ts';
   console.log(JSON.stringify(await readProcFile(process.argv[2])));`,
);

describe('the proc reader', () => {
  it('EACCES: a file only its owner may read is a permission failure, as an ordinary user', async () => {
    const path = fresh('secret');
    writeFileSync(path, 'Node 0, zone Normal 1 2 3\n');
    chmodSync(path, 0o000);
    const { answer } = (await readAsUser)([path]);
    expect(answer).toEqual({
      ok: false,
      reason: 'permission',
      message: `permission denied reading ${path}: run as root`,
    });
  });

  it(`EPERM: /dev/kmsg under dmesg_restrict, as an ordinary user${EPERM_WHY}`, async (context) => {
    if (EPERM_WHY) context.skip();
    const { answer } = (await readAsUser)(['/dev/kmsg']);
    expect(answer).toMatchObject({ ok: false, reason: 'permission' });
  });

  it('EISDIR: a directory in place of a file is refused without reading', async () => {
    const path = fresh('dir');
    mkdirSync(path);
    expect(await readProcFile(path)).toEqual({
      ok: false,
      reason: 'error',
      message: `${path} is not a regular file: not read`,
    });
  });

  it('ENOENT: a missing file is missing', async () => {
    const path = fresh('none');
    expect(await readProcFile(path)).toEqual({
      ok: false,
      reason: 'missing',
      message: `${path} does not exist`,
    });
  });

  it('EAGAIN / a device that blocks: a FIFO with a silent writer is refused at once', async () => {
    const fifo = blockingFifo();
    try {
      expect(await within(readProcFile(fifo.path))).toMatchObject({
        ok: false,
        message: `${fifo.path} is not a regular file: not read`,
      });
    } finally {
      fifo.release();
    }
  });

  it('a device (/dev/zero, endless) is refused, not read for ever', async () => {
    expect(await within(readProcFile('/dev/zero'))).toMatchObject({ ok: false, reason: 'error' });
  });

  it('a file that grows while it is read stops at the cap and says so', async () => {
    const path = fresh('growing');
    writeFileSync(path, '');
    const writer = spawn('sh', ['-c', `yes 'Node 0, zone Normal 1 2 3' | head -c 50000000 >> ${path}`]);
    try {
      // Wait until it is past the cap, so the read sees a file that is still growing and already too large.
      while (statSync(path).size < 2 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
      const read = await within(readProcFile(path, Date.now, 1024 * 1024, 'buddyinfo'));
      expect(read).toEqual({
        ok: false,
        reason: 'error',
        message: `${path} is larger than 1 MiB, more than any real buddyinfo: not read`,
      });
    } finally {
      writer.kill();
    }
  });

  it('a whole tree with a FIFO for zoneinfo and a directory for slabinfo still gives a frame, saying why', async () => {
    const root = fresh('proc');
    cpSync(fixturePath('live-6.18', 'proc'), root, { recursive: true });
    rmSync(join(root, 'slabinfo'));
    mkdirSync(join(root, 'slabinfo'));
    rmSync(join(root, 'zoneinfo'));
    execFileSync('mkfifo', [join(root, 'zoneinfo')]);
    const holder = openSync(join(root, 'zoneinfo'), constants.O_RDWR);
    try {
      const frame = await within(new ProcSource({ procRoot: root }).read());
      expect(frame.files.buddyinfo?.ok).toBe(true);
      expect(frame.files.zoneinfo).toMatchObject({
        ok: false,
        message: expect.stringContaining('zoneinfo is not'),
      });
      expect(frame.files.slabinfo).toMatchObject({
        ok: false,
        message: expect.stringContaining('slabinfo is not'),
      });
    } finally {
      closeSync(holder);
    }
  });
});

describe('the recording reader', () => {
  const openAsUser = ordinaryUserScript(
    dir,
    'open-recording',
    `import { openRecording } from '${REPO_ROOT}src/sources/recording-reader.ts';
     try { (await openRecording(process.argv[2])).close(); console.log(JSON.stringify('opened')); }
     catch (error) { console.log(JSON.stringify(error.message)); }`,
  );

  it('EACCES: an unreadable recording is refused with the reason, as an ordinary user', async () => {
    const path = fresh('secret.ftr');
    cpSync(fixturePath('recordings', 'idle.ftr'), path);
    // No read bit for anyone: the ordinary user is nobody under root, or the owner itself otherwise.
    chmodSync(path, 0o000);
    const { answer } = (await openAsUser)([path]);
    expect(answer).toBe(`cannot open recording ${path}: EACCES: permission denied, open '${path}'`);
  });

  it('EISDIR, ENOENT and a blocking FIFO are refused at once, each naming the file', async () => {
    const directory = fresh('dir.ftr');
    mkdirSync(directory);
    await expect(within(openRecording(directory))).rejects.toThrow(`${directory} is not a regular file`);
    const missing = fresh('none.ftr');
    await expect(within(openRecording(missing))).rejects.toThrow(
      `cannot open recording ${missing}: no such file`,
    );
    const fifo = blockingFifo();
    try {
      await expect(within(openRecording(fifo.path))).rejects.toThrow(`${fifo.path} is not a regular file`);
    } finally {
      fifo.release();
    }
  });

  it('a recording still being written (growing) opens with the frames complete at open', async () => {
    const path = fresh('growing.ftr');
    const idle = readFileSync(fixturePath('recordings', 'idle.ftr'));
    writeFileSync(path, idle.subarray(0, Math.floor(idle.length * 0.9)));
    const recording = await openRecording(path);
    try {
      expect(recording.frameCount).toBeGreaterThan(0);
      // The rest arrives after open; what was indexed stays readable.
      writeFileSync(path, idle);
      for (let i = 0; i < recording.frameCount; i++)
        expect(recording.frameAt(i).files.buddyinfo?.ok).toBe(true);
    } finally {
      recording.close();
    }
  });
});

describe('the textfile writer', () => {
  const writeAsUser = ordinaryUserScript(
    dir,
    'textfile',
    `import { createTextfileWriter } from '${REPO_ROOT}src/sources/textfile-writer.ts';
     const writer = createTextfileWriter(process.argv[2]);
     try { await writer.write('x 1\\n'); console.log(JSON.stringify('written')); }
     catch (error) { console.log(JSON.stringify(error.code)); }
     await writer.close();`,
  );

  it('EACCES: a directory an ordinary user cannot write, and nothing left behind', async () => {
    const locked = fresh('locked');
    // No write bit for anyone: the ordinary user is nobody under root, or the owner itself otherwise.
    mkdirSync(locked, { mode: 0o555 });
    const { answer } = (await writeAsUser)([join(locked, 'm.prom')]);
    expect(answer).toBe('EACCES');
    expect(readdirSync(locked)).toEqual([]);
  });

  it(`EPERM: an immutable directory${IMMUTABLE_WHY}`, async (context) => {
    if (IMMUTABLE_WHY) context.skip();
    const frozen = fresh('frozen');
    mkdirSync(frozen);
    execFileSync('chattr', ['+i', frozen]);
    try {
      const writer = createTextfileWriter(join(frozen, 'm.prom'));
      await expect(writer.write('x 1\n')).rejects.toMatchObject({ code: 'EPERM' });
      await writer.close();
    } finally {
      execFileSync('chattr', ['-i', frozen]);
    }
  });

  it('EISDIR and ENOENT fail the write and leave no temporary file', async () => {
    const target = fresh('target');
    mkdirSync(join(target, 'm.prom'), { recursive: true });
    const writer = createTextfileWriter(join(target, 'm.prom'));
    await expect(writer.write('x 1\n')).rejects.toMatchObject({ code: 'EISDIR' });
    await writer.close();
    expect(readdirSync(target)).toEqual(['m.prom']);
    const missing = createTextfileWriter(join(fresh('gone'), 'm.prom'));
    await expect(missing.write('x 1\n')).rejects.toMatchObject({ code: 'ENOENT' });
    await missing.close();
  });

  it('a FIFO in place of the file is replaced, not written into (which would block)', async () => {
    const fifo = blockingFifo();
    try {
      const writer = createTextfileWriter(fifo.path);
      await within(writer.write('x 1\n'));
      await writer.close();
      expect(statSync(fifo.path).isFile()).toBe(true);
      expect(readFileSync(fifo.path, 'utf8')).toBe('x 1\n');
    } finally {
      fifo.release();
    }
  });

  it('overlapping writes land in order, the latest last, each file whole', async () => {
    const target = fresh('busy');
    mkdirSync(target);
    const path = join(target, 'm.prom');
    const writer = createTextfileWriter(path);
    const seen: string[] = [];
    const writes = Array.from({ length: 50 }, (_, i) =>
      writer.write(`value ${i}\n${'#'.repeat(100_000)}\n`).then(() => seen.push(readFileSync(path, 'utf8'))),
    );
    await Promise.all(writes);
    await writer.close();
    expect(readFileSync(path, 'utf8').startsWith('value 49\n')).toBe(true);
    expect(seen.every((text) => /^value \d+\n#{100000}\n$/.test(text))).toBe(true);
    expect(readdirSync(target)).toEqual(['m.prom']);
  });
});
