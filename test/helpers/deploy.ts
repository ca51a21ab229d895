// Reads the DaemonSets in deploy/ and turns one into the podman flags that give a container the same privileges.
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './frames.js';

export interface Container {
  name: string;
  image: string;
  args: string[];
  command?: string[];
  ports?: { containerPort: number }[];
  securityContext?: {
    privileged?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface DaemonSet {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        hostPID?: boolean;
        hostNetwork?: boolean;
        containers: Container[];
        volumes?: { name: string; hostPath?: { path: string; type?: string } }[];
      };
    };
  };
}

export const DEPLOY_DIR = `${REPO_ROOT}deploy`;

/** Every document of every YAML file in deploy/, with the parse errors found. */
export function loadDeploy(): { file: string; errors: string[]; value: unknown }[] {
  return readdirSync(DEPLOY_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(`${DEPLOY_DIR}/${file}`, 'utf8')).map((doc) => ({
        file,
        errors: doc.errors.map((e) => e.message),
        value: doc.toJS(),
      })),
    );
}

export function daemonSet(name: string): DaemonSet {
  const found = loadDeploy().find(
    (d) =>
      (d.value as DaemonSet | null)?.kind === 'DaemonSet' && (d.value as DaemonSet).metadata.name === name,
  );
  if (!found) throw new Error(`no DaemonSet ${name} in deploy/`);
  return { ...(found.value as DaemonSet), file: found.file };
}

/**
 * podman flags for the DaemonSet's one container: its security context and its host mounts (hostDirs maps a host
 * path to the one to use here, so a test does not write into this machine's /var/log).
 */
export function podmanFlags(set: DaemonSet, hostDirs: Record<string, string> = {}): string[] {
  const [container] = set.spec.template.spec.containers;
  if (!container) throw new Error(`${set.metadata.name} has no container`);
  const context = container.securityContext ?? {};
  const flags: string[] = [];
  if (context.privileged) flags.push('--privileged');
  if (context.runAsUser !== undefined) flags.push('--user', String(context.runAsUser));
  if (context.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  if (context.readOnlyRootFilesystem) flags.push('--read-only');
  for (const cap of context.capabilities?.drop ?? []) flags.push(`--cap-drop=${cap.toLowerCase()}`);
  for (const cap of context.capabilities?.add ?? []) flags.push(`--cap-add=${cap.toLowerCase()}`);
  if (set.spec.template.spec.hostPID) flags.push('--pid=host');
  for (const mount of container.volumeMounts ?? []) {
    const volume = set.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    if (!volume?.hostPath) throw new Error(`${set.metadata.name}: volume ${mount.name} is not a hostPath`);
    const host = hostDirs[volume.hostPath.path] ?? volume.hostPath.path;
    flags.push('-v', `${host}:${mount.mountPath}${mount.readOnly ? ':ro' : ''}`);
  }
  return flags;
}
