// Runs a piece of fragtop's source in a child process as an ordinary user, for real permission failures.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './frames.js';

export const IS_ROOT = process.getuid?.() === 0;
/** The user permission tests run as: nobody when the tests run as root, else the current (ordinary) user. */
export const ORDINARY_UID = IS_ROOT ? 65534 : (process.getuid?.() ?? 0);
export const ORDINARY_GID = IS_ROOT ? 65534 : (process.getgid?.() ?? 0);

/** A temporary directory an ordinary user may enter (tests put the files to read or write in it). */
export function sharedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Bundles `source` (TypeScript importing from the repository, written as an ES module that prints its answer
 * as one JSON line) into `dir`, and returns a function that runs it with arguments as the ordinary user.
 */
export async function ordinaryUserScript(
  dir: string,
  name: string,
  source: string,
): Promise<
  (args: string[], timeoutMs?: number) => { status: number | null; answer: unknown; stderr: string }
> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  chmodSync(outfile, 0o644);
  return (args, timeoutMs = 10_000) => {
    const result = spawnSync(process.execPath, [outfile, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
      cwd: dir,
      ...(IS_ROOT ? { uid: ORDINARY_UID, gid: ORDINARY_GID } : {}),
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    return { status: result.status, answer: line ? JSON.parse(line) : null, stderr: result.stderr };
  };
}
