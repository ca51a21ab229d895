// The standalone folders from `npm run build:exe`: run under `env -i` with nothing from the host, x64 and arm64 (qemu).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { exeFolder, HAS_EXE, QEMU_ARM64, VERSION } from '../helpers/dist.js';
import { exitStatus, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const work = mkdtempSync(join(tmpdir(), 'fragtop-exe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command with an empty environment (env -i), plus the variables given. */
function bare(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, cwd: work, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fixture = fixturePath('centos7-numa-k8s', 'proc');
const kmsg = fixturePath('centos7-numa-k8s', 'dmesg.txt');

/** The JSON the npm build prints for the same fixture, without the capture time. */
function npmBuildSnapshot(): unknown {
  const result = spawnSync(
    'node',
    [`${REPO_ROOT}bin/fragtop.js`, 'snapshot', '--json', '--proc-root', fixture, '--kmsg', kmsg],
    {
      encoding: 'utf8',
    },
  );
  return { ...JSON.parse(result.stdout), time: null };
}

const skipX64 = HAS_EXE.x64 ? '' : ' (skipped: run npm run build:exe first)';
const skipArm64 = !HAS_EXE.arm64
  ? ' (skipped: run npm run build:exe first; it needs gcc-aarch64-linux-gnu and libstdc++6-arm64-cross)'
  : !QEMU_ARM64
    ? ' (skipped: qemu-aarch64 is not registered with binfmt_misc; Debian: qemu-user-static binfmt-support)'
    : '';

describe('the linux-x64 executable', () => {
  const exe = `${exeFolder('x64')}/fragtop`;

  it.skipIf(!HAS_EXE.x64)(`prints its version with an empty environment${skipX64}`, () => {
    const { status, stdout, stderr } = bare(exe, ['--version']);
    expect(stderr).toBe('');
    expect(stdout).toBe(`fragtop ${VERSION}\n`);
    expect(status).toBe(0);
  });

  it.skipIf(!HAS_EXE.x64)(`prints the same JSON snapshot as the npm build${skipX64}`, () => {
    const { status, stdout } = bare(exe, ['snapshot', '--json', '--proc-root', fixture, '--kmsg', kmsg]);
    expect(status).toBe(0);
    expect({ ...JSON.parse(stdout), time: null }).toEqual(npmBuildSnapshot());
  });

  it.skipIf(!HAS_EXE.x64)(`runs as a symlink on the PATH, the way it is installed${skipX64}`, () => {
    const bin = join(work, 'bin');
    rmSync(bin, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', bin]);
    symlinkSync(exe, join(bin, 'fragtop'));
    const { status, stdout } = bare('/usr/bin/env', ['fragtop', 'check', '--order', '0'], { PATH: bin });
    expect(stdout).toMatch(/^order0 OK: \d+ blocks \(want 1\)/);
    expect(status).toBe(0);
  });

  it.skipIf(!HAS_EXE.x64)(`ignores the host's LD_PRELOAD and LD_LIBRARY_PATH${skipX64}`, () => {
    // Host libraries are built for the host's C library, not the bundled one: passing them on would break it.
    const { status, stdout, stderr } = bare(exe, ['--version'], {
      LD_PRELOAD: '/nonexistent/libpreload.so',
      LD_LIBRARY_PATH: '/nonexistent',
    });
    expect(stderr).toBe('');
    expect(stdout).toBe(`fragtop ${VERSION}\n`);
    expect(status).toBe(0);
  });

  it.skipIf(!HAS_EXE.x64 || !HAS_TMUX)(
    `plays the bundled demo in a terminal with only TERM set${skipX64 || (HAS_TMUX ? '' : ' (skipped: tmux is not installed)')}`,
    async () => {
      const session = new TmuxSession(`env -i TERM=xterm-256color ${exe} demo`);
      try {
        await session.waitFor(
          (s) => s.includes('demo: a CentOS 7 Kubernetes node') && s.includes('Free blocks'),
        );
        expect(session.alternateOn()).toBe(true);
        session.send('q');
        const screen = await session.waitFor((s) => exitStatus(s) !== null);
        expect(exitStatus(screen)).toBe(0);
      } finally {
        session.kill();
      }
    },
  );
});

describe('the linux-arm64 executable under qemu-user', () => {
  const folder = exeFolder('arm64');

  it.skipIf(!HAS_EXE.arm64)(
    `is built for arm64 all through: launcher, loader, libraries and node${HAS_EXE.arm64 ? '' : ' (skipped: run npm run build:exe first)'}`,
    () => {
      for (const file of [
        'fragtop',
        'lib/ld-linux-aarch64.so.1',
        'lib/libc.so.6',
        'lib/libstdc++.so.6',
        'lib/node',
      ]) {
        const header = spawnSync('readelf', ['-h', join(folder, file)], { encoding: 'utf8' }).stdout;
        expect(header, file).toMatch(/Machine:\s+AArch64/);
      }
    },
  );

  it.skipIf(!HAS_EXE.arm64 || !QEMU_ARM64)(`prints its version with an empty environment${skipArm64}`, () => {
    const { status, stdout, stderr } = bare(`${folder}/fragtop`, ['--version']);
    expect(stderr).toBe('');
    expect(stdout).toBe(`fragtop ${VERSION}\n`);
    expect(status).toBe(0);
  });

  it.skipIf(!HAS_EXE.arm64 || !QEMU_ARM64)(
    `prints the same JSON snapshot as the npm build${skipArm64}`,
    () => {
      const { status, stdout } = bare(`${folder}/fragtop`, [
        'snapshot',
        '--json',
        '--proc-root',
        fixture,
        '--kmsg',
        kmsg,
      ]);
      expect(status).toBe(0);
      expect({ ...JSON.parse(stdout), time: null }).toEqual(npmBuildSnapshot());
    },
  );

  it.skipIf(!HAS_EXE.arm64 || !QEMU_ARM64 || !HAS_TMUX)(
    `plays the bundled demo in a terminal${skipArm64 || (HAS_TMUX ? '' : ' (skipped: tmux is not installed)')}`,
    async () => {
      const session = new TmuxSession(`env -i TERM=xterm-256color ${folder}/fragtop demo`);
      try {
        await session.waitFor(
          (s) => s.includes('demo: a CentOS 7 Kubernetes node') && s.includes('Free blocks'),
          20_000,
        );
        session.send('q');
        const screen = await session.waitFor((s) => exitStatus(s) !== null);
        expect(exitStatus(screen)).toBe(0);
      } finally {
        session.kill();
      }
    },
  );
});
