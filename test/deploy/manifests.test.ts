// The DaemonSets in deploy/: they parse, name the image this version builds, pass the CLI arguments it accepts, and
// ask for no more privilege than their mode needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/parse-args.js';
import { REPO_ROOT } from '../helpers/frames.js';
import { VERSION } from '../helpers/dist.js';
import { daemonSet, loadDeploy, type DaemonSet } from '../helpers/deploy.js';

/** Every value under key anywhere in the object. */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesOf(v, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key ? [v] : []).concat(valuesOf(v, key)));
}

function only(set: DaemonSet) {
  expect(set.spec.template.spec.containers).toHaveLength(1);
  return set.spec.template.spec.containers[0]!;
}

function parsed(set: DaemonSet) {
  const result = parseArgs(only(set).args);
  if (result.kind !== 'run') throw new Error(`${set.file}: ${JSON.stringify(result)}`);
  return result;
}

describe('deploy/', () => {
  const documents = loadDeploy();

  it('parses, and every document is an apps/v1 DaemonSet whose selector matches its pods', () => {
    expect(documents.length).toBeGreaterThanOrEqual(2);
    for (const { file, errors, value } of documents) {
      expect(errors, file).toEqual([]);
      const set = value as DaemonSet;
      expect(set.apiVersion, file).toBe('apps/v1');
      expect(set.kind, file).toBe('DaemonSet');
      expect(set.spec.template.metadata.labels, file).toMatchObject(set.spec.selector.matchLabels);
    }
  });

  it(`runs the image this version builds (fragtop:${VERSION}) with its own entrypoint, never privileged`, () => {
    for (const { file, value } of documents) {
      const set = value as DaemonSet;
      for (const container of set.spec.template.spec.containers) {
        expect(container.image, file).toBe(`fragtop:${VERSION}`);
        // The image's entrypoint is fragtop: a command would replace it.
        expect(container.command, file).toBeUndefined();
        const context = container.securityContext;
        expect(context?.allowPrivilegeEscalation, file).toBe(false);
        expect(context?.readOnlyRootFilesystem, file).toBe(true);
        expect(context?.capabilities?.drop, file).toEqual(['ALL']);
        expect(context?.capabilities?.add, file).toBeUndefined();
      }
      expect(valuesOf(set, 'privileged'), file).not.toContain(true);
      expect(set.spec.template.spec.hostPID ?? false, file).toBe(false);
    }
    expect(readFileSync(`${REPO_ROOT}README.md`, 'utf8')).toContain(`fragtop:${VERSION}`);
  });

  it('metrics: arguments the CLI accepts, its port exposed and announced, nothing from the host mounted', () => {
    const set = daemonSet('fragtop-metrics');
    const { command, options } = parsed(set);
    expect(command).toBe('metrics');
    const port = Number(options.listen?.split(':').pop());
    expect(only(set).ports?.map((p) => p.containerPort)).toEqual([port]);
    expect(set.spec.template.metadata.annotations?.['prometheus.io/port']).toBe(String(port));
    // The container's own /proc shows the node's buddyinfo, zoneinfo, pagetypeinfo and slabinfo.
    expect(options.procRoot).toBe('/proc');
    expect(only(set).volumeMounts ?? []).toEqual([]);
    expect(set.spec.template.spec.volumes ?? []).toEqual([]);
  });

  it("guard: arguments the CLI accepts, and its roots and audit log are the node's, mounted where it writes", () => {
    const set = daemonSet('fragtop-guard');
    const { command, options } = parsed(set);
    expect(command).toBe('guard');
    expect(options.order).not.toBeNull();
    expect(options.minBlocks).not.toBeNull();
    expect(options.dryRun).toBe(false);
    const mounts = only(set).volumeMounts ?? [];
    const volumes = set.spec.template.spec.volumes ?? [];
    const hostPathAt = (mountPath: string) => {
      const mount = mounts.find((m) => m.mountPath === mountPath);
      expect(mount, mountPath).toBeDefined();
      // A read-only mount would make every action fail; the container's own /proc/sys is read only.
      expect(mount?.readOnly ?? false, mountPath).toBe(false);
      return volumes.find((v) => v.name === mount?.name)?.hostPath?.path;
    };
    expect(hostPathAt(options.procRoot)).toBe('/proc');
    expect(hostPathAt(options.sysRoot)).toBe('/sys');
    expect(options.auditLog).not.toBeNull();
    expect(hostPathAt(options.auditLog!.replace(/\/[^/]+$/, ''))).toBeDefined();
  });
});
