// deploy/fragtop-guard.yaml's container, run with its privileges in podman, compacts this machine's memory.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, PODMAN_RUN, PODMAN_SKIP, podman } from '../helpers/dist.js';
import { daemonSet, podmanFlags } from '../helpers/deploy.js';

const skip = PODMAN_SKIP ? ` (skipped: ${PODMAN_SKIP})` : '';
const logDir = mkdtempSync(join(tmpdir(), 'fragtop-guard-log-'));

beforeAll(() => {
  if (!PODMAN_SKIP) buildImage();
}, 300_000);
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

async function waitForLines(name: string, done: (lines: string[]) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = podman(['logs', name]).stdout.split('\n').filter(Boolean);
    if (done(lines) || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the guard DaemonSet', () => {
  it.skipIf(!!PODMAN_SKIP)(
    `writes compact_memory through the node's /proc mounted at /host/proc, unprivileged with no capability${skip}`,
    async () => {
      const set = daemonSet('fragtop-guard');
      const [container] = set.spec.template.spec.containers;
      const flags = podmanFlags(set, { '/var/log/fragtop': logDir });
      expect(flags).not.toContain('--privileged');
      expect(flags).toContain('--cap-drop=all');
      // The manifest's arguments with a threshold no machine meets, so the first check triggers the action.
      const args = [...container!.args, '--min-blocks', '2000000000'];
      const name = `fragtop-guard-test-${process.pid}`;
      const started = podman([...PODMAN_RUN, '-d', '--name', name, ...flags, container!.image, ...args]);
      expect(started.stderr).toBe('');
      let lines: string[] = [];
      try {
        lines = await waitForLines(name, (l) => l.some((line) => line.includes('"event":"action"')));
      } finally {
        podman(['stop', '-t', '5', name]);
      }
      const action = lines.map((line) => JSON.parse(line)).find((event) => event.event === 'action');
      expect(action, lines.join('\n')).toBeDefined();
      expect(action.ok).toBe(true);
      expect(action.path).toBe('/host/proc/sys/vm/compact_memory');
      // The audit record landed in the node directory the manifest mounts.
      const audit = readFileSync(join(logDir, 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(audit.some((entry) => entry.action === 'compact' && entry.source === 'guard')).toBe(true);
    },
  );
});
