// The container image: built FROM scratch from this checkout with podman, run the ways SREs run it.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { release } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  HAS_EXE,
  IMAGE,
  IMAGE_ARM64,
  PODMAN_RUN,
  PODMAN_SKIP,
  QEMU_ARM64,
  VERSION,
  podman,
} from '../helpers/dist.js';
import { daemonSet, podmanFlags } from '../helpers/deploy.js';
import { exitStatus, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const skip = PODMAN_SKIP ? ` (skipped: ${PODMAN_SKIP})` : '';
const skipTerminal = skip || (HAS_TMUX ? '' : ' (skipped: tmux is not installed)');
const skipArm64 =
  skip ||
  (!HAS_EXE.arm64
    ? ' (skipped: run npm run build:exe first)'
    : !QEMU_ARM64
      ? ' (skipped: qemu-aarch64 is not registered with binfmt_misc; Debian: qemu-user-static binfmt-support)'
      : '');

const sessions: TmuxSession[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()?.kill();
});

let arm64Built = false;
beforeAll(() => {
  if (PODMAN_SKIP) return;
  buildImage();
  if (!skipArm64) {
    buildImage(IMAGE_ARM64, ['--platform', 'linux/arm64', '--build-arg', 'ARCH=arm64']);
    arm64Built = true;
  }
}, 300_000);

afterAll(() => {
  // Dangling intermediate images from rebuilds would pile up run after run.
  if (!PODMAN_SKIP) podman(['image', 'prune', '-f']);
});

function run(args: string[], flags: string[] = []) {
  return podman([...PODMAN_RUN, ...flags, IMAGE, ...args]);
}

function inTerminal(flags: string, args = ''): TmuxSession {
  const command = `podman ${PODMAN_RUN.join(' ')} -it ${flags} ${IMAGE} ${args}`;
  const session = new TmuxSession(command, { columns: 120, rows: 40 });
  sessions.push(session);
  return session;
}

describe('the container image', () => {
  it.skipIf(!!PODMAN_SKIP)(`holds nothing but the standalone folder${skip}`, () => {
    const created = podman(['create', IMAGE]);
    expect(created.status).toBe(0);
    const id = created.stdout.trim();
    try {
      const listing = spawnSync('sh', ['-c', `podman export ${id} | tar t`], { encoding: 'utf8' }).stdout;
      const paths = listing.split('\n').filter(Boolean);
      expect(paths).toContain('opt/fragtop/lib/node');
      // At most the empty directories a runtime mounts over: no shell, no library, nothing of a base image.
      const outside = paths.filter((p) => !p.startsWith('opt/'));
      expect(outside.filter((p) => !/^(dev|proc|sys|etc|run|tmp|root)\/$/.test(p))).toEqual([]);
    } finally {
      podman(['rm', id]);
    }
  });

  it.skipIf(!!PODMAN_SKIP)(`prints its version${skip}`, () => {
    const { status, stdout } = run(['--version']);
    expect(stdout).toBe(`fragtop ${VERSION}\n`);
    expect(status).toBe(0);
  });

  it.skipIf(!!PODMAN_SKIP)(`shows the node from the container's own /proc in snapshot --json${skip}`, () => {
    const { status, stdout } = run(['snapshot', '--json']);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schema).toBe(1);
    // buddyinfo, zoneinfo and slabinfo are system-wide: the kernel is the host's, the zones and slabs are its own.
    expect(json.kernel).toBe(release());
    expect(json.zones.length).toBeGreaterThan(0);
    expect(json.slabs.length).toBeGreaterThan(0);
    const sources = json.problems.map((p: { source: string }) => p.source);
    expect(sources).not.toContain('page size');
    expect(sources).not.toContain('slabinfo');
  });

  it.skipIf(!!PODMAN_SKIP)(`checks the node read-only, from its own /proc and from /host/proc${skip}`, () => {
    const own = run(['check', '--order', '0']);
    expect(own.stdout).toMatch(/^order0 OK: \d+ blocks \(want 1\)/);
    expect(own.status).toBe(0);
    const host = run(['check', '--order', '0', '--proc-root', '/host/proc'], ['-v', '/proc:/host/proc:ro']);
    expect(host.stdout).toMatch(/^order0 OK: \d+ blocks \(want 1\)/);
    expect(host.status).toBe(0);
    // No node has a billion free order-0 blocks: the check must then say problem (exit 1), not ok.
    const short = run(['check', '--order', '0', '--min-blocks', '1000000000']);
    expect(short.stdout).toMatch(/^order0 SHORT: /);
    expect(short.status).toBe(1);
  });

  it.skipIf(!!PODMAN_SKIP || !HAS_TMUX)(
    `runs the live screen with docker run --rm -it --privileged --pid=host IMAGE${skipTerminal}`,
    async () => {
      const session = inTerminal('--privileged --pid=host');
      await session.waitFor((s) => s.includes('Free blocks by order') && s.includes(release()), 15_000);
      expect(session.alternateOn()).toBe(true);
      session.send('q');
      const screen = await session.waitFor((s) => exitStatus(s) !== null);
      expect(exitStatus(screen)).toBe(0);
    },
  );

  it.skipIf(!!PODMAN_SKIP || !HAS_TMUX)(
    `runs as kubectl debug node --profile=sysadmin does: host namespaces, node root at /host, command "fragtop"${skipTerminal}`,
    async () => {
      // kubectl debug sets the container's command to what follows --: the image's PATH must find fragtop.
      const flags = '--privileged --pid=host --network=host --ipc=host -v /:/host --entrypoint fragtop';
      const session = inTerminal(flags);
      await session.waitFor((s) => s.includes('Free blocks by order') && s.includes(release()), 15_000);
      session.send('q');
      const screen = await session.waitFor((s) => exitStatus(s) !== null);
      expect(exitStatus(screen)).toBe(0);
      // Privileged, it reads the node's kernel log: no problem is reported for it.
      const { stdout } = run(['snapshot', '--json'], flags.split(' '));
      const sources = JSON.parse(stdout).problems.map((p: { source: string }) => p.source);
      expect(sources).not.toContain('kmsg');
    },
  );

  it.skipIf(!!PODMAN_SKIP || !HAS_TMUX)(
    `plays the bundled demo with podman run -it IMAGE demo${skipTerminal}`,
    async () => {
      const session = inTerminal('', 'demo');
      await session.waitFor(
        (s) => s.includes('demo: a CentOS 7 Kubernetes node') && s.includes('k8s-node'),
        15_000,
      );
      session.send('q');
      const screen = await session.waitFor((s) => exitStatus(s) !== null);
      expect(exitStatus(screen)).toBe(0);
    },
  );

  it.skipIf(!!PODMAN_SKIP)(
    `serves metrics as deploy/fragtop-metrics.yaml runs it: no capability, read-only, slabs included${skip}`,
    async () => {
      const set = daemonSet('fragtop-metrics');
      const [container] = set.spec.template.spec.containers;
      // The manifest's arguments, but on a free loopback port of this machine rather than :9101.
      const port = await freePort();
      const args = container!.args.map((arg) => (/^[\d.]*:\d+$/.test(arg) ? `127.0.0.1:${port}` : arg));
      const name = `fragtop-metrics-test-${process.pid}`;
      const started = podman([
        ...PODMAN_RUN,
        '-d',
        '--name',
        name,
        '--network=host',
        ...podmanFlags(set),
        container!.image,
        ...args,
      ]);
      expect(started.stderr).toBe('');
      try {
        const body = await scrape(`http://127.0.0.1:${port}/metrics`);
        expect(body).toMatch(/^fragtop_zone_free_blocks\{.*\} \d+$/m);
        // slabinfo is root-only: uid 0 reads it with every capability dropped.
        expect(body).toMatch(/^fragtop_slab_\w+\{.*\} \d+/m);
      } finally {
        podman(['stop', '-t', '2', name]);
      }
    },
  );

  it.skipIf(!!skipArm64)(`builds for arm64 and runs there under qemu${skipArm64}`, () => {
    expect(arm64Built).toBe(true);
    const arch = podman(['image', 'inspect', IMAGE_ARM64, '--format', '{{.Architecture}}']);
    expect(arch.stdout.trim()).toBe('arm64');
    const version = podman([...PODMAN_RUN, '--platform', 'linux/arm64', IMAGE_ARM64, '--version']);
    expect(version.stdout).toBe(`fragtop ${VERSION}\n`);
    const check = podman([...PODMAN_RUN, '--platform', 'linux/arm64', IMAGE_ARM64, 'check', '--order', '0']);
    expect(check.stdout).toMatch(/^order0 OK: \d+ blocks \(want 1\)/);
    expect(check.status).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The exposition once the server answers; polls, since the container needs a moment to start. */
async function scrape(url: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
