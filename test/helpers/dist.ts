// Where the standalone folders and the container image are, and whether this machine can run them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from './frames.js';

export const VERSION: string = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')).version;
export const IMAGE = `localhost/fragtop:${VERSION}`;
export const IMAGE_ARM64 = `localhost/fragtop:${VERSION}-arm64`;

export function exeFolder(arch: 'x64' | 'arm64'): string {
  return `${REPO_ROOT}build/exe/fragtop-linux-${arch}`;
}

export const HAS_EXE = {
  x64: existsSync(`${exeFolder('x64')}/fragtop`),
  arm64: existsSync(`${exeFolder('arm64')}/fragtop`),
};

/** The kernel hands arm64 binaries to qemu-user: the launcher's exec of the arm64 loader then works too. */
export const QEMU_ARM64 =
  existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64') &&
  readFileSync('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8').startsWith('enabled');

const IS_ROOT = process.getuid?.() === 0;
const HAS_PODMAN = spawnSync('podman', ['--version']).status === 0;

/** Why podman tests cannot run here, or '' when they can. Rootless podman needs subuids this machine may lack. */
export const PODMAN_SKIP = !HAS_PODMAN
  ? 'podman is not installed'
  : !IS_ROOT
    ? 'podman images are built and run as root here'
    : !HAS_EXE.x64
      ? 'run npm run build:exe first'
      : '';

/** runc (crun fails on cgroups here) and limits a container may set without CAP_SYS_RESOURCE on the host. */
export const PODMAN_RUN = [
  '--runtime',
  'runc',
  'run',
  '--rm',
  '--ulimit',
  'nofile=1024:1024',
  '--ulimit',
  'nproc=1024:1024',
];

export function podman(args: string[], timeout = 120_000) {
  const result = spawnSync('podman', args, { encoding: 'utf8', timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Builds the image from this checkout (FROM scratch: nothing is pulled); throws with podman's words on failure. */
export function buildImage(tag = IMAGE, extra: string[] = []): void {
  const built = podman(
    ['--runtime', 'runc', 'build', ...extra, '-t', tag, '-f', 'Containerfile', REPO_ROOT],
    300_000,
  );
  if (built.status !== 0) throw new Error(`podman build failed:\n${built.stderr}`);
}
